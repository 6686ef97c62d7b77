using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Mitigations;

/// <summary>
/// mitigations.dynamicThreshold and mitigations.parameterChanges: read exactly, and every bad value refused
/// with the file and the field. Against the builder's snapshot (WETH LTV 8000 / LT 8250 / bonus 10500,
/// USDC 7500 / 7800 / 10450), the configurations the run would set must pass configureReserveAsCollateral.
/// </summary>
public class ReserveMitigationLoaderTests
{
    private static readonly MarketSnapshot Snapshot = MarketBuilder.AMarket().Build();

    private static Scenario Parse(string yaml) => ScenarioLoader.Parse("durationBlocks: 100\n" + yaml, "reserves.yaml", Snapshot);

    [Fact]
    public void Dynamic_threshold_is_read_with_its_defaults()
    {
        var d = Parse("mitigations: { dynamicThreshold: { windowBlocks: 300, sensitivityBps: 10, maxCutBps: 1000 } }").Mitigations.DynamicThreshold!;

        Assert.Empty(d.Assets);
        Assert.Equal((300, 0, 10, 1000, 25, 1), (d.WindowBlocks, d.BaselineVolPercent, d.SensitivityBps, d.MaxCutBps, d.StepBps, d.UpdateEveryBlocks));
    }

    [Fact]
    public void Dynamic_threshold_and_parameter_changes_are_read_exactly()
    {
        const string yaml = """
            mitigations:
              dynamicThreshold: { assets: [WETH], windowBlocks: 50, baselineVolPercent: 80, sensitivityBps: 5, maxCutBps: 500, stepBps: 50, updateEveryBlocks: 10 }
              parameterChanges:
                - { asset: WETH, liquidationThresholdBps: 7800, ltvBps: 7500 }
                - { asset: WETH, liquidationBonusBps: 10700, fromBlock: 40 }
            """;
        var m = Parse(yaml).Mitigations;

        Assert.Equal(["WETH"], m.DynamicThreshold!.Assets);
        Assert.Equal((50, 80, 5, 500, 50, 10), (m.DynamicThreshold.WindowBlocks, m.DynamicThreshold.BaselineVolPercent, m.DynamicThreshold.SensitivityBps, m.DynamicThreshold.MaxCutBps, m.DynamicThreshold.StepBps, m.DynamicThreshold.UpdateEveryBlocks));
        Assert.Equal([new ReserveParameterChange("WETH", 7500, 7800, null, 0), new ReserveParameterChange("WETH", null, null, 10700, 40)], m.ParameterChanges);
        Assert.True(m.Any);
        Assert.True(m.ChangesReserves);
    }

