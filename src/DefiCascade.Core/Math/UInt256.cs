using System.Numerics;

namespace DefiCascade.Core.Math;

/// <summary>
/// Range checks and full-precision mul-div for unsigned 256-bit contract integers held as
/// <see cref="BigInteger"/>. A value outside [0, 2^256) is an error, never a wrap.
/// </summary>
public static class UInt256
{
    public static readonly BigInteger Max = (BigInteger.One << 256) - 1;
    public static readonly BigInteger Modulus = BigInteger.One << 256;

    /// <summary>Throws <see cref="OverflowException"/> unless 0 &lt;= value &lt;= 2^256-1.</summary>
    public static BigInteger Check(BigInteger value, string? what = null)
    {
        if (value.Sign < 0)
        {
            throw new OverflowException($"{what ?? "value"} underflows uint256: {value}");
        }

        if (value > Max)
        {
            throw new OverflowException($"{what ?? "value"} overflows uint256: {value}");
        }

        return value;
    }

    public static bool InRange(BigInteger value) => value.Sign >= 0 && value <= Max;

    /// <summary>a * b / denominator with the full 512-bit product, rounded as named; the result must fit uint256.</summary>
    public static BigInteger MulDiv(BigInteger a, BigInteger b, BigInteger denominator, Rounding rounding)
    {
        Check(a, "mulDiv a");
        Check(b, "mulDiv b");
        Check(denominator, "mulDiv denominator");
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("mulDiv by zero");
        }

        var product = a * b;
        var result = Divide(product, denominator, rounding);
        return Check(result, "mulDiv result");
    }

    /// <summary>Non-negative integer division with the named rounding.</summary>
    public static BigInteger Divide(BigInteger numerator, BigInteger denominator, Rounding rounding)
    {
        if (numerator.Sign < 0 || denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), "Divide takes a non-negative numerator and a positive denominator");
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        return rounding switch
        {
            Rounding.Down => quotient,
            Rounding.Up => remainder.IsZero ? quotient : quotient + 1,
            Rounding.HalfUp => remainder * 2 >= denominator ? quotient + 1 : quotient,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding)),
        };
    }

    /// <summary>Floor of the square root (Newton's method on BigInteger from a double's estimate).</summary>
    public static BigInteger Sqrt(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "square root of a negative number");
        }

        if (value < 2)
        {
            return value;
        }

        // Newton's method converges from any start at or above the root; a double's root is within 2^-51 of it,
        // so starting just above that takes two or three steps instead of one per bit of a power-of-two start.
        // (Past 2^1000 a double would overflow: a power of two above the root then.)
        var x = value.GetBitLength() > 1000
            ? BigInteger.One << (int)((value.GetBitLength() + 1) / 2)
            : new BigInteger(System.Math.Sqrt((double)value) * (1 + System.Math.ScaleB(1.0, -40))) + 1;
        while (true)
        {
            var y = (x + value / x) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }

    // 10^0 .. 10^77 (every power below 2^256), built once: Token.Unit is read in every hot loop.
    private static readonly BigInteger[] Powers10 = Enumerable.Range(0, 78).Select(e => BigInteger.Pow(10, e)).ToArray();

    public static BigInteger Pow10(int exponent)
    {
        if (exponent < 0 || exponent > 77)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent));
        }

        return Powers10[exponent];
    }
}
