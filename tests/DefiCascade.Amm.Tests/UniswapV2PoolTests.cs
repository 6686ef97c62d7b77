using System.Numerics;
using DefiCascade.Amm.V2;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Snapshot;
using static DefiCascade.Amm.Tests.TestPools;

namespace DefiCascade.Amm.Tests;

public sealed class UniswapV2PoolTests
{
    [Fact]
    public void TenEthIntoThousandToTwoThousandPaysTheContractAmount()
    {
        // in*997 = 9970e18; out = 9970e18 * 2000e18 / (1000e18*1000 + 9970e18) = 1.994e43 / 1.00997e24
        //   = 19743160687941225977.01... -> 19743160687941225977 (observed on anvil from the real pair).
        var pool = NewV2(1000 * E18, 2000 * E18);
        var result = pool.Swap(new SwapRequest(true, 10 * E18, true));
        Assert.Equal(Big("19743160687941225977"), result.AmountOut);
        Assert.Equal(10 * E18, result.AmountIn);
        Assert.Equal(SwapStop.Filled, result.Stop);
        Assert.Equal(1010 * E18, pool.Balance0);
        Assert.Equal((2000 * E18) - Big("19743160687941225977"), pool.Balance1);
        Assert.Equal(0, result.TicksCrossed);
        // price 1980.25.../1010 = 1.9606...: tick = floor(ln(1.9606)/ln(1.0001)) = 6733
        Assert.Equal(6733, result.TickAfter);
    }

    [Fact]
    public void GetAmountInInvertsTheVector()
    {
        // 1000e18 * 19743160687941225977 * 1000 / ((2000e18 - 19743160687941225977) * 997) = 9999999999999999999.99.. -> 9999999999999999999, +1
        Assert.Equal(10 * E18, UniswapV2Pool.GetAmountIn(Big("19743160687941225977"), 1000 * E18, 2000 * E18));
        // small numbers: 10000*906*1000 / (9094*997) = 9060000000 / 9066718 = 999.26 -> 999, +1 = 1000
        Assert.Equal(1000, UniswapV2Pool.GetAmountIn(906, 10000, 10000));
        // and forward: 997000*10000 / (10000000 + 997000) = 906.6 -> 906
        Assert.Equal(906, UniswapV2Pool.GetAmountOut(1000, 10000, 10000));
        // the +1 is unconditional: 1000*997*1000 / ((1997-997)*997) = 1000 exactly, still +1
        Assert.Equal(1001, UniswapV2Pool.GetAmountIn(997, 1000, 1997));
    }

    [Fact]
    public void LibraryRevertsBecomeExceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UniswapV2Pool.GetAmountOut(0, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => UniswapV2Pool.GetAmountOut(1, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => UniswapV2Pool.GetAmountIn(10, 10, 10));
    }

    [Fact]
    public void ExactOutputPaysTheRouterAmountAndDeliversExactly()
    {
        // 10000*1000*1000 / (9000*997) = 10000000000 / 8973000 = 1114.45 -> 1114, +1 = 1115
        var pool = NewV2(10000, 10000);
        var result = pool.Swap(new SwapRequest(false, 1000, false));
        Assert.Equal(1115, result.AmountIn);
        Assert.Equal(1000, result.AmountOut);
        Assert.Equal(SwapStop.Filled, result.Stop);
        Assert.Equal(9000, pool.Balance0);
        Assert.Equal(11115, pool.Balance1);
    }

    [Fact]
    public void AskingForTheWholeReserveStopsOutOfLiquidityOneWeiShort()
    {
        var pool = NewV2(10000, 20000);
        var result = pool.Quote(new SwapRequest(true, 20000, false));
        Assert.Equal(SwapStop.OutOfLiquidity, result.Stop);
        Assert.Equal(19999, result.AmountOut);
        // 10000*19999*1000 / (1*997) = 200591775.3 -> 200591775, +1
        Assert.Equal(200591776, result.AmountIn);
        var more = pool.Quote(new SwapRequest(true, 1_000_000, false));
        Assert.Equal(result, more);
        Assert.Equal(10000, pool.Balance0);
    }

