using System.Numerics;
using DefiCascade.Amm.V3;
using static DefiCascade.Amm.Tests.TestPools;

namespace DefiCascade.Amm.Tests;

/// <summary>Seeded random properties shared by both pool models; every failure message carries the seed and case.</summary>
public sealed class PoolPropertyTests
{
    public static TheoryData<string> Kinds => new() { "v2", "v3" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void QuoteEqualsSwapAndBalancesSettleExactly(string kind)
    {
        const int seed = 1101;
        var rng = new Random(seed);
        var stops = new Dictionary<SwapStop, int>();
        var crossing = 0;
        for (var i = 0; i < Cases(kind); i++)
        {
            var pool = RandomPool(kind, rng);
            var request = RandomRequest(rng, pool);
            var (b0, b1, price) = (pool.Balance0, pool.Balance1, pool.SqrtPriceX96);
            var where = $"seed {seed}, case {i}, {kind}, {request}";

            var quote = pool.Quote(request);
            Assert.True(b0 == pool.Balance0 && b1 == pool.Balance1 && price == pool.SqrtPriceX96, $"{where}: Quote changed state");
            var clone = pool.Clone();
            var swap = pool.Swap(request);
            Assert.True(quote == swap, $"{where}: quote {quote} != swap {swap}");
            Assert.True(price == clone.SqrtPriceX96 && b0 == clone.Balance0, $"{where}: clone shares mutable state");

            var (balanceIn, balanceOut) = request.ZeroForOne ? (b0, b1) : (b1, b0);
            var (afterIn, afterOut) = request.ZeroForOne ? (pool.Balance0, pool.Balance1) : (pool.Balance1, pool.Balance0);
            Assert.True(swap.AmountIn.Sign >= 0 && swap.AmountOut.Sign >= 0, $"{where}: negative amount");
            Assert.True(swap.AmountOut < balanceOut || swap.AmountOut.IsZero, $"{where}: paid {swap.AmountOut} of {balanceOut}");
            Assert.True(afterIn == balanceIn + swap.AmountIn, $"{where}: in-balance did not settle");
            Assert.True(afterOut == balanceOut - swap.AmountOut, $"{where}: out-balance did not settle");
            Assert.True(pool.Balance0.Sign >= 0 && pool.Balance1.Sign >= 0, $"{where}: negative balance");
            Assert.True(swap.SqrtPriceX96After == pool.SqrtPriceX96, $"{where}: reported price differs from state");

            // price moves the right way and never beyond the limit
            Assert.True(request.ZeroForOne ? swap.SqrtPriceX96After <= price : swap.SqrtPriceX96After >= price, $"{where}: price moved the wrong way");
            if (request.SqrtPriceLimitX96 is { } limit)
            {
                Assert.True(request.ZeroForOne ? swap.SqrtPriceX96After >= limit : swap.SqrtPriceX96After <= limit, $"{where}: price passed the limit");
            }

            if (swap.Stop == SwapStop.Filled && swap.AmountOut.Sign > 0)
            {
                Assert.True(request.ExactInput ? swap.AmountIn == request.Amount : swap.AmountOut == request.Amount, $"{where}: filled but not the requested amount");
            }

            stops[swap.Stop] = stops.GetValueOrDefault(swap.Stop) + 1;
            crossing += swap.TicksCrossed > 0 ? 1 : 0;
        }

        // the generator must reach every interesting path, or the properties prove little
        Assert.True(stops.GetValueOrDefault(SwapStop.Filled) > 100 && stops.GetValueOrDefault(SwapStop.PriceLimit) > 50, $"seed {seed}: stops {string.Join(",", stops)}");
        Assert.True(kind == "v2" || (crossing > 100 && stops.GetValueOrDefault(SwapStop.OutOfLiquidity) > 10), $"seed {seed}: {crossing} crossing swaps, stops {string.Join(",", stops)}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ExactOutputOfTheReceivedAmountCostsNoMoreThanTheInput(string kind)
    {
        const int seed = 2202;
        var rng = new Random(seed);
        for (var i = 0; i < Cases(kind); i++)
        {
            var pool = RandomPool(kind, rng);
            var zeroForOne = rng.Next(2) == 0;
            var exactIn = pool.Quote(new SwapRequest(zeroForOne, RandomAmount(rng, 24), true));
            if (exactIn.Stop != SwapStop.Filled || exactIn.AmountOut.IsZero)
            {
                continue;
            }

            var exactOut = pool.Quote(new SwapRequest(zeroForOne, exactIn.AmountOut, false));
            var where = $"seed {seed}, case {i}, {kind}";
            Assert.True(exactOut.Stop == SwapStop.Filled && exactOut.AmountOut == exactIn.AmountOut, $"{where}: exact-out not filled: {exactOut}");
            Assert.True(exactOut.AmountIn <= exactIn.AmountIn, $"{where}: exact-out costs {exactOut.AmountIn} > {exactIn.AmountIn}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SplittingASwapNeverPaysMore(string kind)
    {
        const int seed = 3303;
        var rng = new Random(seed);
        for (var i = 0; i < Cases(kind); i++)
        {
            var pool = RandomPool(kind, rng);
            var zeroForOne = rng.Next(2) == 0;
            var a = RandomAmount(rng, 23);
            var b = RandomAmount(rng, 23);
            var whole = pool.Quote(new SwapRequest(zeroForOne, a + b, true));
            var split = pool.Clone();
            var first = split.Swap(new SwapRequest(zeroForOne, a, true));
            var second = split.Swap(new SwapRequest(zeroForOne, b, true));
            var where = $"seed {seed}, case {i}, {kind}, a {a}, b {b}";
            Assert.True(first.AmountOut + second.AmountOut <= whole.AmountOut, $"{where}: split {first.AmountOut}+{second.AmountOut} > whole {whole.AmountOut}");
        }
    }

    private static int Cases(string kind) => kind == "v2" ? 4000 : 1500;

    private static IAmmPool RandomPool(string kind, Random rng) =>
        kind == "v2" ? NewV2(RandomAmount(rng, 30), RandomAmount(rng, 30)) : RandomV3Pool(rng);

    private static SwapRequest RandomRequest(Random rng, IAmmPool pool)
    {
        var zeroForOne = rng.Next(2) == 0;
        var exactIn = rng.Next(3) != 0;
        var amount = RandomAmount(rng, 26);
        BigInteger? limit = null;
        if (rng.Next(3) == 0)
        {
            // a limit up to ~20% away in price, clamped into the V3-valid open interval
            var factor = 1 + (rng.NextDouble() * 0.1);
            var scaled = zeroForOne
                ? pool.SqrtPriceX96 * 1_000_000 / new BigInteger(factor * 1_000_000)
                : pool.SqrtPriceX96 * new BigInteger(factor * 1_000_000) / 1_000_000;
            limit = BigInteger.Clamp(scaled, TickMath.MinSqrtRatio + 1, TickMath.MaxSqrtRatio - 1);
        }

        return new SwapRequest(zeroForOne, amount, exactIn, limit);
    }
}
