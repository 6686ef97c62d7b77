using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Amm;

/// <summary>Conversions between token ratios and Q64.96 square-root prices.</summary>
public static class PoolPricing
{
    /// <summary>
    /// floor(sqrt(numerator * 2^192 / denominator)): the sqrt price of token0 in token1 raw units,
    /// where the price is numerator / denominator (for V2: reserve1 / reserve0).
    /// </summary>
    public static BigInteger SqrtPriceX96FromRatio(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign < 0 || denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "price ratio needs a non-negative numerator and a positive denominator");
        }

        // floor(sqrt(floor(x))) == floor(sqrt(x)) for x >= 0, so the inner division may truncate.
        return UInt256.Sqrt((numerator << 192) / denominator);
    }

    /// <summary>Price of one whole token0 in whole token1 (display only: a double loses the low digits).</summary>
    public static double PriceToken0InToken1(BigInteger sqrtPriceX96, int dec0, int dec1)
    {
        // keep 64 significant bits of the sqrt before squaring so that the double does not overflow.
        var shift = (int)System.Math.Max(0, sqrtPriceX96.GetBitLength() - 64);
        var mantissa = (double)(sqrtPriceX96 >> shift);
        var sqrt = mantissa * System.Math.Pow(2, shift - 96);
        return sqrt * sqrt * System.Math.Pow(10, dec0 - dec1);
    }
}
