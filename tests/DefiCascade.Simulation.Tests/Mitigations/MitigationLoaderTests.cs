using System.Numerics;
using DefiCascade.Simulation.Scenarios;
using ScenarioMitigations = DefiCascade.Simulation.Scenarios.Mitigations;

namespace DefiCascade.Simulation.Tests.Mitigations;

public class MitigationLoaderTests
{
    private static readonly HashSet<string> Assets = ["WETH", "USDC"];

    [Fact]
    public void Without_a_mitigations_mapping_every_mitigation_is_off()
    {
        var s = ScenarioLoader.Parse("durationBlocks: 10", "plain.yaml", Assets);

        Assert.Same(ScenarioMitigations.None, s.Mitigations);
        Assert.False(s.Mitigations.Any);
    }

    [Fact]
    public void Cap_and_circuit_breaker_are_read_exactly()
    {
        const string yaml = """
            durationBlocks: 10
            mitigations:
              liquidationCapPerBlockUsd: 250000
              circuitBreaker: { movePercent: 7.5, windowBlocks: 25, pause: liquidations }
            """;
        var m = ScenarioLoader.Parse(yaml, "m.yaml", Assets).Mitigations;

        // Whole dollars in the file, USD with 8 decimals in the engine.
        Assert.Equal(new BigInteger(25_000_000_000_000), m.LiquidationCapPerBlockUsd);
        Assert.Equal(new CircuitBreakerSpec(Wad.FromDecimal("7.5"), 25), m.CircuitBreaker);
        Assert.True(m.Any);
    }

    [Fact]
    public void A_cap_alone_leaves_the_breaker_off()
    {
        var m = ScenarioLoader.Parse("mitigations: { liquidationCapPerBlockUsd: 1 }", "m.yaml", Assets).Mitigations;

        Assert.Equal(new BigInteger(100_000_000), m.LiquidationCapPerBlockUsd);
        Assert.Null(m.CircuitBreaker);
    }

    [Fact]
    public void Twap_oracle_is_read_with_and_without_a_pool()
    {
        const string yaml = """
            mitigations:
              twapOracle: { asset: WETH, windowBlocks: 30, pool: "0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640" }
            """;
        Assert.Equal(new TwapOracleSpec("WETH", 30, "0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640"), ScenarioLoader.Parse(yaml, "t.yaml", Assets).Mitigations.TwapOracle);
        Assert.Equal(new TwapOracleSpec("WETH", 5, null), ScenarioLoader.Parse("mitigations: { twapOracle: { asset: WETH, windowBlocks: 5 } }", "t.yaml", Assets).Mitigations.TwapOracle);
    }

    [Theory]
    [InlineData("mitigations: { liquidationCap: 5 }", "mitigations.liquidationCap", "not a known field")]
    [InlineData("mitigations: { dynamicThreshold: { volWindowBlocks: 30 } }", "mitigations.dynamicThreshold.windowBlocks", "is required")]
    [InlineData("mitigations: { twapOracle: { windowBlocks: 30 } }", "mitigations.twapOracle.asset", "is required")]
    [InlineData("mitigations: { twapOracle: { asset: PEPE, windowBlocks: 30 } }", "mitigations.twapOracle.asset", "not in the snapshot")]
    [InlineData("mitigations: { twapOracle: { asset: WETH } }", "mitigations.twapOracle.windowBlocks", "is required")]
    [InlineData("mitigations: { twapOracle: { asset: WETH, windowBlocks: 0 } }", "mitigations.twapOracle.windowBlocks", "out of range")]
    [InlineData("mitigations: { twapOracle: { asset: WETH, windowBlocks: 5, pool: uniswap } }", "mitigations.twapOracle.pool", "not a 0x-prefixed")]
    [InlineData("mitigations: { twapOracle: { asset: WETH, windowBlocks: 5, feed: x } }", "mitigations.twapOracle.feed", "not a known field")]
    [InlineData("mitigations: { liquidationCapPerBlockUsd: 0 }", "mitigations.liquidationCapPerBlockUsd", "out of range")]
    [InlineData("mitigations: { liquidationCapPerBlockUsd: 1.5 }", "mitigations.liquidationCapPerBlockUsd", "not a whole number")]
    [InlineData("mitigations: { circuitBreaker: { windowBlocks: 5, pause: liquidations } }", "mitigations.circuitBreaker.movePercent", "is required")]
    [InlineData("mitigations: { circuitBreaker: { movePercent: 5, pause: liquidations } }", "mitigations.circuitBreaker.windowBlocks", "is required")]
    [InlineData("mitigations: { circuitBreaker: { movePercent: 5, windowBlocks: 5 } }", "mitigations.circuitBreaker.pause", "is required")]
    [InlineData("mitigations: { circuitBreaker: { movePercent: 5, windowBlocks: 5, pause: borrows } }", "mitigations.circuitBreaker.pause", "only value is 'liquidations'")]
    [InlineData("mitigations: { circuitBreaker: { movePercent: 0, windowBlocks: 5, pause: liquidations } }", "mitigations.circuitBreaker.movePercent", "out of range")]
    [InlineData("mitigations: { circuitBreaker: { movePercent: 5, windowBlocks: 0, pause: liquidations } }", "mitigations.circuitBreaker.windowBlocks", "out of range")]
    [InlineData("mitigations: { circuitBreaker: { movePercent: 5, windowBlocks: 5, pause: liquidations, asset: WETH } }", "mitigations.circuitBreaker.asset", "not a known field")]
    [InlineData("mitigations: 5", "mitigations", "must be a mapping")]
    public void Errors_name_the_file_and_the_field(string yaml, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioLoader.Parse(yaml, "bad-mitigation.yaml", Assets));

        Assert.Equal("bad-mitigation.yaml", e.FileName);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
