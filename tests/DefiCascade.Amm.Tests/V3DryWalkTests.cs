using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Math;
using static DefiCascade.Amm.Tests.TestPools;

namespace DefiCascade.Amm.Tests;

/// <summary>
/// A swap that runs past the last range of a complete book: UniswapV3Pool.swap keeps looping word by word with
/// liquidity 0 (amounts 0) until the price reaches the limit. One position, [6600, 6960) at spacing 60, price 2
/// (tick 6931). Word boundaries going down are multiples of 256 * 60 = 15360.
/// </summary>
public sealed class V3DryWalkTests
{
    private static readonly BigInteger SqrtTwo = Big("112045541949572279837463876454");
    private static readonly BigInteger L = 500 * E18;
    private static readonly BigInteger Huge = BigInteger.One << 200;

    private static UniswapV3Pool OnePosition() => NewV3(3000, 60, SqrtTwo, [new Position(6600, 6960, L)]);

    [Fact]
    public void Down_without_a_limit_pays_what_reaching_the_range_costs_and_ends_at_min_sqrt_ratio_plus_one()
    {
        var pool = OnePosition();
        // the range's lower edge as a user limit: the same step, stopped at 6600 (PriceLimit); nothing costs anything below it.
        var toEdge = pool.Quote(new SwapRequest(true, Huge, true, TickMath.GetSqrtRatioAtTick(6600)));
        Assert.Equal(SwapStop.PriceLimit, toEdge.Stop);

        var result = pool.Swap(new SwapRequest(true, Huge, true));
        Assert.Equal((toEdge.AmountIn, toEdge.AmountOut), (result.AmountIn, result.AmountOut));
        Assert.Equal(SwapStop.OutOfLiquidity, result.Stop);
        // no limit = MIN_SQRT_RATIO + 1 = 4295128739 + 1; it lies inside tick MIN_TICK (-887272, not a word start).
        Assert.Equal((Big("4295128740"), -887272, BigInteger.Zero), (result.SqrtPriceX96After, result.TickAfter, result.LiquidityAfter));
        Assert.Equal((Big("4295128740"), -887272, BigInteger.Zero), (pool.SqrtPriceX96, pool.Tick, pool.Liquidity));
        // the edge: tick 6600 crossed downwards leaves slot0.tick 6599 at sqrtRatio(6600).
        Assert.Equal((TickMath.GetSqrtRatioAtTick(6600), 6599), (result.EdgeSqrtPriceX96, result.EdgeTick));
        Assert.Equal(1, result.TicksCrossed);

        // and it trades back: up from MIN through empty words, into the range again, crossing 6600 once.
        var back = pool.Swap(new SwapRequest(false, E18, true));
        Assert.Equal(SwapStop.Filled, back.Stop);
        Assert.Equal(1, back.TicksCrossed);
        Assert.Equal(L, back.LiquidityAfter);
    }

    [Fact]
    public void Up_without_a_limit_ends_at_max_sqrt_ratio_minus_one()
    {
        var pool = OnePosition();
        var toEdge = pool.Quote(new SwapRequest(false, Huge, true, TickMath.GetSqrtRatioAtTick(6960)));
        var result = pool.Swap(new SwapRequest(false, Huge, true));
        Assert.Equal((toEdge.AmountIn, toEdge.AmountOut), (result.AmountIn, result.AmountOut));
        Assert.Equal(SwapStop.OutOfLiquidity, result.Stop);
        // MAX_SQRT_RATIO - 1 lies below sqrtRatio(MAX_TICK) = MAX_SQRT_RATIO: tick 887271.
        Assert.Equal(
            (Big("1461446703485210103287273052203988822378723970341"), 887271, BigInteger.Zero),
            (result.SqrtPriceX96After, result.TickAfter, result.LiquidityAfter));
        Assert.Equal((TickMath.GetSqrtRatioAtTick(6960), 6960), (result.EdgeSqrtPriceX96, result.EdgeTick));
    }

