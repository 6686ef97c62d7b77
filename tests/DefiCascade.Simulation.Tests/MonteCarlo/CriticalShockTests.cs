using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.MonteCarlo;

public class CriticalShockTests
{
    /// <summary>
    /// Two positions that leave realized bad debt once the collateral cap binds, one that stays healthy, on a deep pool.
    /// Below $1,575 (10 WETH vs 15,000: 10p &lt; 15,000 x 1.05) and $1,680 (5 WETH vs 8,000), all the collateral
    /// is seized and debt minus collateral/1.05 is left: B(p) = 23,000 - 15p/1.05. B = $1,200 at p = 21,800 x 1.05 / 15
    /// = $1,526, a 23.7% fall from $2,000.
    /// </summary>
    private static MarketBuilder Market() => MarketBuilder.AMarket()
        .WithPosition(10, 15_000).WithPosition(5, 8_000).WithPosition(20, 10_000)
        .WithV2Pool(100_000_000, 50_000);

    private const long ThresholdUsd = 1_200_00000000;

    [Fact]
    public void Bisection_brackets_the_transition_seen_in_a_one_percent_sweep()
    {
        var snapshot = Market().Build();
        var scenario = TestScenarios.InstantShock("1");
        var sweep = Enumerable.Range(0, 100).Select(pct => pct * 100)
            .Select(bps => (Bps: bps, BadDebt: MonteCarloRunner.Engine(snapshot, CriticalShock.InstantVariant(scenario, System.Math.Min(bps, MonteCarloOptions.MaxShockBps)), 1, default).Totals.BadDebtUsd))
            .ToList();
        // Precondition of bisection on this book: bad debt never falls as the shock grows.
        Assert.True(sweep.Zip(sweep.Skip(1)).All(x => x.First.BadDebt <= x.Second.BadDebt), "bad debt must grow with the shock on this book");
        var firstFailing = sweep.First(x => x.BadDebt >= ThresholdUsd).Bps;
        Assert.Equal(2_400, firstFailing); // 23.7% by hand: 23% absorbs, 24% does not

        var found = CriticalShock.Find(snapshot, scenario, 1, ThresholdUsd, 25, MonteCarloRunner.Engine);

        Assert.NotNull(found.AbsorbedBps);
        Assert.NotNull(found.FailedBps);
        Assert.InRange(found.FailedBps!.Value - found.AbsorbedBps!.Value, 1, 25);
        Assert.InRange(found.AbsorbedBps.Value, firstFailing - 100, firstFailing - 1);
        Assert.InRange(found.FailedBps.Value, firstFailing - 99, firstFailing);
        // The bracket holds the hand-computed 23.7% (2,370 bps) within the Aave rounding of a few cents.
        Assert.InRange(2_370, found.AbsorbedBps.Value, found.FailedBps.Value + 1);
        Assert.All(found.Trials, t => Assert.Equal(t.BadDebtUsd < ThresholdUsd, t.Absorbed));
    }

    [Fact]
    public void A_threshold_no_shock_reaches_and_one_even_no_shock_breaks_are_reported_as_open_bounds()
    {
        var snapshot = Market().Build();
        var scenario = TestScenarios.InstantShock("1");

        // Total debt is $33,000: no fall can leave more bad debt than that.
        var never = CriticalShock.Find(snapshot, scenario, 1, 40_000_00000000, 25, MonteCarloRunner.Engine);
        Assert.Equal(MonteCarloOptions.MaxShockBps, never.AbsorbedBps);
        Assert.Null(never.FailedBps);

        // A zero threshold: even no shock leaves "at least zero" bad debt.
        var always = CriticalShock.Find(snapshot, scenario, 1, 0, 25, MonteCarloRunner.Engine);
        Assert.Null(always.AbsorbedBps);
        Assert.Equal(0, always.FailedBps);
    }

    [Fact]
    public void The_instant_variant_falls_in_block_one_and_keeps_the_market_settings()
    {
        var scenario = TestScenarios.InstantShock("0.7") with { NoiseBpsPerBlock = 30 };
        var variant = CriticalShock.InstantVariant(scenario, 1_250);

        Assert.Equal(1, variant.DurationBlocks);
        Assert.Equal(0, variant.NoiseBpsPerBlock);
        Assert.Equal(Simulation.Scenarios.Wad.FromDecimal("0.875"), variant.DriverPath[^1].MultiplierWad);
        Assert.Same(scenario.Market, variant.Market);
        Assert.Equal(3_000, CriticalShock.LargestDriverFallBps(scenario));
    }
}
