using System.Numerics;
using DefiCascade.Amm.V3;
using static DefiCascade.Amm.Tests.TestPools;

namespace DefiCascade.Amm.Tests;

public sealed class TickMathTests
{
    [Fact]
    public void TickZeroIsOneInQ96() =>
        Assert.Equal(Big("79228162514264337593543950336"), TickMath.GetSqrtRatioAtTick(0));

    [Fact]
    public void ExtremeTicksGiveExtremeRatios()
    {
        Assert.Equal(TickMath.MinSqrtRatio, TickMath.GetSqrtRatioAtTick(TickMath.MinTick));
        Assert.Equal(TickMath.MaxSqrtRatio, TickMath.GetSqrtRatioAtTick(TickMath.MaxTick));
        Assert.Equal(TickMath.MinTick, TickMath.GetTickAtSqrtRatio(TickMath.MinSqrtRatio));
        Assert.Equal(TickMath.MaxTick - 1, TickMath.GetTickAtSqrtRatio(TickMath.MaxSqrtRatio - 1));
    }

    [Fact]
    public void OutOfRangeInputsRevert()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TickMath.GetSqrtRatioAtTick(TickMath.MaxTick + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TickMath.GetSqrtRatioAtTick(TickMath.MinTick - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TickMath.GetTickAtSqrtRatio(TickMath.MinSqrtRatio - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TickMath.GetTickAtSqrtRatio(TickMath.MaxSqrtRatio));
    }

    [Fact]
    public void PriceTwoIsTick6931()
    {
        // sqrt(2) * 2^96 = 112045541949572279837463876454.0...; 1.0001^6931 = 1.99983 <= 2 < 1.0001^6932 = 2.00003
        var sqrtTwo = Big("112045541949572279837463876454");
        Assert.Equal(6931, TickMath.GetTickAtSqrtRatio(sqrtTwo));
        Assert.True(TickMath.GetSqrtRatioAtTick(6931) <= sqrtTwo);
        Assert.True(TickMath.GetSqrtRatioAtTick(6932) > sqrtTwo);
        // and price 1/2 sits at tick -6932 (the greatest tick at or below the price)
        Assert.Equal(-6932, TickMath.GetTickAtSqrtRatio(Big("56022770974786139918731938227")));
    }

    [Fact]
    // Math.Pow itself drifts ~1e-11 at large exponents; this only guards against a wrong constant.
    public void RatiosAreCloseToTheRealFormula()
    {
        foreach (var tick in new[] { -500_000, -50_000, -1, 1, 60, 6931, 50_000, 500_000 })
        {
            var expected = Math.Pow(1.0001, tick / 2.0);
            var actual = (double)TickMath.GetSqrtRatioAtTick(tick) / Math.Pow(2, 96);
            Assert.True(Math.Abs(actual / expected - 1) < 1e-10, $"tick {tick}: {actual} vs {expected}");
        }
    }

    [Fact]
    public void RatioIsStrictlyIncreasingAroundZero()
    {
        for (var t = -300; t < 300; t++)
        {
            Assert.True(TickMath.GetSqrtRatioAtTick(t) < TickMath.GetSqrtRatioAtTick(t + 1), $"tick {t}");
        }
    }

    [Fact]
    public void TickAtRatioInvertsRatioAtTick()
    {
        const int seed = 20240601;
        var rng = new Random(seed);
        for (var i = 0; i < 5000; i++)
        {
            var tick = rng.Next(TickMath.MinTick + 1, TickMath.MaxTick);
            var ratio = TickMath.GetSqrtRatioAtTick(tick);
            Assert.True(tick == TickMath.GetTickAtSqrtRatio(ratio), $"seed {seed}, tick {tick}");
            Assert.True(tick - 1 == TickMath.GetTickAtSqrtRatio(ratio - 1), $"seed {seed}, tick {tick} - 1 wei");
            var between = ratio + new BigInteger(rng.NextDouble() * (double)(TickMath.GetSqrtRatioAtTick(tick + 1) - ratio));
            if (between < TickMath.GetSqrtRatioAtTick(tick + 1))
            {
                Assert.True(tick == TickMath.GetTickAtSqrtRatio(between), $"seed {seed}, tick {tick} + inside");
            }
        }
    }
}
