using System.Numerics;

namespace DefiCascade.Core.Math;

/// <summary>
/// The half-up products and quotients of Aave's WadRayMath and PercentageMath, with the contract's overflow
/// checks (a * b + half, a * unit + b / 2 within uint256) read off the exact product in 256-bit words: the same
/// reverts as comparing with (MAX - half) / b, without a BigInteger division per call.
/// </summary>
internal static class HalfUp
{
    /// <summary>(a * b + half) / unit; <paramref name="what"/> names the operation in the overflow message.</summary>
    public static BigInteger Mul(BigInteger a, BigInteger b, U256 unit, U256 half, string what)
    {
        UInt256.Check(a);
        UInt256.Check(b);
        return (BigInteger)Mul(U256.From(a), U256.From(b), unit, half, what);
    }

    /// <summary>The same on words, for callers that keep the result in fixed width (no BigInteger allocated).</summary>
    public static U256 Mul(U256 a, U256 b, U256 unit, U256 half, string what)
    {
        U256.Multiply(a, b, out var product, out var high);
        var numerator = U256.Add(product, half, out var carry);
        if (!high.IsZero || carry)
        {
            throw new OverflowException($"{what} overflow: {a} * {b}");
        }

        return numerator / unit;
    }

    /// <summary>(a * unit + b / 2) / b; reverts on b = 0 as the contract does.</summary>
    public static BigInteger Div(BigInteger a, BigInteger b, U256 unit, string what)
    {
        UInt256.Check(a);
        UInt256.Check(b);
        if (b.IsZero)
        {
            throw new DivideByZeroException($"{what} by zero");
        }

        var divisor = U256.From(b);
        U256.Multiply(U256.From(a), unit, out var product, out var high);
        var numerator = U256.Add(product, divisor >> 1, out var carry);
        if (!high.IsZero || carry)
        {
            throw new OverflowException($"{what} overflow: {a} / {b}");
        }

        return (BigInteger)(numerator / divisor);
    }
}