    [Fact]
    public void Exact_output_past_the_range_pays_the_range_and_moves_to_the_limit()
    {
        var pool = OnePosition();
        var toEdge = pool.Quote(new SwapRequest(true, Huge, false, TickMath.GetSqrtRatioAtTick(6600)));
        var limit = TickMath.GetSqrtRatioAtTick(-1000) + 777;
        var result = pool.Quote(new SwapRequest(true, Huge, false, limit));
        Assert.Equal((toEdge.AmountIn, toEdge.AmountOut), (result.AmountIn, result.AmountOut));
        // a limit inside tick -1000 (not a word start): getTickAtSqrtRatio(limit) = -1000.
        Assert.Equal((SwapStop.OutOfLiquidity, limit, -1000), (result.Stop, result.SqrtPriceX96After, result.TickAfter));
    }

    // Going down from 6599 (after crossing 6600): step 1 targets word start 0 (compressed 109 -> bit 0 of word 0),
    // step 2 targets -15360, step 3 -30720, ...
    // - limit sqrtRatio(0) == sqrtPriceNext of step 1: the step reaches its boundary, tick = 0 - 1 = -1.
    // - limit sqrtRatio(-15360): step 2 reaches its boundary, tick = -15361.
    // - limit sqrtRatio(-60): step 2's boundary lies below it, so it stops at the limit inside the word: tick -60.
    // - limit sqrtRatio(5000): step 1 stops at the limit before word start 0: tick 5000.
    // Going up from 6960: word ends are 255 * 60 = 15300 + k * 15360; reaching one sets tick = tickNext, which is
    // getTickAtSqrtRatio of it anyway: limit sqrtRatio(15300) -> 15300, sqrtRatio(15360) -> 15360.
    [Theory]
    [InlineData(true, 0, -1)]
    [InlineData(true, -15360, -15361)]
    [InlineData(true, -60, -60)]
    [InlineData(true, 5000, 5000)]
    [InlineData(true, -430080, -430081)]
    [InlineData(false, 15300, 15300)]
    [InlineData(false, 15360, 15360)]
    [InlineData(false, 8000, 8000)]
    public void A_limit_on_a_tick_past_the_range_sets_the_tick_as_the_loop_does(bool zeroForOne, int limitTick, int tickAfter)
    {
        var pool = OnePosition();
        var limit = TickMath.GetSqrtRatioAtTick(limitTick);
        var result = pool.Swap(new SwapRequest(zeroForOne, Huge, true, limit));
        Assert.Equal((SwapStop.OutOfLiquidity, limit, tickAfter, BigInteger.Zero), (result.Stop, result.SqrtPriceX96After, result.TickAfter, result.LiquidityAfter));
        Assert.Equal((limit, tickAfter), (pool.SqrtPriceX96, pool.Tick));
    }

    [Fact]
    public void A_limit_in_a_gap_with_ranges_beyond_it_is_still_a_price_limit()
    {
        // [6600, 6960) and [0, 600): between 600 and 6600 the liquidity is 0 but the book goes on.
        var pool = NewV3(3000, 60, SqrtTwo, [new Position(6600, 6960, L), new Position(0, 600, L)]);
        var limit = TickMath.GetSqrtRatioAtTick(3000);
        var result = pool.Quote(new SwapRequest(true, Huge, true, limit));
        Assert.Equal((SwapStop.PriceLimit, limit, 3000), (result.Stop, result.SqrtPriceX96After, result.TickAfter));
        Assert.Null(result.EdgeSqrtPriceX96);
    }

    [Fact]
    public void A_partly_read_book_still_stops_at_its_window()
    {
        var pool = NewV3(3000, 60, SqrtTwo, [new Position(6600, 6960, L)], bookLower: 6000, bookUpper: 7200);
        var result = pool.Quote(new SwapRequest(true, Huge, true));
        Assert.Equal(SwapStop.DataExhausted, result.Stop);
        Assert.True(result.SqrtPriceX96After >= TickMath.GetSqrtRatioAtTick(6000));
        Assert.Null(result.EdgeSqrtPriceX96);
    }

