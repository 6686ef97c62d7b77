using System.Numerics;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private static readonly HashSet<string> Assets = ["WETH", "wstETH", "WBTC", "USDC", "USDT", "DAI"];

    [Fact]
    public void Yaml_scenario_reads_every_field_exactly()
    {
        const string yaml = """
            name: bleed
            description: slow bleed
            blockSeconds: 12
            durationHours: 2
            driver: WETH
            path:
              - { hours: 1, multiplier: 0.9 }
              - { block: 600, multiplier: 0.8 }
            betas: { WBTC: 0.5 }
            market:
              gasPriceGwei: 40
              offChainDepthUsdPerPercent: { WETH: 1000000 }
            oracles:
              WETH: { deviationBps: 100, delayBlocks: 3 }
            maxSettleBlocks: 50
            """;
        var s = ScenarioLoader.Parse(yaml, "bleed.yaml", Assets);

        Assert.Equal("bleed", s.Name);
        Assert.Equal(600, s.DurationBlocks);                       // 2 h * 3600 / 12
        Assert.Equal([new PathPoint(0, Wad.One), new PathPoint(300, Wad.FromDecimal("0.9")), new PathPoint(600, Wad.FromDecimal("0.8"))], s.DriverPath);
        Assert.Equal(Wad.FromDecimal("0.5"), s.BetasWad["WBTC"]);
        Assert.Equal(Wad.One, s.BetasWad["wstETH"]);                // default beta kept
        Assert.Equal(40, s.Market.GasPriceGwei);
        Assert.Equal(new BigInteger(1_000_000), s.Market.OffChainDepthUsdPerPercent["WETH"]);
        Assert.Equal(new OracleOverride(100, null, 3), s.Oracles["WETH"]);
        Assert.Equal(50, s.MaxSettleBlocks);
    }

    [Fact]
    public void Json_scenario_is_read_too()
    {
        var s = ScenarioLoader.Parse("""{"durationBlocks": 10, "path": [{"block": 10, "multiplier": "0.5"}]}""", "s.json", Assets);
        Assert.Equal(10, s.DurationBlocks);
        Assert.Equal(Wad.FromDecimal("0.5"), s.DriverPath[^1].MultiplierWad);
    }

    [Theory]
    [InlineData("durationBlock: 10", "durationBlock", "not a known field")]
    [InlineData("durationBlocks: ten", "durationBlocks", "not a whole number")]
    [InlineData("durationBlocks: -5", "durationBlocks", "out of range")]
    [InlineData("betas: { FOO: 1 }", "betas.FOO", "not in the snapshot")]
    [InlineData("driver: PEPE", "driver", "not in the snapshot")]
    [InlineData("durationBlocks: 10\npath: [{ block: 5, multiplier: 0.9 }, { block: 3, multiplier: 0.8 }]", "path[1]", "increasing time order")]
    [InlineData("durationBlocks: 10\npath: [{ block: 20, multiplier: 0.9 }]", "path[0]", "after the scenario's end")]
    [InlineData("path: [{ multiplier: 0.9 }]", "path[0]", "exactly one of 'hours' or 'block'")]
    [InlineData("path: [{ block: 1, multiplier: -0.5 }]", "path[0].multiplier", "out of range")]
    [InlineData("market: { gasPriceGwei: 1.5 }", "market.gasPriceGwei", "not a whole number")]
    [InlineData("oracles: { WETH: { deviationBp: 1 } }", "oracles.WETH.deviationBp", "not a known field")]
    [InlineData("{ \"durationBlocks\": 10, ", "", "not valid YAML/JSON")]
    public void Bad_scenarios_are_refused_naming_the_file_and_field(string text, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioLoader.Parse(text, "bad.yaml", Assets));
        Assert.Equal(field, e.Field);
        Assert.StartsWith("bad.yaml: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
