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
    public static BigInteger PercentMul(BigInteger value, BigInteger percentage) =>
        HalfUp.Mul(value, percentage, PercentageFactorWord, 5_000UL, "percentMul");

    /// <summary>percentDiv: (value * PERCENTAGE_FACTOR + percentage / 2) / percentage.</summary>
    public static BigInteger PercentDiv(BigInteger value, BigInteger percentage) =>
        HalfUp.Div(value, percentage, PercentageFactorWord, "percentDiv");

    private static readonly U256 PercentageFactorWord = 10_000UL;
}
