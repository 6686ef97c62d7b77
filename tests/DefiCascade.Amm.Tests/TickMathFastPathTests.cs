using System.Numerics;
using DefiCascade.Amm.V3;

namespace DefiCascade.Amm.Tests;

/// <summary>
/// The 128-bit GetSqrtRatioAtTick and the log-estimate GetTickAtSqrtRatio must equal the
/// line-by-line transcriptions of the contract on every input we try, edges included.
/// </summary>
public class TickMathFastPathTests
{
    [Fact]
    public void Fast_sqrt_ratio_equals_the_contract_transcription()
    {
        const int seed = 977;
        var random = new Random(seed);
        var ticks = new List<int> { TickMath.MinTick, TickMath.MinTick + 1, -1, 0, 1, TickMath.MaxTick - 1, TickMath.MaxTick };
        ticks.AddRange(Enumerable.Range(0, 20_000).Select(_ => random.Next(TickMath.MinTick, TickMath.MaxTick + 1)));
        foreach (var tick in ticks)
        {
            Assert.True(TickMath.GetSqrtRatioAtTickReference(tick) == TickMath.GetSqrtRatioAtTick(tick), $"seed {seed}: tick {tick}");
        }
    }

    [Fact]
    public void Fast_tick_lookup_equals_the_contract_transcription_on_and_between_tick_prices()
    {
        const int seed = 978;
        var random = new Random(seed);
        var prices = new List<BigInteger> { TickMath.MinSqrtRatio, TickMath.MaxSqrtRatio - 1, BigInteger.One << 96 };
        for (var i = 0; i < 5_000; i++)
        {
            var tick = random.Next(TickMath.MinTick, TickMath.MaxTick);
            var at = TickMath.GetSqrtRatioAtTick(tick);
            var next = TickMath.GetSqrtRatioAtTick(tick + 1);
            prices.Add(at);
            prices.Add(next - 1);
            if (at > TickMath.MinSqrtRatio)
            {
                prices.Add(at - 1);
            }

            prices.Add(at + (next - at) * random.Next(0, 1000) / 1000);
        }

        foreach (var price in prices)
        {
            Assert.True(TickMath.GetTickAtSqrtRatioReference(price) == TickMath.GetTickAtSqrtRatio(price), $"seed {seed}: sqrtPriceX96 {price}");
        }
    }
}
