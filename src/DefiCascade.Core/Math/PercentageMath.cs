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
        if (!percentage.IsZero && value > (UInt256.Max - HalfPercentageFactor) / percentage)
        {
            throw new OverflowException($"percentMul overflow: {value} * {percentage}");
        }

        return (value * percentage + HalfPercentageFactor) / PercentageFactor;
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

        var half = percentage / 2;
        if (value > (UInt256.Max - half) / PercentageFactor)
        {
            throw new OverflowException($"percentDiv overflow: {value} / {percentage}");
        }

        return (value * PercentageFactor + half) / percentage;
    }
}