    [Theory]
    [InlineData("dynamicThreshold: { windowBlocks: 30, maxCutBps: 100 }", "mitigations.dynamicThreshold.sensitivityBps", "is required")]
    [InlineData("dynamicThreshold: { windowBlocks: 1, sensitivityBps: 1, maxCutBps: 100 }", "mitigations.dynamicThreshold.windowBlocks", "out of range")]
    [InlineData("dynamicThreshold: { windowBlocks: 30, sensitivityBps: 1, maxCutBps: 110 }", "mitigations.dynamicThreshold.maxCutBps", "multiple of stepBps 25")]
    [InlineData("dynamicThreshold: { windowBlocks: 30, sensitivityBps: 1, maxCutBps: 0 }", "mitigations.dynamicThreshold.maxCutBps", "out of range")]
    [InlineData("dynamicThreshold: { windowBlocks: 30, sensitivityBps: x, maxCutBps: 100 }", "mitigations.dynamicThreshold.sensitivityBps", "not a whole number")]
    [InlineData("dynamicThreshold: { assets: [PEPE], windowBlocks: 30, sensitivityBps: 1, maxCutBps: 100 }", "mitigations.dynamicThreshold.assets[0]", "not in the snapshot")]
    [InlineData("dynamicThreshold: { assets: [WETH, WETH], windowBlocks: 30, sensitivityBps: 1, maxCutBps: 100 }", "mitigations.dynamicThreshold.assets[1]", "listed twice")]
    [InlineData("dynamicThreshold: { windowBlocks: 30, sensitivityBps: 1, maxCutBps: 100, volWindow: 3 }", "mitigations.dynamicThreshold.volWindow", "not a known field")]
    // USDC's threshold is 7800: a 7800-bps cut would take it to 0, which disables it as collateral.
    [InlineData("dynamicThreshold: { windowBlocks: 30, sensitivityBps: 1, maxCutBps: 7800 }", "mitigations.dynamicThreshold.maxCutBps", "USDC's liquidationThreshold (7800 at its lowest) to 0")]
    [InlineData("parameterChanges: [ { liquidationThresholdBps: 7000 } ]", "mitigations.parameterChanges[0].asset", "is required")]
    [InlineData("parameterChanges: [ { asset: PEPE, liquidationThresholdBps: 7000 } ]", "mitigations.parameterChanges[0].asset", "not in the snapshot")]
    [InlineData("parameterChanges: [ { asset: WETH } ]", "mitigations.parameterChanges[0]", "changes nothing")]
    [InlineData("parameterChanges: [ { asset: WETH, liquidationThresholdBps: 0 } ]", "mitigations.parameterChanges[0].liquidationThresholdBps", "out of range")]
    [InlineData("parameterChanges: [ { asset: WETH, liquidationBonusBps: 10000 } ]", "mitigations.parameterChanges[0].liquidationBonusBps", "out of range")]
    [InlineData("parameterChanges: [ { asset: WETH, ltvBps: 7000, fromBlock: 101 } ]", "mitigations.parameterChanges[0].fromBlock", "out of range (0..100)")]
    [InlineData("parameterChanges: [ { asset: WETH, ltvBps: 7000, threshold: 1 } ]", "mitigations.parameterChanges[0].threshold", "not a known field")]
    [InlineData("parameterChanges: [ { asset: WETH, ltvBps: 7000 }, { asset: WETH, ltvBps: 6000 } ]", "mitigations.parameterChanges[1]", "already changed at block 0")]
    [InlineData("parameterChanges: { asset: WETH }", "mitigations.parameterChanges", "must be a list")]
    // Against the snapshot: LT below the LTV in force, and LT x bonus over 100% (percentMul(9600, 10500) = 10080).
    [InlineData("parameterChanges: [ { asset: WETH, liquidationThresholdBps: 7000 } ]", "mitigations.parameterChanges[0]", "WETH in Aave V3 test from block 0: ltv 8000 > liquidationThreshold 7000")]
    [InlineData("parameterChanges: [ { asset: WETH, liquidationThresholdBps: 9600 } ]", "mitigations.parameterChanges[0]", "percentMul(liquidationThreshold 9600; liquidationBonus 10500) = 10080 > 10000")]
    // The second change's bonus meets the first change's threshold: 9500 x 1.06 = 10070.
    [InlineData("parameterChanges: [ { asset: WETH, liquidationThresholdBps: 9500 }, { asset: WETH, liquidationBonusBps: 10600, fromBlock: 5 } ]", "mitigations.parameterChanges[1]", "= 10070 > 10000")]
    public void Errors_name_the_file_and_the_field(string mitigation, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => Parse("mitigations:\n  " + mitigation));

        Assert.Equal("reserves.yaml", e.FileName);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_is_checked_only_in_the_markets_that_accept_the_asset_as_collateral()
    {
        // A second market lists USDC with threshold 0: the change leaves it alone there, so its ltv 7000 > 0 is no error.
        var first = Snapshot.AaveV3Markets[0];
        var twoMarkets = Snapshot with { AaveV3Markets = [first, first with { Name = "Aave V3 other", Reserves = [first.Reserves[0], MarketBuilder.Reserve("USDC", 0, 0, 0, 0)] }] };

        var m = ScenarioLoader.Parse("mitigations: { parameterChanges: [ { asset: USDC, ltvBps: 7000 } ] }", "r.yaml", twoMarkets).Mitigations;

        Assert.Equal(7000, Assert.Single(m.ParameterChanges).LtvBps);
    }

    [Fact]
    public void An_asset_that_is_not_collateral_is_refused()
    {
        var noCollateral = Snapshot with { AaveV3Markets = [Snapshot.AaveV3Markets[0] with { Reserves = [Snapshot.AaveV3Markets[0].Reserves[0], MarketBuilder.Reserve("USDC", 0, 0, 0, 0)] }] };

        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioLoader.Parse("mitigations: { parameterChanges: [ { asset: USDC, ltvBps: 0 } ] }", "r.yaml", noCollateral));
        Assert.Equal("mitigations.parameterChanges[0].asset", e.Field);
        Assert.Contains("USDC is not a collateral reserve", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ScenarioFormatException>(() => ScenarioLoader.Parse("mitigations: { dynamicThreshold: { assets: [USDC], windowBlocks: 9, sensitivityBps: 1, maxCutBps: 25 } }", "r.yaml", noCollateral));
        Assert.Equal("mitigations.dynamicThreshold.assets[0]", e.Field);
    }
}
