using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Snapshot;
using static DefiCascade.Amm.Tests.TestPools;

namespace DefiCascade.Amm.Tests;

public sealed class UniswapV3PoolTests
{
    private static readonly BigInteger SqrtTwo = Big("112045541949572279837463876454");
    private static readonly BigInteger FullRangeL = Big("1414213562373095048856");

    private static UniswapV3Pool FullRange(params Position[] more) =>
        NewV3(3000, 60, SqrtTwo, new[] { new Position(-887220, 887220, FullRangeL) }.Concat(more));

    [Fact]
    public void FullRangeVectorMatchesTheContract()
    {
        // observed from the real contracts on anvil: 10e18 token0 in pays 19743160687941225977 token1, tick 6931 -> 6733.
        // By hand: less fee 9.97e18; sqrtQ = L*sqrtP / (L + 9.97e18*sqrtP) (rounded up); out = L*(sqrtP - sqrtQ)/2^96 (down).
        var pool = FullRange();
        Assert.Equal(6931, pool.Tick);
        var result = pool.Swap(new SwapRequest(true, 10 * E18, true));
        Assert.Equal(Big("19743160687941225977"), result.AmountOut);
        Assert.Equal(10 * E18, result.AmountIn);
        Assert.Equal(6733, result.TickAfter);
        Assert.Equal(SwapStop.Filled, result.Stop);
        Assert.Equal(0, result.TicksCrossed);
        Assert.Equal(FullRangeL, result.LiquidityAfter);
    }

    [Fact]
    public void SwapCrossesSeveralInitializedTicksStepByStep()
    {
        var l1 = 500 * E18;
        var l2 = 300 * E18;
        // initialized ticks below 6931 in word 0 (compressed 0..255): 6720 (C upper), 6600 (B lower), 6000 (C lower)
        var pool = FullRange(new Position(6600, 6960, l1), new Position(6000, 6720, l2));
        Assert.Equal(FullRangeL + l1, pool.Liquidity);
        var amount = 100 * E18;
        var result = pool.Quote(new SwapRequest(true, amount, true));

        // by hand: the walk steps to 6720 with L0+L1, to 6600 with L0+L1+L2, to 6000 with L0+L2, then inside with L0.
        var price = SqrtTwo;
        var remaining = amount;
        var paid = BigInteger.Zero;
        foreach (var (boundary, liquidity) in new[] { (6720, FullRangeL + l1), (6600, FullRangeL + l1 + l2), (6000, FullRangeL + l2), (0, FullRangeL) })
        {
            var step = SwapMath.ComputeSwapStep(price, TickMath.GetSqrtRatioAtTick(boundary), liquidity, remaining, 3000);
            remaining -= step.AmountIn + step.FeeAmount;
            paid += step.AmountOut;
            price = step.SqrtPriceNextX96;
            if (remaining.IsZero)
            {
                break;
            }
        }

        Assert.True(remaining.IsZero, "the amount should run out between 6000 and 0");
        Assert.Equal(paid, result.AmountOut);
        Assert.Equal(price, result.SqrtPriceX96After);
        Assert.Equal(3, result.TicksCrossed);
        Assert.Equal(FullRangeL, result.LiquidityAfter);
        Assert.InRange(result.TickAfter, 0, 5999);
    }

