using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>
/// Token amounts implied by a V3 liquidity book: for each segment between consecutive initialized ticks
/// (bounded by the read window or MIN/MAX_TICK), the amounts its liquidity holds at the current price,
/// rounded up as UniswapV3Pool._modifyPosition does for a mint (getAmount0Delta/getAmount1Delta, roundUp).
/// Per-segment rounding can only under-count the real pool (each position rounds up on its own), and a
/// swap's outputs round down, so the tracked balance always covers what a swap pays out.
/// </summary>
internal static class V3Balances
{
    public static (BigInteger Balance0, BigInteger Balance1) Implied(TickBook book, BigInteger sqrtPriceX96, int tick, BigInteger liquidity)
    {
        var bottom = book.Lower ?? TickMath.MinTick;
        var top = book.Upper ?? TickMath.MaxTick;
        var balance0 = BigInteger.Zero;
        var balance1 = BigInteger.Zero;

        // active segment: from the greatest initialized tick <= tick to the next one.
        var i = book.LastAtOrBelow(tick);
        var activeLow = i >= 0 ? book.TickAt(i) : bottom;
        var activeHigh = i + 1 < book.Count ? book.TickAt(i + 1) : top;
        Add(ref balance0, ref balance1, activeLow, activeHigh, sqrtPriceX96, liquidity);

        // above: crossing a tick upward adds its liquidityNet.
        var up = liquidity;
        for (var j = i + 1; j < book.Count; j++)
        {
            up = LiquidityMath.AddDelta(up, book.LiquidityNetAt(j));
            var high = j + 1 < book.Count ? book.TickAt(j + 1) : top;
            Add(ref balance0, ref balance1, book.TickAt(j), high, sqrtPriceX96, up);
        }

        // below: crossing a tick downward subtracts it.
        var down = liquidity;
        for (var j = i; j >= 0; j--)
        {
            down = LiquidityMath.AddDelta(down, -book.LiquidityNetAt(j));
            var low = j > 0 ? book.TickAt(j - 1) : bottom;
            Add(ref balance0, ref balance1, low, book.TickAt(j), sqrtPriceX96, down);
        }

        return (balance0, balance1);
    }

    // The mint branches of _modifyPosition: below the range all token0, above it all token1, inside both.
    private static void Add(ref BigInteger balance0, ref BigInteger balance1, int lowTick, int highTick, BigInteger sqrtPriceX96, BigInteger liquidity)
    {
        if (liquidity.IsZero || lowTick >= highTick)
        {
            return;
        }

        var sqrtLow = TickMath.GetSqrtRatioAtTick(lowTick);
        var sqrtHigh = TickMath.GetSqrtRatioAtTick(highTick);
        if (sqrtPriceX96 <= sqrtLow)
        {
            balance0 += SqrtPriceMath.GetAmount0Delta(sqrtLow, sqrtHigh, liquidity, true);
        }
        else if (sqrtPriceX96 >= sqrtHigh)
        {
            balance1 += SqrtPriceMath.GetAmount1Delta(sqrtLow, sqrtHigh, liquidity, true);
        }
        else
        {
            balance0 += SqrtPriceMath.GetAmount0Delta(sqrtPriceX96, sqrtHigh, liquidity, true);
            balance1 += SqrtPriceMath.GetAmount1Delta(sqrtLow, sqrtPriceX96, liquidity, true);
        }
    }
}
