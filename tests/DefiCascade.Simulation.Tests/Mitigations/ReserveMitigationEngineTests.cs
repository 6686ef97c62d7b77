using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Tests.Support;
using ScenarioMitigations = DefiCascade.Simulation.Scenarios.Mitigations;

namespace DefiCascade.Simulation.Tests.Mitigations;

/// <summary>
/// Stricter margins and the volatility-adjusted threshold against the same run without them, on the
/// builder's market (WETH LT 82.5%, LTV 80%, bonus 5%, protocol fee 10% of the bonus; a deep 100M USDC /
/// 50,000 WETH pool). Three positions of 10 WETH against 15,000 USDC sit at HF 1.1 at $2,000: a crash to
/// $1,200 leaves each with $12,000 of collateral for $15,000 of debt. The bots then seize all 10 WETH for
/// 12,000 / 1.05 = 11,428.57 USDC of debt and 3,571.43 stays as bad debt, per position. Cut LT to 74.25%
/// beforehand and each is at HF 20,000 x 0.7425 / 15,000 = 0.99 while ETH is still at $2,000: a 50% slice
/// repays 7,500 USDC for 7,500 x 1.05 / 2,000 = 3.9375 WETH, leaving 6.0625 WETH (HF 1.2004) and 7,500 of
/// debt. The crash then seizes 6.0625 x 1,200 / 1.05 = 6,928.57 of debt: bad debt 571.43 per position.
/// </summary>
public class ReserveMitigationEngineTests
{
    private static readonly BigInteger Usd = 100_000_000;