    [Fact]
    public void DustInputTradesNothing()
    {
        var result = NewV2(1000 * E18, 1000).Quote(new SwapRequest(true, 1, true));
        Assert.Equal(BigInteger.Zero, result.AmountIn);
        Assert.Equal(BigInteger.Zero, result.AmountOut);
    }

    [Fact]
    public void PriceLimitTakesTheLargestInputThatStaysOnTheRightSide()
    {
        var pool = NewV2(1000 * E18, 2000 * E18);
        // limit at price 1.9 (token1 per token0): sqrt(1.9) * 2^96
        var limit = PoolPricing.SqrtPriceX96FromRatio(19, 10);
        var result = pool.Quote(new SwapRequest(true, 100 * E18, true, limit));
        Assert.Equal(SwapStop.PriceLimit, result.Stop);
        Assert.True(result.SqrtPriceX96After >= limit);
        // continuous estimate: (1000 + 0.997x)(1000 + x) = 2e6/1.9 -> x ~ 26.04e18
        Assert.InRange(result.AmountIn, 26 * E18, 27 * E18);
        var onePastOut = UniswapV2Pool.GetAmountOut(result.AmountIn + 1, 1000 * E18, 2000 * E18);
        var onePast = PoolPricing.SqrtPriceX96FromRatio((2000 * E18) - onePastOut, (1000 * E18) + result.AmountIn + 1);
        Assert.True(onePast < limit, "one more wei of input would cross the limit");
        Assert.Equal(UniswapV2Pool.GetAmountOut(result.AmountIn, 1000 * E18, 2000 * E18), result.AmountOut);

        // the other direction: limit at price 2.1
        var up = PoolPricing.SqrtPriceX96FromRatio(21, 10);
        var buy = pool.Quote(new SwapRequest(false, 1000 * E18, true, up));
        Assert.Equal(SwapStop.PriceLimit, buy.Stop);
        Assert.True(buy.SqrtPriceX96After <= up);

        // a limit that does not bind leaves a plain exact-in fill
        var loose = pool.Quote(new SwapRequest(true, E18, true, limit));
        Assert.Equal(SwapStop.Filled, loose.Stop);
        // a limit on the wrong side trades nothing
        var wrong = pool.Quote(new SwapRequest(true, E18, true, up));
        Assert.Equal(SwapStop.PriceLimit, wrong.Stop);
        Assert.Equal(BigInteger.Zero, wrong.AmountIn);
    }

    [Fact]
    public void SqrtPriceAndSnapshot()
    {
        var s = new UniswapV2PoolSnapshot(PoolAddress, "WETH", "USDC", 1000 * E18, 2000 * E18, "test");
        var pool = UniswapV2Pool.FromSnapshot(s, Weth, Usdc);
        Assert.Equal(Big("112045541949572279837463876454"), pool.SqrtPriceX96);
        Assert.Equal("uniswap-v2", pool.Kind);
        Assert.Equal(3000, pool.FeePips);
        Assert.Throws<ArgumentException>(() => UniswapV2Pool.FromSnapshot(s, Usdc, Weth));
        Assert.Equal(2.0, PoolPricing.PriceToken0InToken1(pool.SqrtPriceX96, 18, 18), 12);
        Assert.Equal(2e12, PoolPricing.PriceToken0InToken1(pool.SqrtPriceX96, 18, 6), 0);
        Assert.Equal(6931, TickMath.GetTickAtSqrtRatio(pool.SqrtPriceX96));
    }

    [Fact]
    public void CloneIsIndependent()
    {
        var pool = NewV2(1000 * E18, 2000 * E18);
        var clone = pool.Clone();
        clone.Swap(new SwapRequest(true, E18, true));
        Assert.Equal(1000 * E18, pool.Balance0);
        Assert.Equal(1001 * E18, clone.Balance0);
    }
}
