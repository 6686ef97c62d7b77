using System.Numerics;
using DefiCascade.Amm.V3;
using static DefiCascade.Amm.Tests.TestPools;

namespace DefiCascade.Amm.Tests;

public sealed class V3MathTests
{
    private static readonly BigInteger One = BigInteger.One << 96;

    // floor(1.1 * 2^96) = floor(87150978765690771352898345369.6)
    private static readonly BigInteger OnePointOne = Big("87150978765690771352898345369");

    [Fact]
    public void Amount1DeltaRoundsAsAsked()
    {
        // 1e18 * (1.1*2^96 - 0.6 - 2^96) / 2^96 = 1e17 - a fraction: down 99999999999999999, up 1e17
        Assert.Equal(Big("99999999999999999"), SqrtPriceMath.GetAmount1Delta(One, OnePointOne, E18, false));
        Assert.Equal(Big("100000000000000000"), SqrtPriceMath.GetAmount1Delta(OnePointOne, One, E18, true));
        Assert.Equal(Big("100000000000000000"), SqrtPriceMath.GetAmount1Delta(One, OnePointOne, E18));
        Assert.Equal(Big("-99999999999999999"), SqrtPriceMath.GetAmount1Delta(One, OnePointOne, -E18));
    }

    [Fact]
    public void Amount0DeltaRoundsAsAsked()
    {
        // 1e18 * (1 - 1/1.1) = 90909090909090909.09..; the floored 1.1 pushes it a hair up: down ...909, up ...910
        Assert.Equal(Big("90909090909090909"), SqrtPriceMath.GetAmount0Delta(One, OnePointOne, E18, false));
        Assert.Equal(Big("90909090909090910"), SqrtPriceMath.GetAmount0Delta(One, OnePointOne, E18, true));
    }

    [Fact]
    public void NextPriceFromInputDoesNotPassTheExactPrice()
    {
        // adding 0.1e18 token1 to L=1e18 at price 1: sqrt becomes 1.1 exactly -> 1.1 * 2^96 rounded down
        Assert.Equal(OnePointOne, SqrtPriceMath.GetNextSqrtPriceFromInput(One, E18, E18 / 10, false));
        // adding 0.1e18 token0: L*P / (L + 0.1 L) = 2^96 / 1.1 rounded up
        var expected = FullMath.DivRoundingUp(One * 10, 11);
        Assert.Equal(expected, SqrtPriceMath.GetNextSqrtPriceFromInput(One, E18, E18 / 10, true));
        // removing the whole virtual token0 reserve reverts
        Assert.Throws<OverflowException>(() => SqrtPriceMath.GetNextSqrtPriceFromOutput(One, E18, E18, false));
    }

    [Fact]
    public void FeeIsTakenFromTheInput()
    {
        // target far away: the whole input is used, fee = remainder = amount - amountIn
        var step = SwapMath.ComputeSwapStep(One, One * 2, E18, E18, 3000);
        Assert.Equal(E18, step.AmountIn + step.FeeAmount);
        Assert.Equal(E18 * 997 / 1000, step.AmountIn);
        // target reached: fee = ceil(amountIn * 3000 / 997000)
        var reached = SwapMath.ComputeSwapStep(One, OnePointOne, E18, E18, 3000);
        Assert.Equal(OnePointOne, reached.SqrtPriceNextX96);
        Assert.Equal(FullMath.MulDivRoundingUp(reached.AmountIn, 3000, 997000), reached.FeeAmount);
        // exact output is capped at what remains
        var exactOut = SwapMath.ComputeSwapStep(One, OnePointOne, E18, -1000, 3000);
        Assert.Equal(1000, exactOut.AmountOut);
    }

    [Fact]
    public void RevertsBecomeExceptions()
    {
        Assert.Throws<OverflowException>(() => FullMath.MulDiv(BigInteger.One << 255, 4, 1));
        Assert.Throws<DivideByZeroException>(() => FullMath.MulDiv(BigInteger.One, BigInteger.One, BigInteger.Zero));
        // the 512-bit intermediate is fine as long as the result fits uint256
        Assert.Equal(BigInteger.One << 255, FullMath.MulDiv(BigInteger.One << 255, 4, 4));
        Assert.Throws<OverflowException>(() => FullMath.MulDivRoundingUp((BigInteger.One << 256) - 1, 3, 2));
        Assert.Throws<OverflowException>(() => LiquidityMath.AddDelta(BigInteger.One, -2));
        Assert.Throws<OverflowException>(() => LiquidityMath.AddDelta(LiquidityMath.Uint128Max, 1));
        Assert.Equal(3, LiquidityMath.AddDelta(new BigInteger(5), -2));
        // the walk's uint128 / int128 words revert alike
        Assert.Throws<OverflowException>(() => LiquidityMath.AddDelta(UInt128.One, (Int128)(-2)));
        Assert.Throws<OverflowException>(() => LiquidityMath.AddDelta(UInt128.MaxValue, Int128.One));
        Assert.Throws<OverflowException>(() => LiquidityMath.AddDelta(((UInt128)1 << 127) - 1, Int128.MinValue));
        Assert.Equal((UInt128)0, LiquidityMath.AddDelta((UInt128)1 << 127, Int128.MinValue));
        Assert.Equal((UInt128)3, LiquidityMath.AddDelta((UInt128)5, (Int128)(-2)));
        Assert.Equal(UInt128.MaxValue, LiquidityMath.AddDelta(UInt128.MaxValue - (UInt128)Int128.MaxValue, Int128.MaxValue));
    }
}
