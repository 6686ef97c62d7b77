using System.Text.RegularExpressions;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Cli.Tests;

/// <summary>The scenario example in README.md is valid input: a doc example that stops parsing fails here.</summary>
public partial class ReadmeExampleTests
{
    [Fact]
    public void Readme_scenario_example_parses_with_the_values_it_shows()
    {
        var readme = File.ReadAllText(Path.Combine(LayeringTests.RepoRoot(), "README.md"));
        var match = YamlBlock().Match(readme);
        Assert.True(match.Success, "README.md has no ```yaml example");

        var assets = new HashSet<string> { "WETH", "wstETH", "WBTC", "USDC", "USDT", "DAI" };
        var scenario = ScenarioLoader.Parse(match.Groups[1].Value, "README.md", assets);

        Assert.Equal("eth-crash-50pct-24h", scenario.Name);
        Assert.Equal(7200, scenario.DurationBlocks);                 // 24 h of 12 s blocks
        Assert.Equal(Wad.FromDecimal("0.5"), scenario.DriverPath[^1].MultiplierWad);
        Assert.Equal(Wad.FromDecimal("0.88"), scenario.AssetPaths["USDC"][^1].MultiplierWad);
        Assert.Equal(Scenario.Default.Market.LiquidationGas, scenario.Market.LiquidationGas);
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
