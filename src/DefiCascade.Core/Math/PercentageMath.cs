using System.Numerics;

namespace DefiCascade.Core.Math;

/// <summary>
/// Aave V3's PercentageMath: percentages in basis points with 2 decimals (1e4 = 100%),
/// half-up rounding, reverting on overflow (aave-v3-core PercentageMath.sol).
/// </summary>
public static class PercentageMath
{
    public static readonly BigInteger PercentageFactor = 10_000;
    public static readonly BigInteger HalfPercentageFactor = 5_000;

    /// <summary>percentMul: (value * percentage + HALF_PERCENTAGE_FACTOR) / PERCENTAGE_FACTOR.</summary>
    public static BigInteger PercentMul(BigInteger value, BigInteger percentage)
    {
        UInt256.Check(value);
        UInt256.Check(percentage);
        // value * percentage + HALF within uint256 is the contract's check, read off the exact product.
        U256.Multiply(U256.From(value), U256.From(percentage), out var product, out var high);
        var numerator = U256.Add(product, 5_000UL, out var carry);
        if (!high.IsZero || carry)
        {
            throw new OverflowException($"percentMul overflow: {value} * {percentage}");
        }

        return (BigInteger)(numerator / 10_000UL);
    }

    /// <summary>percentDiv: (value * PERCENTAGE_FACTOR + percentage / 2) / percentage.</summary>
    public static BigInteger PercentDiv(BigInteger value, BigInteger percentage)
    {
        UInt256.Check(value);
        UInt256.Check(percentage);
        if (percentage.IsZero)
        {
            throw new DivideByZeroException("percentDiv by zero");
        }

        var divisor = U256.From(percentage);
        U256.Multiply(U256.From(value), 10_000UL, out var product, out var high);
        var numerator = U256.Add(product, divisor >> 1, out var carry);
        if (!high.IsZero || carry)
        {
            throw new OverflowException($"percentDiv overflow: {value} / {percentage}");
        }

        return (BigInteger)(numerator / divisor);
    }
}
