using System.Numerics;
using DefiCascade.Amm.V3;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>
/// Closed-form depth and holdings of a Uniswap V3 tick book, in doubles: for calibration and
/// reporting only (a swap in the simulator goes through the exact integer pool model). Within a
/// range of constant liquidity L, moving sqrtP from a to b takes L*(b - a) of token1 or
/// L*(1/a - 1/b) of token0 (Uniswap v3 whitepaper, eq. 6.13-6.16).
/// </summary>
public static class V3BookMath
{
    private static readonly double Q96 = System.Math.Pow(2, 96);

    public static double SqrtPrice(BigInteger sqrtPriceX96) => (double)sqrtPriceX96 / Q96;

    public static double SqrtAtTick(int tick) => (double)TickMath.GetSqrtRatioAtTick(tick) / Q96;

    /// <summary>
    /// Raw amount of the sold token that pushes its pool price down by <paramref name="fraction"/>
    /// (token0 sold: P = token1/token0 falls; token1 sold: 1/P falls). Infinity when the book runs out.
    /// </summary>
    public static double SellToMove(IReadOnlyList<(int Tick, double Net)> book, BigInteger sqrtPriceX96, int currentTick, double fraction, bool sellToken0)
    {
        ArgumentNullException.ThrowIfNull(book);
        var s = SqrtPrice(sqrtPriceX96);
        var liquidity = 0.0;
        var idx = -1;
        for (var i = 0; i < book.Count && book[i].Tick <= currentTick; i++)
        {
            liquidity += book[i].Net;
            idx = i;
        }

        var amount = 0.0;
        if (sellToken0)
        {
            var target = s * System.Math.Sqrt(1 - fraction);
            while (true)
            {
                var next = System.Math.Max(target, idx >= 0 ? SqrtAtTick(book[idx].Tick) : 0);
                amount += liquidity * ((1 / next) - (1 / s));
                s = next;
                if (s <= target)
                {
                    return amount;
                }

                if (idx < 0)
                {
                    return double.PositiveInfinity;
                }

                liquidity -= book[idx--].Net;
            }
        }

        idx++;
        var up = s / System.Math.Sqrt(1 - fraction);
        while (true)
        {
            var next = System.Math.Min(up, idx < book.Count ? SqrtAtTick(book[idx].Tick) : double.PositiveInfinity);
            amount += liquidity * (next - s);
            s = next;
            if (s >= up)
            {
                return amount;
            }

            if (idx >= book.Count)
            {
                return double.PositiveInfinity;
            }

            liquidity += book[idx++].Net;
        }
    }

    /// <summary>Raw token amounts the book holds at the current price (what TVL counts).</summary>
    public static (double Amount0, double Amount1) Holdings(IReadOnlyList<(int Tick, double Net)> book, BigInteger sqrtPriceX96)
    {
        ArgumentNullException.ThrowIfNull(book);
        var s = SqrtPrice(sqrtPriceX96);
        double amount0 = 0, amount1 = 0, liquidity = 0;
        for (var i = 0; i + 1 < book.Count; i++)
        {
            liquidity += book[i].Net;
            if (liquidity <= 0)
            {
                continue;
            }

            var (a, b) = (SqrtAtTick(book[i].Tick), SqrtAtTick(book[i + 1].Tick));
            var mid = System.Math.Clamp(s, a, b);
            amount0 += liquidity * ((1 / mid) - (1 / b));
            amount1 += liquidity * (mid - a);
        }

        return (amount0, amount1);
    }
}
