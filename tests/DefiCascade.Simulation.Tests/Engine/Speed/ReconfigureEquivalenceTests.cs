using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// Thresholds and bonuses that change mid-run (the reserve mitigations) against the naive reference: the
/// scaled engine's screen schedule, cached account data and per-class bounds all depend on them, so each
/// change must refresh what it touches. The whole result.json must be byte-identical.
/// </summary>
public class ReconfigureEquivalenceTests
{
    // Down 40% then back up 30% with noise: the steward cuts thresholds in the fall and gives them back in the
    // calm; WBTC's threshold is lowered by governance at block 120 and wstETH's bonus cut at block 200.
    private const string Case = """
        name: steward
        durationBlocks: 400
        path:
          - { block: 150, multiplier: 0.6 }
          - { block: 250, multiplier: 0.6 }
          - { block: 400, multiplier: 0.9 }
        betas: { wstETH: 1.0, WBTC: 0.7 }
        noiseBpsPerBlock: 30
        maxSettleBlocks: 50
        mitigations:
          dynamicThreshold: { windowBlocks: 40, baselineVolPercent: 150, sensitivityBps: 4, maxCutBps: 600, stepBps: 25, updateEveryBlocks: 5 }
          parameterChanges:
            - { asset: WBTC, ltvBps: 7200, liquidationThresholdBps: 7400, fromBlock: 120 }
            - { asset: wstETH, liquidationBonusBps: 10500, fromBlock: 200 }
        """;

    [Fact]
    public void Scaled_engine_writes_the_naive_engines_result_json_when_thresholds_change_mid_run()
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 4_000, Seed = 202 });
        var scenario = ScenarioLoader.Parse(Case, "steward.yaml", snapshot);
        var options = new CascadeOptions(CompareWithoutMitigations: false);

        // Carried first passes are checked against full ones (a steward's change must stop the carry).
        var scaled = new CascadeEngine(snapshot, scenario, seed: 5, options with { CheckCarriedPasses = true }).Run();
        var naive = new CascadeEngine(snapshot, scenario, seed: 5, options with { NaiveRescan = true }).Run();

        // The case must exercise what it claims: cuts during the run, a threshold given back, both governance changes.
        var changes = naive.Mitigation!.ReserveChanges!;
        Assert.True(changes.Count(c => c.Block > 1) >= 10, $"only {changes.Count} changes");
        Assert.Contains(changes.Zip(changes.Skip(1)), p => p.First.Asset == p.Second.Asset && p.Second.LiquidationThresholdBps > p.First.LiquidationThresholdBps);
        Assert.Contains(changes, c => c is { Block: 120, Asset: "WBTC", Cause: "parameterChanges+dynamicThreshold" });
        Assert.Contains(changes, c => c is { Block: 200, Asset: "wstETH", LiquidationBonusBps: 10_500 });
        Assert.True(naive.Totals.LiquidationEvents > 0);
        Assert.Equal(ResultJson.Serialize(naive), ResultJson.Serialize(scaled));
        Assert.Equal(CsvReports.Liquidations(naive), CsvReports.Liquidations(scaled));
    }
}
