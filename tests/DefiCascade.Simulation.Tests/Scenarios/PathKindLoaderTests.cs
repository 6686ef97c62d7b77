using System.Numerics;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Scenarios;

/// <summary>The path kinds, depegs and idiosyncratic noise of a scenario file: each key read exactly, each mistake named.</summary>
public class PathKindLoaderTests
{
    private static readonly HashSet<string> Assets = ["WETH", "wstETH", "WBTC", "USDC", "USDT", "DAI"];

    private static Scenario Parse(string yaml, string source = "s.yaml") => ScenarioLoader.Parse(yaml, source, Assets);

    [Fact]
    public void Shock_becomes_a_step_at_its_block()
    {
        var s = Parse("durationHours: 1\npath: { kind: shock, hours: 0.5, multiplier: 0.5 }");
        // 0.5 h = 150 blocks of 12 s.
        Assert.Equal([new PathPoint(0, Wad.One), new PathPoint(149, Wad.One), new PathPoint(150, Wad.FromDecimal("0.5"))], s.DriverPath);
        Assert.Equal([new PathPoint(0, Wad.One), new PathPoint(1, Wad.FromDecimal("0.8"))],
            Parse("durationBlocks: 5\npath: { kind: shock, block: 1, multiplier: 0.8 }").DriverPath);
    }

    [Fact]
    public void Piecewise_kind_equals_the_plain_list()
    {
        var list = Parse("durationBlocks: 10\npath: [ { block: 5, multiplier: 0.9 } ]");
        var kind = Parse("durationBlocks: 10\npath: { kind: piecewise, points: [ { block: 5, multiplier: 0.9 } ] }");
        Assert.Equal(list.DriverPath, kind.DriverPath);
    }

    [Fact]
    public void Gbm_reads_every_parameter_and_its_trend()
    {
        var s = Parse("""
            durationBlocks: 100
            path:
              kind: gbm
              driftAnnual: -0.5
              volAnnual: 0.8
              jumpsPerYear: 12
              jumpMean: -0.08
              jumpStd: 0.04
              trend: [ { block: 100, multiplier: 0.75 } ]
            assetPaths:
              WBTC: { kind: gbm, volAnnual: 0.6 }
            """);
        Assert.Equal(new JumpDiffusionSpec(Wad.FromDecimal("-0.5"), Wad.FromDecimal("0.8"), Wad.FromDecimal("12"), Wad.FromDecimal("-0.08"), Wad.FromDecimal("0.04")), s.Diffusions["WETH"]);
        Assert.Equal([new PathPoint(0, Wad.One), new PathPoint(100, Wad.FromDecimal("0.75"))], s.DriverPath);
        Assert.Equal(JumpDiffusionSpec.Noise(Wad.FromDecimal("0.6")), s.Diffusions["WBTC"]);
        Assert.Equal([new PathPoint(0, Wad.One)], s.AssetPaths["WBTC"]);   // no trend: flat times the diffusion
        Assert.True(s.IsStochastic);
    }