    private static SimulationResult Run(Scenario scenario, CascadeOptions? options = null) =>
        new CascadeEngine(
            MarketBuilder.AMarket().WithPosition(10, 15_000).WithPosition(10, 15_000).WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000).Build(),
            scenario, seed: 1, options ?? CascadeOptions.Default).Run();

    /// <summary>ETH flat, then -40% in one block at <paramref name="crashBlock"/>; <paramref name="runUp"/>: +10% / back, twice, first.</summary>
    private static Scenario Crash(int crashBlock, bool runUp, ScenarioMitigations mitigations)
    {
        List<PathPoint> path = [new PathPoint(0, Wad.One)];
        if (runUp)
        {
            path.AddRange([new PathPoint(1, Wad.FromDecimal("1.1")), new PathPoint(2, Wad.One), new PathPoint(3, Wad.FromDecimal("1.1")), new PathPoint(4, Wad.One)]);
        }

        path.AddRange([new PathPoint(crashBlock - 1, Wad.One), new PathPoint(crashBlock, Wad.FromDecimal("0.6")), new PathPoint(crashBlock + 1, Wad.FromDecimal("0.6"))]);
        return TestScenarios.InstantShock("0.6") with { DurationBlocks = crashBlock + 1, DriverPath = path, Mitigations = mitigations };
    }

    private static ScenarioMitigations Stricter(int fromBlock) =>
        new(null, null) { ParameterChanges = [new ReserveParameterChange("WETH", 7_400, 7_425, null, fromBlock)] };

    [Fact]
    public void Without_a_change_the_crash_leaves_3_571_of_bad_debt_per_position()
    {
        var result = Run(Crash(11, runUp: false, ScenarioMitigations.None));

        Assert.Equal(3, result.Liquidations.Count);
        Assert.All(result.Liquidations, e => Assert.Equal(11, e.Block));
        AssertNear(3 * 3_571.43m, result.Totals.BadDebtUsd);
    }

    [Fact]
    public void A_stricter_threshold_from_block_0_liquidates_at_once_while_eth_is_high_and_cuts_bad_debt()
    {
        var result = Run(Crash(11, runUp: false, Stricter(0)));

        // Block 1: three 50% slices at $2,000 (HF 0.99 under LT 74.25%); block 11: the rest at $1,200.
        Assert.Equal([1, 1, 1, 11, 11, 11], result.Liquidations.Select(e => e.Block));
        Assert.All(result.Liquidations.Take(3), e => Assert.Equal(7_500 * MarketBuilder.Usdc, e.DebtRepaid));
        AssertNear(3 * 571.43m, result.Totals.BadDebtUsd);

        var report = Assert.IsType<MitigationReport>(result.Mitigation);
        var set = Assert.Single(report.ReserveChanges!);
        Assert.Equal(new ReserveParameterSet(0, "Aave V3 test", "WETH", 7_400, 7_425, 10_500, null, "parameterChanges"), set);
        AssertNear(3 * 3_571.43m, report.Effect!.BadDebtUsdWithout);
        Assert.True(report.Effect.BadDebtUsd < report.Effect.BadDebtUsdWithout);
        Assert.Contains(result.Header.Assumptions, a => a.Name == "mitigation: parameter change WETH" && a.Value.StartsWith("from block 0: ltv 7400, liquidationThreshold 7425", StringComparison.Ordinal));
    }

    [Fact]
    public void A_change_from_a_later_block_acts_from_that_block()
    {
        var result = Run(Crash(11, runUp: false, Stricter(5)));

        Assert.Equal([5, 5, 5, 11, 11, 11], result.Liquidations.Select(e => e.Block));
        Assert.Equal(5, Assert.Single(result.Mitigation!.ReserveChanges!).Block);
    }

    [Fact]
    public void The_dynamic_threshold_cuts_after_a_volatile_run_up_and_the_crash_leaves_less_bad_debt()
    {
        // Window 300 blocks. Block 1's +10% oracle move: r^2 = 0.01, vol = sqrt(0.01 x 2,628,000 / 300) = 9.359 = 935.9% a year
        // (93,594 bps). Above the 100% baseline by 835.9 points x 1 bps = 835 bps, 825 on the 25-bps grid and the 825 cap:
        // LT 8250 - 825 = 7425 from block 2, LTV 8000 lowered to 7425 with it. At block 2 ETH is back at $2,000: the three
        // positions sit at HF 0.99 and lose a 50% slice each, while the pool is deep and the price high.
        var dynamic = new DynamicThresholdSpec(["WETH"], WindowBlocks: 300, BaselineVolPercent: 100, SensitivityBps: 1, MaxCutBps: 825, StepBps: 25, UpdateEveryBlocks: 1);
        var result = Run(Crash(31, runUp: true, new ScenarioMitigations(null, null) { DynamicThreshold = dynamic }));

        Assert.Equal([2, 2, 2, 31, 31, 31], result.Liquidations.Select(e => e.Block));
        var set = Assert.Single(result.Mitigation!.ReserveChanges!);
        Assert.Equal(new ReserveParameterSet(2, "Aave V3 test", "WETH", 7_425, 7_425, 10_500, 93_594, "dynamicThreshold"), set);
        AssertNear(3 * 571.43m, result.Totals.BadDebtUsd);
        AssertNear(3 * 3_571.43m, result.Mitigation.Effect!.BadDebtUsdWithout);
        Assert.Equal(3, result.Mitigation.Effect.LiquidationEventsWithout);
        Assert.Contains(result.Header.Assumptions, a => a.Name == "mitigation: dynamic liquidation threshold");
    }

    [Fact]
    public void The_dynamic_threshold_gives_the_cut_back_when_the_move_leaves_the_window()
    {
        // One -10% move at block 1 (vol 93,594 bps, cut 825 from block 2), window 5 blocks: the move leaves the window
        // at block 6, the cut decided at the end of block 6 is 0 and LT is 8250 again from block 7. A position at
        // 10 WETH / 13,500 USDC is at HF 1.1 at $1,800 without the cut and 0.99 with it: liquidated at block 2.
        var dynamic = new DynamicThresholdSpec([], WindowBlocks: 5, BaselineVolPercent: 100, SensitivityBps: 1, MaxCutBps: 1000, StepBps: 25, UpdateEveryBlocks: 1);
        var snapshot = MarketBuilder.AMarket().WithPosition(10, 13_500).WithV2Pool(100_000_000, 50_000).Build();
        var scenario = TestScenarios.InstantShock("0.9") with { DurationBlocks = 10, DriverPath = [new PathPoint(0, Wad.One), new PathPoint(1, Wad.FromDecimal("0.9"))], Mitigations = new ScenarioMitigations(null, null) { DynamicThreshold = dynamic } };

        var result = new CascadeEngine(snapshot, scenario, seed: 1).Run();

        // vol with a 5-block window: sqrt(0.01 x 2,628,000 / 5) = 72.50 = 7,250% (724,982 bps); cut (724,982 - 10,000) / 100 = 7,149 -> capped at 1,000.
        Assert.Equal(2, Assert.Single(result.Liquidations).Block);
        var changes = result.Mitigation!.ReserveChanges!;
        Assert.Equal([(2, 7_250, 7_250), (7, 8_000, 8_250)], changes.Where(c => c.Asset == "WETH").Select(c => (c.Block, c.LtvBps, c.LiquidationThresholdBps)));
        Assert.Equal(724_982, changes[0].VolatilityBps);
        // USDC is collateral too (every collateral reserve is watched) but its oracle never moved.
        Assert.DoesNotContain(changes, c => c.Asset == "USDC");
    }

    [Fact]
    public void A_scenario_whose_changes_the_contract_would_refuse_fails_when_the_run_starts()
    {
        // LT 7000 under the snapshot's LTV 8000: configureReserveAsCollateral requires ltv <= liquidationThreshold.
        var bad = new ScenarioMitigations(null, null) { ParameterChanges = [new ReserveParameterChange("WETH", null, 7_000, null, 0)] };
        var snapshot = MarketBuilder.AMarket().WithPosition(10, 15_000).Build();

        var e = Assert.Throws<InvalidOperationException>(() => new CascadeEngine(snapshot, TestScenarios.InstantShock("0.9") with { Mitigations = bad }, seed: 1));

        Assert.Contains("mitigations.parameterChanges[0]: WETH in Aave V3 test from block 0: ltv 8000 > liquidationThreshold 7000", e.Message, StringComparison.Ordinal);
    }

    private static void AssertNear(decimal expectedUsd, BigInteger actual)
    {
        var usd = (decimal)actual / 100_000_000m;
        Assert.True(Math.Abs(usd - expectedUsd) < 1m, $"expected about ${expectedUsd}, got ${usd}");
    }
}