    [Fact]
    public void WordBoundaryEndsAStepEvenWithoutAnInitializedTick()
    {
        // spacing 1: word 0 holds ticks 0..255, so walking down from 300 the contract stops at 256 and again
        // at 0, neither initialized; the rounding of each step is reproduced.
        var l = 10_000 * E18;
        var pool = NewV3AtTick(100, 1, 300, new[] { new Position(-10_000, 10_000, l) });
        var next = pool.Book.NextInitializedTickWithinOneWord(300, true);
        Assert.Equal(new NextTick(256, false, -1, false), next);
        Assert.Equal(new NextTick(0, false, -1, false), pool.Book.NextInitializedTickWithinOneWord(255, true));
        Assert.Equal(new NextTick(-256, false, -1, false), pool.Book.NextInitializedTickWithinOneWord(-1, true));
        Assert.Equal(new NextTick(511, false, -1, false), pool.Book.NextInitializedTickWithinOneWord(300, false));
        // from -300 upward the search starts at -299, in word -2 = [-512, -257]
        Assert.Equal(new NextTick(-257, false, -1, false), pool.Book.NextInitializedTickWithinOneWord(-300, false));
        Assert.Equal(new NextTick(-1, false, -1, false), pool.Book.NextInitializedTickWithinOneWord(-257, false));
        Assert.True(pool.Book.NextInitializedTickWithinOneWord(-9_990, true) is { Tick: -10_000, Initialized: true });

        var amount = 500 * E18;
        var result = pool.Quote(new SwapRequest(true, amount, true));
        var price = TickMath.GetSqrtRatioAtTick(300);
        var remaining = amount;
        var paid = BigInteger.Zero;
        foreach (var boundary in new[] { 256, 0, -256, -512, -768 })
        {
            var step = SwapMath.ComputeSwapStep(price, TickMath.GetSqrtRatioAtTick(boundary), l, remaining, 100);
            remaining -= step.AmountIn + step.FeeAmount;
            paid += step.AmountOut;
            price = step.SqrtPriceNextX96;
            if (remaining.IsZero)
            {
                break;
            }
        }

        Assert.True(remaining.IsZero);
        Assert.Equal(paid, result.AmountOut);
        Assert.Equal(price, result.SqrtPriceX96After);
        Assert.Equal(0, result.TicksCrossed);
    }

    [Fact]
    public void PriceOnAnInitializedTickCrossesItFirstWhenSellingToken0()
    {
        var l1 = 500 * E18;
        var pool = NewV3AtTick(3000, 60, 6720, new[] { new Position(-887220, 887220, FullRangeL), new Position(6720, 7200, l1) });
        Assert.Equal(FullRangeL + l1, pool.Liquidity);
        var down = pool.Quote(new SwapRequest(true, E18, true));
        Assert.Equal(1, down.TicksCrossed);
        Assert.Equal(FullRangeL, down.LiquidityAfter);
        // the whole input meets only the full-range liquidity below 6720
        var step = SwapMath.ComputeSwapStep(pool.SqrtPriceX96, TickMath.GetSqrtRatioAtTick(0), FullRangeL, E18, 3000);
        Assert.Equal(step.AmountOut, down.AmountOut);

        var up = pool.Quote(new SwapRequest(false, E18, true));
        Assert.Equal(0, up.TicksCrossed);
        Assert.Equal(FullRangeL + l1, up.LiquidityAfter);
    }

    [Fact]
    public void ActiveRangeIsSwappedFirst()
    {
        // price inside a narrow, deep range: a small swap stays inside and meets L0 + L1 from the first wei
        var l1 = 50_000 * E18;
        var pool = FullRange(new Position(6900, 6960, l1));
        var result = pool.Quote(new SwapRequest(true, E18, true));
        var step = SwapMath.ComputeSwapStep(SqrtTwo, TickMath.GetSqrtRatioAtTick(6900), FullRangeL + l1, E18, 3000);
        Assert.Equal(step.AmountOut, result.AmountOut);
        Assert.Equal(0, result.TicksCrossed);
        Assert.True(result.AmountOut > FullRange().Quote(new SwapRequest(true, E18, true)).AmountOut);
    }

