using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Sweeps;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Sweeps;

public class GridParserTests
{
    private static readonly GridContext Context = GridContext.From(MarketBuilder.AMarket().WithPosition(1, 1000).Build());

    [Fact]
    public void A_grid_file_reads_value_lists_and_ranges_in_the_order_given()
    {
        var axes = GridParser.ParseFile("""
            axes:
              - { parameter: liquidationThreshold, asset: WETH, from: 8000, to: 8500, step: 250 }
              - { parameter: gasPriceGwei, values: [200, 50] }
              - { parameter: shockPercent, from: 30, to: 30.5, step: 0.25 }
              - { parameter: oracleDeviationBps, asset: WETH, values: [50] }
            """, "grid.yaml", Context);

        Assert.Equal(["reserve:WETH:liquidationThreshold", "scenario:gasPriceGwei", "scenario:shockPercent", "scenario:WETH:oracleDeviationBps"], axes.Select(a => a.Id));
        Assert.Equal([8000m, 8250m, 8500m], axes[0].Values);
        Assert.Equal([200m, 50m], axes[1].Values);
        Assert.Equal([30m, 30.25m, 30.5m], axes[2].Values);
    }

    [Fact]
    public void A_bare_list_is_a_grid_too()
    {
        var axes = GridParser.ParseFile("- { parameter: liquidationBonus, asset: USDC, values: [10400, 10500] }", "g.yaml", Context);

        Assert.Equal("reserve:USDC:liquidationBonus", Assert.Single(axes).Id);
    }

    [Theory]
    [InlineData("axes: [ { parameter: liquidationTreshold, asset: WETH, values: [1] } ]", "axes[0].parameter", "not a reserve parameter")]
    [InlineData("axes: [ { parameter: closeFactor, asset: WETH, values: [5000] } ]", "axes[0].parameter", "fixed in Aave V3.0.2")]
    [InlineData("axes: [ { parameter: liquidationThreshold, asset: WBTC, values: [8000] } ]", "axes[0].asset", "'WBTC' is not a reserve")]
    [InlineData("axes: [ { parameter: liquidationThreshold, asset: WETH, values: [80.5] } ]", "axes[0].values[0]", "whole number")]
    [InlineData("axes: [ { parameter: liquidationThreshold, asset: WETH, values: [70000] } ]", "axes[0].values[0]", "out of range")]
    [InlineData("axes: [ { parameter: liquidationThreshold, asset: WETH } ]", "axes[0].values", "is required")]
    [InlineData("axes: [ { parameter: gasPriceGwei, asset: WETH, values: [1] } ]", "axes[0].asset", "give no asset")]
    [InlineData("axes: [ { parameter: gasPriceGwei, values: [1], colour: red } ]", "axes[0].colour", "not a known field")]
    [InlineData("axes: [ { parameter: shockPercent, from: 10, to: 5, step: 1 } ]", "axes[0].to", "must not be below from")]
    [InlineData("axes: [ { parameter: liquidationThreshold, emode: 7, values: [9000] } ]", "axes[0].emode", "not an e-mode category")]
    [InlineData("axes: []\ncolour: red", "colour", "not a known field")]
    [InlineData("grid: []", "axes", "is required")]
    public void A_bad_grid_file_names_the_file_and_the_field(string text, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => GridParser.ParseFile(text, "grid.yaml", Context));

        Assert.Equal("grid.yaml", e.FileName);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grid_sweeping_one_axis_twice_is_refused()
    {
        var e = Assert.Throws<ScenarioFormatException>(() => GridParser.ParseFile(
            "- { parameter: gasPriceGwei, values: [1] }\n- { parameter: gasPriceGwei, values: [2] }", "grid.yaml", Context));

        Assert.Contains("scenario:gasPriceGwei is swept twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vary_reads_kind_subject_parameter_and_values()
    {
        var axes = GridParser.ParseVary(["reserve:WETH:liquidationThreshold=8000,8250,8500", "scenario:gasPriceGwei=50", "scenario:WETH:offChainDepthUsdPerPercent=1000000"], Context);

        Assert.Equal(["reserve:WETH:liquidationThreshold", "scenario:gasPriceGwei", "scenario:WETH:offChainDepthUsdPerPercent"], axes.Select(a => a.Id));
        Assert.Equal([8000m, 8250m, 8500m], axes[0].Values);
    }

    [Theory]
    [InlineData("reserve:WETH:liquidationThreshold", "expected KIND")]
    [InlineData("pool:WETH:fee=3000", "'pool' is not a kind")]
    [InlineData("reserve:WETH:closeFactor=5000,10000", "closeFactor is fixed")]
    [InlineData("reserve:liquidationThreshold=8000", "needs an asset")]
    [InlineData("reserve:WETH:liquidationThreshold=8000,x", "'x' is not a number")]
    [InlineData("reserve:WETH:liquidationThreshold=8000,8000", "lists a value twice")]
    public void A_bad_vary_names_the_option_and_the_text(string text, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => GridParser.ParseVary([text], Context));

        Assert.Equal("--vary", e.FileName);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
