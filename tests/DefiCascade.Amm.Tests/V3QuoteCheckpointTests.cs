using System.Numerics;
using DefiCascade.Amm.V3;

namespace DefiCascade.Amm.Tests;

/// <summary>
/// A V3 pool keeps the checkpoints of its exact-input walks at the current state, so a quote resumes
/// where an earlier one passed. Every quote must equal the same quote on a fresh clone (no checkpoints),
/// whatever order amounts come in (smaller after larger, equal to a checkpoint, past the book's edge),
/// in both directions, with books read in part (DataExhausted), and after a swap moves the state.
/// </summary>
public sealed class V3QuoteCheckpointTests
{
    [Fact]
    public void Quotes_resumed_from_checkpoints_equal_fresh_walks()
    {
        var rng = new Random(20261207);
        var compared = 0;
        var resumedPastTicks = 0;
        for (var p = 0; p < 60; p++)
        {
            var pool = TestPools.RandomV3Pool(rng);
            for (var k = 0; k < 40; k++)
            {
                var request = new SwapRequest(rng.Next(2) == 0, TestPools.RandomAmount(rng, 30), ExactInput: true);
                var fresh = ((UniswapV3Pool)pool.Clone()).Quote(request);
                var quoted = pool.Quote(request);
                Assert.Equal(fresh, quoted);
                compared++;
                resumedPastTicks += quoted.TicksCrossed > 0 ? 1 : 0;
                if (k % 13 == 12 && quoted.Stop == SwapStop.Filled)
                {
                    // A swap moves the state: the checkpoints of the old state must not be used.
                    pool.Swap(new SwapRequest(rng.Next(2) == 0, TestPools.RandomAmount(rng, 20), ExactInput: true));
                }
            }
        }

        Assert.True(resumedPastTicks > 200, $"quotes should cross ticks (and so resume past checkpoints), {resumedPastTicks} of {compared} did");
    }

    [Fact]
    public void A_quote_of_exactly_a_checkpoints_amount_and_of_one_less_equal_fresh_walks()
    {
        var pool = TestPools.NewV3AtTick(3000, 60, 0, [new(-600, 600, TestPools.E18 * 1_000), new(-6000, -600, TestPools.E18 * 50), new(600, 6000, TestPools.E18 * 70)]);
        // A large quote walks across every tick and records a checkpoint at each.
        var large = new SwapRequest(true, TestPools.E18 * 1_000_000, ExactInput: true);
        Assert.Equal(((UniswapV3Pool)pool.Clone()).Quote(large), pool.Quote(large));
        // The amount that just reaches the first tick below: the fresh walk's amountIn for that price.
        var toTick = ((UniswapV3Pool)pool.Clone()).Quote(new SwapRequest(true, TestPools.E18 * 1_000_000, ExactInput: true, SqrtPriceLimitX96: TickMath.GetSqrtRatioAtTick(-600))).AmountIn;
        foreach (var amount in new[] { toTick, toTick - 1, toTick + 1, BigInteger.One })
        {
            var request = new SwapRequest(true, amount, ExactInput: true);
            Assert.Equal(((UniswapV3Pool)pool.Clone()).Quote(request), pool.Quote(request));
        }
    }
}