    [Fact]
    public void An_already_drained_pool_moves_for_nothing_and_reports_the_same_edge()
    {
        var pool = OnePosition();
        pool.Swap(new SwapRequest(true, Huge, true, TickMath.GetSqrtRatioAtTick(-100)));
        var again = pool.Swap(new SwapRequest(true, E18, true, TickMath.GetSqrtRatioAtTick(-200)));
        Assert.Equal((BigInteger.Zero, BigInteger.Zero, SwapStop.OutOfLiquidity), (again.AmountIn, again.AmountOut, again.Stop));
        Assert.Equal((TickMath.GetSqrtRatioAtTick(-200), -200), (again.SqrtPriceX96After, again.TickAfter));
        Assert.Equal((TickMath.GetSqrtRatioAtTick(6600), 6599), (again.EdgeSqrtPriceX96, again.EdgeTick));
    }

    /// <summary>
    /// The jumps (<c>V3SwapWalk.LandOnLimit</c>, <c>SkipEmptyRange</c>) against the contract's loop stepped one empty
    /// word at a time: random books at every spacing, both directions, exact in and out, no limit, limits on random
    /// ticks, on word starts and word ends, and inside ticks; then back the other way from where the first walk
    /// landed, through the empty words, into the book and its gaps, to a random limit. Everything the walks report
    /// must be equal.
    /// </summary>
    [Fact]
    public void Jumping_to_the_limit_equals_stepping_through_every_empty_word()
    {
        var rng = new Random(20261207);
        var compared = 0;
        var onWordStart = 0;
        var backCompared = 0;
        var crossedBack = 0;
        for (var i = 0; i < 400; i++)
        {
            var pool = RandomV3Pool(rng);
            var book = pool.Book;
            var spacing = book.TickSpacing;
            var zeroForOne = rng.Next(2) == 0;
            var exactInput = rng.Next(2) == 0;
            var outermost = book.TickAt(zeroForOne ? 0 : book.Count - 1);
            var word = 256 * spacing;
            if (zeroForOne ? outermost <= TickMath.MinTick + 2 : outermost >= TickMath.MaxTick - 2)
            {
                continue; // a range hugging MIN/MAX_TICK leaves no room past it
            }

            int limitTick = rng.Next(4) switch
            {
                0 => zeroForOne ? rng.Next(TickMath.MinTick + 1, outermost) : rng.Next(outermost + 1, TickMath.MaxTick),
                1 => zeroForOne ? FloorTo(outermost - 1, word) - (word * rng.Next(0, 5)) : FloorTo(outermost, word) + (word * rng.Next(1, 5)),
                2 => zeroForOne ? FloorTo(outermost - 1, word) - 1 - (word * rng.Next(0, 5)) : FloorTo(outermost, word) + (word * rng.Next(1, 5)) - spacing,
                _ => 0,
            };
            BigInteger limit = limitTick == 0 && rng.Next(2) == 0
                ? (zeroForOne ? TickMath.MinSqrtRatio + 1 : TickMath.MaxSqrtRatio - 1)
                : TickMath.GetSqrtRatioAtTick(Math.Clamp(limitTick, TickMath.MinTick + 1, TickMath.MaxTick - 1));
            if (rng.Next(4) == 0)
            {
                limit += zeroForOne ? 1 : -1; // inside a tick
            }

            if (zeroForOne ? limit >= pool.SqrtPriceX96 : limit <= pool.SqrtPriceX96)
            {
                continue;
            }

            var start = new V3State(pool.SqrtPriceX96, pool.Tick, pool.Liquidity, 0, 0);
            var jump = new V3SwapWalk(book, pool.FeePips, zeroForOne, exactInput, U256.From(limit), start);
            var step = new V3SwapWalk(book, pool.FeePips, zeroForOne, exactInput, U256.From(limit), start, stepThroughEmptyWords: true);
            var a = jump.Run(U256.From(Huge), userLimit: true);
            var b = step.Run(U256.From(Huge), userLimit: true);
            var where = $"case {i}: spacing {spacing}, {(zeroForOne ? "down" : "up")}, limit {limit} (tick {limitTick})";
            Assert.True(a == b, $"{where}: amounts/stop {a} vs {b}");
            Assert.True(
                (jump.SqrtPriceX96, jump.Tick, jump.Liquidity, jump.TicksCrossed, jump.DryEdge) == (step.SqrtPriceX96, step.Tick, step.Liquidity, step.TicksCrossed, step.DryEdge),
                $"{where}: jump {jump.SqrtPriceX96}/{jump.Tick} vs loop {step.SqrtPriceX96}/{step.Tick}");
            Assert.Equal(limit, (BigInteger)jump.SqrtPriceX96);
            compared++;

            // back the other way, from there to anywhere between that price and the far limit.
            var back = new V3State((BigInteger)jump.SqrtPriceX96, jump.Tick, (BigInteger)jump.Liquidity, 0, 0);
            var far = zeroForOne ? TickMath.MaxSqrtRatio - 1 : TickMath.MinSqrtRatio + 1;
            var tickBack = TickMath.GetTickAtSqrtRatio(rng.Next(3) == 0 ? far : TickMath.GetSqrtRatioAtTick(book.TickAt(rng.Next(book.Count))));
            var limitBack = rng.Next(3) switch
            {
                0 => far,
                1 => TickMath.GetSqrtRatioAtTick(Math.Clamp(tickBack + (zeroForOne ? 1 : -1) * rng.Next(0, 3 * spacing), TickMath.MinTick + 1, TickMath.MaxTick - 1)),
                _ => TickMath.GetSqrtRatioAtTick(Math.Clamp(FloorTo(tickBack, word), TickMath.MinTick + 1, TickMath.MaxTick - 1)),
            };
            if (zeroForOne ? limitBack <= back.SqrtPriceX96 : limitBack >= back.SqrtPriceX96)
            {
                continue;
            }

            var amountBack = U256.From(rng.Next(2) == 0 ? Huge : new BigInteger(rng.NextInt64(1, long.MaxValue)));
            var jumpBack = new V3SwapWalk(book, pool.FeePips, !zeroForOne, !exactInput, U256.From(limitBack), back);
            var stepBack = new V3SwapWalk(book, pool.FeePips, !zeroForOne, !exactInput, U256.From(limitBack), back, stepThroughEmptyWords: true);
            var c = jumpBack.Run(amountBack, userLimit: true);
            var d = stepBack.Run(amountBack, userLimit: true);
            Assert.True(c == d, $"{where}, back to {limitBack}: amounts/stop {c} vs {d}");
            Assert.True(
                (jumpBack.SqrtPriceX96, jumpBack.Tick, jumpBack.Liquidity, jumpBack.TicksCrossed, jumpBack.DryEdge) == (stepBack.SqrtPriceX96, stepBack.Tick, stepBack.Liquidity, stepBack.TicksCrossed, stepBack.DryEdge),
                $"{where}, back to {limitBack}: jump {jumpBack.SqrtPriceX96}/{jumpBack.Tick}/{jumpBack.Liquidity} vs loop {stepBack.SqrtPriceX96}/{stepBack.Tick}/{stepBack.Liquidity}");
            backCompared++;
            crossedBack += jumpBack.TicksCrossed > 0 ? 1 : 0;
            var t = TickMath.GetTickAtSqrtRatio(limit);
            onWordStart += zeroForOne && TickMath.GetSqrtRatioAtTick(t) == limit && t % word == 0 ? 1 : 0;
        }

        Assert.True(
            compared > 250 && onWordStart > 20 && backCompared > 150 && crossedBack > 100,
            $"{compared} compared, {onWordStart} limits on a word start going down, {backCompared} back ({crossedBack} crossing ticks)");
    }

    private static int FloorTo(int tick, int step) => (int)Math.Floor(tick / (double)step) * step;
}