    [Fact]
    public void Csv_is_read_relative_to_the_scenario_file()
    {
        var dir = Directory.CreateTempSubdirectory("defi-cascade-csv-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "eth.csv"), "block,asset,price\n0,ETH,200\n10,ETH,100\n");
            var s = Parse("durationBlocks: 10\npath: { kind: csv, file: eth.csv, asset: ETH }", Path.Combine(dir, "s.yaml"));
            Assert.Equal(11, s.DriverPath.Count);
            Assert.Equal(Wad.FromDecimal("0.75"), s.DriverPath[5].MultiplierWad);   // 200 -> 100 over 10 blocks: block 5 $150

            File.WriteAllText(Path.Combine(dir, "bad.csv"), "block,asset,price\n0,WETH,200\n1,WETH,x\n");
            var e = Assert.Throws<ScenarioFormatException>(() => Parse("durationBlocks: 10\npath: { kind: csv, file: bad.csv }", Path.Combine(dir, "s.yaml")));
            Assert.Equal(Path.Combine(dir, "bad.csv") + ":3", e.FileName);
            Assert.Equal("price", e.Field);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Depegs_set_the_peg_and_the_beta_the_engine_passes_impact_by()
    {
        var s = Parse("""
            durationBlocks: 100
            depegs:
              wstETH: { peg: WETH, path: [ { block: 100, multiplier: 0.94 } ] }
              USDT: { peg: USD, path: { kind: shock, block: 10, multiplier: 1.3 } }
            idiosyncraticVolAnnual: { WBTC: 0.35 }
            """);
        Assert.Equal("WETH", s.Depegs["wstETH"].Peg);
        Assert.Equal(Wad.FromDecimal("0.94"), s.Depegs["wstETH"].Ratio[^1].MultiplierWad);
        Assert.Equal("USD", s.Depegs["USDT"].Peg);
        Assert.Equal(Wad.FromDecimal("1.3"), s.Depegs["USDT"].Ratio[^1].MultiplierWad);
        Assert.Equal(Wad.One, s.BetasWad["wstETH"]);          // moves with ETH, so ETH's impact passes on
        Assert.Equal(BigInteger.Zero, s.BetasWad["USDT"]);
        Assert.Equal(Wad.FromDecimal("0.35"), s.IdiosyncraticVolWad["WBTC"]);
        Assert.True(s.IsStochastic);
    }

    [Theory]
    [InlineData("path: { kind: spline }", "path.kind", "not a path kind")]
    [InlineData("path: { multiplier: 0.5 }", "path.kind", "is required")]
    [InlineData("path: 0.5", "path", "list of points or a mapping")]
    [InlineData("durationBlocks: 10\npath: { kind: shock, block: 0, multiplier: 0.5 }", "path.block", "block 1 or later")]
    [InlineData("durationBlocks: 10\npath: { kind: shock, block: 11, multiplier: 0.5 }", "path", "after the scenario's end")]
    [InlineData("path: { kind: shock, block: 1, multiplier: 0.5, size: 2 }", "path.size", "not a known field")]
    [InlineData("path: { kind: gbm, volAnnual: -1 }", "path.volAnnual", "out of range")]
    [InlineData("path: { kind: gbm, jumpStd: x }", "path.jumpStd", "not a decimal number")]
    [InlineData("path: { kind: gbm, vol: 0.5 }", "path.vol", "not a known field")]
    [InlineData("path: { kind: csv, file: no-such-file.csv }", "path.file", "cannot read")]
    [InlineData("path: { kind: csv }", "path.file", "is required")]
    [InlineData("depegs: { USDC: { peg: EUR, path: [ { block: 1, multiplier: 0.9 } ] } }", "depegs.USDC.peg", "not in the snapshot")]
    [InlineData("depegs: { USDC: { peg: USD } }", "depegs.USDC.path", "is required")]
    [InlineData("depegs: { USDC: { peg: USD, path: { kind: gbm, volAnnual: 0.1 } } }", "depegs.USDC.path.kind", "deterministic")]
    [InlineData("depegs: { WETH: { peg: USD, path: [ { block: 1, multiplier: 0.9 } ] } }", "depegs.WETH", "driver cannot be depegged")]
    [InlineData("depegs: { USDC: { peg: USDC, path: [ { block: 1, multiplier: 0.9 } ] } }", "depegs.USDC.peg", "pegged to itself")]
    [InlineData("depegs: { DAI: { peg: USDC, path: [ { block: 1, multiplier: 0.9 } ] }, USDC: { peg: USD, path: [ { block: 1, multiplier: 0.9 } ] } }", "depegs.DAI.peg", "itself depegged")]
    [InlineData("betas: { USDC: 0 }\ndepegs: { USDC: { peg: USD, path: [ { block: 1, multiplier: 0.9 } ] } }", "depegs.USDC", "remove its betas entry")]
    [InlineData("depegs: { USDC: { peg: USD, path: [ { block: 1, multiplier: 0.9 } ], ratio: 1 } }", "depegs.USDC.ratio", "not a known field")]
    [InlineData("idiosyncraticVolAnnual: { WETH: 0.3 }", "idiosyncraticVolAnnual.WETH", "driver is the factor")]
    [InlineData("idiosyncraticVolAnnual: { PEPE: 0.3 }", "idiosyncraticVolAnnual.PEPE", "not in the snapshot")]
    [InlineData("idiosyncraticVolAnnual: { WBTC: 11 }", "idiosyncraticVolAnnual.WBTC", "out of range")]
    public void Bad_paths_are_refused_naming_the_file_and_field(string text, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioLoader.Parse(text, "bad.yaml", Assets));
        Assert.Equal(field, e.Field);
        Assert.StartsWith("bad.yaml: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
