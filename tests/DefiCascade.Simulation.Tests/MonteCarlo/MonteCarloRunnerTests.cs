using System.Numerics;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.MonteCarlo;

public class MonteCarloRunnerTests
{
    private const int Seed = 11;

    private static MarketBuilder Market() => MarketBuilder.SixtyAccountsOnOnePool();

    // ETH -15% in block 1, then a 40 bps-per-block seeded walk for 40 blocks: paths differ by their noise only.
    private static readonly Simulation.Scenarios.Scenario Noisy = TestScenarios.InstantShock("0.85") with { DurationBlocks = 40, NoiseBpsPerBlock = 40 };

    private static MonteCarloOptions Options(int threads) => new(Paths: 6, Threads: threads, BadDebtThresholdUsd: 1_000_00000000, MaterialityFloorUsd: 1_000_00000000);

    [Fact]
    public void Same_seed_gives_byte_identical_montecarlo_json_with_one_and_two_threads()
    {
        var snapshot = Market().Build();
        var one = MonteCarloRunner.Run(snapshot, Noisy, Seed, Options(1));
        var two = MonteCarloRunner.Run(snapshot, Noisy, Seed, Options(2));

        Assert.Equal(MonteCarloJson.Serialize(one), MonteCarloJson.Serialize(two));
        Assert.Equal(MonteCarloJson.PathsCsv(one), MonteCarloJson.PathsCsv(two));
        Assert.False(one.Degenerate, "the noise must make the paths differ, or the comparison proves nothing");
        Assert.Equal(Enumerable.Range(0, 6), one.Paths.Select(p => p.Path));
    }

    [Fact]
    public void Each_path_equals_a_single_run_with_its_path_seed()
    {
        var snapshot = Market().Build();
        var result = MonteCarloRunner.Run(snapshot, Noisy, Seed, Options(2));

        foreach (var path in new[] { 0, 4 })
        {
            var seed = PathSeeds.ForPath(Seed, path);
            var alone = new CascadeEngine(Market().Build(), Noisy, seed).Run();
            var outcome = result.Paths[path];
            Assert.Equal(seed, outcome.Seed);
            Assert.Equal(alone.Totals.BadDebtUsd, outcome.BadDebtUsd);
            Assert.Equal(alone.Totals.DebtRepaidUsd, outcome.LiquidationVolumeUsd);
            Assert.Equal(alone.Totals.LiquidationEvents, outcome.Liquidations);
        }

        Assert.Equal(PathSeeds.ForPath(Seed, 0), result.FirstPath.Header.Seed);
    }

    [Fact]
    public void The_metrics_are_the_estimators_over_the_paths()
    {
        var result = MonteCarloRunner.Run(Market().Build(), Noisy, Seed, Options(2));
        var bad = result.Paths.Select(p => p.BadDebtUsd).ToList();

        // Six paths: VaR95 is rank ceil(5.7) = 6 and EVaR99 rank ceil(5.94) = 6, both the worst path; ES95 over ceil(0.3) = 1 path, the worst too.
        Assert.Equal(bad.Max(), result.Metrics.BadDebtVaR95Usd);
        Assert.Equal(bad.Max(), result.Metrics.BadDebtEVaR99Usd);
        Assert.Equal(bad.Max(), result.Metrics.BadDebtExpectedShortfall95Usd);
        Assert.Equal(result.Paths.Max(p => p.LiquidationVolumeUsd), result.Metrics.LiquidationVolumeLaR95Usd);
        Assert.Equal(bad.Count(b => b > BigInteger.Zero) / 6.0, result.Metrics.ProbabilityOfBadDebt);
    }

    [Fact]
    public void A_scenario_without_randomness_is_flagged_as_degenerate()
    {
        var result = MonteCarloRunner.Run(Market().Build(), TestScenarios.InstantShock("0.85"), Seed, Options(2) with { Paths = 3 });
        Assert.True(result.Degenerate);
    }
}
