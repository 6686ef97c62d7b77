using System.Numerics;
using DefiCascade.Amm.V3;

namespace DefiCascade.Amm.Tests;

/// <summary>
/// IAmmPool.QuoteExactInput gives a router the amounts of an exact-input quote without the state after the swap.
/// V2 and V3 implement it on their own (V3 leaves the final tick unread, V2 skips the square root of the new
/// reserves), so it must equal Quote's amounts, stop and ticks crossed: across random pools and sizes, dust and
/// zero, past the book's edge and past uint112, and interleaved with Quote and Swap on the same pool (V3's
/// checkpoints are shared by both).
/// </summary>
public sealed class QuoteExactInputTests
{
    [Fact]
    public void V3_amounts_equal_Quote_on_random_pools_with_swaps_in_between()
    {
        var rng = new Random(7_2026);
        var (compared, crossing, unfilled) = (0, 0, 0);
        for (var p = 0; p < 60; p++)
        {
            IAmmPool pool = TestPools.RandomV3Pool(rng);
            for (var k = 0; k < 40; k++)
            {
                var zeroForOne = rng.Next(2) == 0;
                var amount = k switch { 0 => BigInteger.Zero, 1 => BigInteger.One, _ => TestPools.RandomAmount(rng, 32) };
                var expected = pool.Clone().Quote(new SwapRequest(zeroForOne, amount, ExactInput: true));
                var lean = pool.QuoteExactInput(zeroForOne, amount);
                Assert.Equal(new SwapAmounts(expected.AmountIn, expected.AmountOut, expected.Stop, expected.TicksCrossed), lean);
                // The same quote through Quote after the lean one (which may have left checkpoints).
                Assert.Equal(expected, pool.Quote(new SwapRequest(zeroForOne, amount, ExactInput: true)));
                (compared, crossing, unfilled) = (compared + 1, crossing + (lean.TicksCrossed > 0 ? 1 : 0), unfilled + (lean.Stop != SwapStop.Filled ? 1 : 0));
                if (k % 11 == 10)
                {
                    pool.Swap(new SwapRequest(rng.Next(2) == 0, TestPools.RandomAmount(rng, 20), ExactInput: true));
                }
            }
        }

        Assert.True(crossing > 200 && unfilled > 50, $"{compared} quotes: {crossing} crossed ticks, {unfilled} did not fill");
    }

    [Fact]
    public void V2_amounts_equal_Quote_from_dust_to_past_uint112()
    {
        var rng = new Random(112);
        var (compared, dust, capped) = (0, 0, 0);
        for (var p = 0; p < 40; p++)
        {
            var r0 = p == 0 ? BigInteger.One : TestPools.RandomAmount(rng, 30);
            var r1 = TestPools.RandomAmount(rng, 30);
            IAmmPool pool = TestPools.NewV2(r0, r1);
            for (var k = 0; k < 30; k++)
            {
                var zeroForOne = rng.Next(2) == 0;
                var amount = k switch { 0 => BigInteger.Zero, 1 => BigInteger.One, 2 => BigInteger.One << 120, _ => TestPools.RandomAmount(rng, 36) };
                var expected = pool.Quote(new SwapRequest(zeroForOne, amount, ExactInput: true));
                var lean = pool.QuoteExactInput(zeroForOne, amount);
                Assert.Equal(new SwapAmounts(expected.AmountIn, expected.AmountOut, expected.Stop, 0), lean);
                (compared, dust, capped) = (compared + 1, dust + (amount > 0 && lean.AmountOut.IsZero ? 1 : 0), capped + (lean.AmountIn.Sign > 0 && lean.AmountIn < amount ? 1 : 0));
                if (k % 9 == 8 && !lean.AmountOut.IsZero)
                {
                    pool.Swap(new SwapRequest(zeroForOne, amount, ExactInput: true));
                }
            }
        }

        Assert.True(dust > 5 && capped > 5, $"{compared} quotes: {dust} traded nothing, {capped} were capped at uint112");
    }
}
