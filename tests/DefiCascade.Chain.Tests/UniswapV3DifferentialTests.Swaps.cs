using DefiCascade.Chain.Testing;
using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;

namespace DefiCascade.Chain.Tests;

/// <summary>How the random swaps are drawn: sizes, directions, exact in/out, price limits.</summary>
public sealed partial class UniswapV3DifferentialTests
{
    /// <summary>
    /// A random swap: a target tick from 1 tick to ~10^6 away (clamped to the usable range; fewer bitmap words for
    /// fee 100), an amount from 1 wei to 1.3x what reaches the target, and a third of the time a price limit (on an
    /// initialized tick, inside a tick, or at the price itself, where the pool says SPL). Swaps that would run past the
    /// outermost initialized tick into zero liquidity are halved until they do not (that walk has its own test,
    /// UniswapV3DifferentialTests.DryWalk.cs; halving keeps this seed's sequence as it was).
    /// </summary>
    private static SwapRequest? NextSwap(Random random, UniswapV3Pool model, int minUsable, int maxUsable)
    {
        var spacing = model.TickSpacing;
        var zeroForOne = random.Next(2) == 0;
        var exactInput = random.Next(2) == 0;
        var distance = random.Next(3) switch
        {
            0 => random.Next(1, (4 * spacing) + 1),
            1 => random.Next(1, 60) * spacing,
            _ => (int)Math.Pow(10, 1 + (5.2 * random.NextDouble())),
        };
        distance = spacing == 1 ? Math.Min(distance, 100_000) : distance;
        var price = model.SqrtPriceX96;
        // a limit must lie strictly inside (MIN_SQRT_RATIO, MAX_SQRT_RATIO): for spacing 1 the usable ticks are MIN/MAX_TICK.
        var (bottom, top) = (Math.Max(minUsable, TickMath.MinTick + 1), Math.Min(maxUsable, TickMath.MaxTick - 1));
        int TargetTick(bool down) => down ? Math.Max(model.Tick - distance, bottom) : Math.Min(model.Tick + distance, top);
        bool Beyond(BigInteger sqrt, bool down) => down ? sqrt < price : sqrt > price;
        if (!Beyond(TickMath.GetSqrtRatioAtTick(TargetTick(zeroForOne)), zeroForOne))
        {
            zeroForOne = !zeroForOne;
        }

        var target = TargetTick(zeroForOne);
        var sqrtTarget = TickMath.GetSqrtRatioAtTick(target);
        if (!Beyond(sqrtTarget, zeroForOne))
        {
            return null;
        }

        BigInteger? limit = null;
        if (random.Next(3) == 0)
        {
            var (lo, hi) = zeroForOne ? (target, model.Tick) : (model.Tick, target);
            var book = model.Book;
            var onTicks = Enumerable.Range(0, book.Count).Select(book.TickAt)
                .Where(t => t >= lo && t <= hi && Beyond(TickMath.GetSqrtRatioAtTick(t), zeroForOne)).ToArray();
            var pick = random.Next(20) == 0 ? 0 : random.Next(1, 3);
            if (pick == 0)
            {
                limit = price; // SPL
            }
            else if (pick == 1 && onTicks.Length > 0)
            {
                limit = TickMath.GetSqrtRatioAtTick(onTicks[random.Next(onTicks.Length)]);
            }
            else
            {
                var t = random.Next(lo, hi + 1);
                var (a, b) = (TickMath.GetSqrtRatioAtTick(t), TickMath.GetSqrtRatioAtTick(Math.Min(t + 1, TickMath.MaxTick)));
                var inside = a + ((b - a) * random.Next(0, 1_000_000) / 1_000_000);
                limit = Beyond(inside, zeroForOne) ? inside : sqrtTarget;
            }
        }

        BigInteger amount;
        if (random.Next(10) == 0)
        {
            amount = RandomAmount(random, 0, 6);
        }
        else
        {
            var toTarget = model.Quote(new SwapRequest(zeroForOne, Huge, true, sqrtTarget));
            var basis = exactInput ? toTarget.AmountIn : toTarget.AmountOut;
            amount = Scale(basis, Math.Pow(10, -2 + (2.12 * random.NextDouble())));
        }

        amount = BigInteger.Max(amount, BigInteger.One);
        var request = new SwapRequest(zeroForOne, amount, exactInput, limit);
        while (model.Quote(request).Stop is SwapStop.OutOfLiquidity or SwapStop.DataExhausted)
        {
            if (request.Amount <= 1)
            {
                return null;
            }

            request = request with { Amount = request.Amount / 2 };
        }

        // the router refuses a swap that moves nothing ("swaps entirely within 0-liquidity regions are not supported").
        var quote = model.Quote(request);
        return quote.AmountIn.IsZero && quote.AmountOut.IsZero && limit != price ? null : request;
    }

    /// <summary>Kind 0: anywhere near the middle; 1: just above MIN_TICK's usable tick; 2: just below MAX's; 3: exactly on a tick.</summary>
}