    [Fact]
    public void PriceLimitStopsExactlyAtTheLimit()
    {
        var pool = FullRange(new Position(6600, 6960, 500 * E18));
        var limit = TickMath.GetSqrtRatioAtTick(6650) + 12345;
        var result = pool.Swap(new SwapRequest(true, 1000 * E18, true, limit));
        Assert.Equal(SwapStop.PriceLimit, result.Stop);
        Assert.Equal(limit, result.SqrtPriceX96After);
        Assert.Equal(limit, pool.SqrtPriceX96);
        Assert.Equal(6650, pool.Tick);
        Assert.True(result.AmountIn < 1000 * E18);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Quote(new SwapRequest(true, E18, true, TickMath.MinSqrtRatio)));
        Assert.Equal(SwapStop.PriceLimit, pool.Quote(new SwapRequest(true, E18, true, limit + 1)).Stop);
    }

    [Fact]
    public void ExactOutputDeliversTheAmountAndCostsAtLeastTheExactInput()
    {
        var pool = FullRange(new Position(6600, 6960, 500 * E18));
        var want = 30 * E18;
        var result = pool.Quote(new SwapRequest(true, want, false));
        Assert.Equal(SwapStop.Filled, result.Stop);
        Assert.Equal(want, result.AmountOut);
        var back = pool.Quote(new SwapRequest(true, result.AmountIn, true));
        Assert.True(back.AmountOut >= want);
        var oneLess = pool.Quote(new SwapRequest(true, result.AmountIn - 1, true));
        Assert.True(oneLess.AmountOut <= want);
    }

    [Fact]
    public void RunningOutOfLiquidityStopsFillingAtTheLastRange()
    {
        var pool = NewV3(3000, 60, SqrtTwo, new[] { new Position(6600, 6960, 500 * E18) });
        var result = pool.Swap(new SwapRequest(true, 1_000_000 * E18, true));
        Assert.Equal(SwapStop.OutOfLiquidity, result.Stop);
        // the liquidity ends at 6600 (slot0.tick 6599 there); the price goes on for nothing to MIN_SQRT_RATIO + 1.
        Assert.Equal((TickMath.GetSqrtRatioAtTick(6600), 6599), (result.EdgeSqrtPriceX96, result.EdgeTick));
        Assert.Equal(TickMath.MinSqrtRatio + 1, result.SqrtPriceX96After);
        Assert.Equal(TickMath.MinTick, result.TickAfter);
        Assert.Equal(BigInteger.Zero, result.LiquidityAfter);
        Assert.True(pool.Balance1 >= 0 && pool.Balance1 <= 2, $"token1 left: {pool.Balance1}");
        // and it trades back
        var back = pool.Swap(new SwapRequest(false, E18, true));
        Assert.Equal(SwapStop.Filled, back.Stop);
        Assert.Equal(1, back.TicksCrossed);
    }

    [Fact]
    public void PartialBookStopsWithDataExhausted()
    {
        var positions = new[] { new Position(-887220, 887220, FullRangeL), new Position(6600, 6960, 500 * E18) };
        var pool = NewV3(3000, 60, SqrtTwo, positions, bookLower: 6000, bookUpper: 7800);
        var down = pool.Quote(new SwapRequest(true, 1_000_000 * E18, true));
        Assert.Equal(SwapStop.DataExhausted, down.Stop);
        Assert.Equal(TickMath.GetSqrtRatioAtTick(6000), down.SqrtPriceX96After);
        var up = pool.Quote(new SwapRequest(false, 1_000_000 * E18, true));
        Assert.Equal(SwapStop.DataExhausted, up.Stop);
        Assert.Equal(TickMath.GetSqrtRatioAtTick(7800), up.SqrtPriceX96After);
    }

    [Fact]
    public void BalancesAreImpliedByTheBookAndSettle()
    {
        var pool = FullRange();
        // full range at price 2: x = L/sqrtP ~ 1000e18, y = L*sqrtP ~ 2000e18 (rounded up, minus what lies beyond +-887220)
        Assert.InRange(pool.Balance0, 999 * E18, 1001 * E18);
        Assert.InRange(pool.Balance1, 1999 * E18, 2001 * E18);
        var (b0, b1) = (pool.Balance0, pool.Balance1);
        var result = pool.Swap(new SwapRequest(true, 10 * E18, true));
        Assert.Equal(b0 + result.AmountIn, pool.Balance0);
        Assert.Equal(b1 - result.AmountOut, pool.Balance1);
    }

    [Fact]
    public void SnapshotRoundTripAndClone()
    {
        var ticks = new[] { new TickSnapshot(-887220, FullRangeL, FullRangeL), new TickSnapshot(887220, -FullRangeL, FullRangeL) };
        var s = new UniswapV3PoolSnapshot(PoolAddress, "WETH", "USDC", 3000, 60, SqrtTwo, 6931, FullRangeL, ticks, null, null, "test");
        var pool = UniswapV3Pool.FromSnapshot(s, Weth, Usdc);
        Assert.Equal("uniswap-v3", pool.Kind);
        var clone = pool.Clone();
        var quote = clone.Quote(new SwapRequest(true, 10 * E18, true));
        var swap = clone.Swap(new SwapRequest(true, 10 * E18, true));
        Assert.Equal(quote, swap);
        Assert.Equal(SqrtTwo, pool.SqrtPriceX96);
        Assert.NotEqual(SqrtTwo, clone.SqrtPriceX96);
        Assert.Throws<ArgumentException>(() => new UniswapV3Pool(PoolAddress, Weth, Usdc, 3000, 60, SqrtTwo, 7000, FullRangeL, ticks));
    }
}
