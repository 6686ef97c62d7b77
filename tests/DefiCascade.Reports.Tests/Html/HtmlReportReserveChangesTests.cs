using DefiCascade.Reports.Html;

namespace DefiCascade.Reports.Tests.Html;

public partial class HtmlReportTests
{
    [Fact]
    public void Reserve_configurations_set_during_the_run_are_counted_with_the_lowest_threshold_and_listed()
    {
        using var run = new RunFolder().WithRun();
        var result = File.ReadAllText(System.IO.Path.Combine(run.Path, "result.json")).TrimEnd();
        run.Write("result.json", result[..^1] + """
            , "mitigations": { "liquidationCapBoundBlocks": "", "pausedBlocks": "",
              "reserveChanges": [
                { "block": 0, "market": "Aave V3", "asset": "WBTC", "ltvBps": 7000, "liquidationThresholdBps": 7500, "liquidationBonusBps": 10500, "cause": "parameterChanges" },
                { "block": 26, "market": "Aave V3", "asset": "WETH", "ltvBps": 7900, "liquidationThresholdBps": 7900, "liquidationBonusBps": 10500, "annualizedVolatilityBps": 11204, "cause": "dynamicThreshold" },
                { "block": 51, "market": "Aave V3", "asset": "WETH", "ltvBps": 7800, "liquidationThresholdBps": 7800, "liquidationBonusBps": 10500, "annualizedVolatilityBps": 12519, "cause": "dynamicThreshold" },
                { "block": 76, "market": "Aave V3", "asset": "WETH", "ltvBps": 8050, "liquidationThresholdBps": 8300, "liquidationBonusBps": 10500, "annualizedVolatilityBps": 6000, "cause": "dynamicThreshold" } ],
              "mitigationEffect": { "badDebtUsd": "5000", "badDebtUsdWithout": "6000", "debtRepaidUsd": "17500", "debtRepaidUsdWithout": "12500",
                "liquidationEvents": 4, "liquidationEventsWithout": 3, "blocksSimulated": 80, "blocksSimulatedWithout": 80 } } }
            """);

        var html = HtmlReport.Render(ReportInputs.Load(run.Path));

        Assert.Contains("<tr><td>Reserve parameters set (parameterChanges, dynamicThreshold)</td><td>4</td><td>the snapshot&#39;s</td></tr>", html, StringComparison.Ordinal);
        // The lowest per asset, assets in order; then the effect rows follow.
        Assert.Contains("<tr><td>Lowest WBTC liquidation threshold set (bps)</td><td>7500 (block 0)</td><td></td></tr>\n<tr><td>Lowest WETH liquidation threshold set (bps)</td><td>7800 (block 51)</td><td></td></tr>\n<tr><td>Bad debt</td>", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"reserve-parameters\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>26</td><td>Aave V3</td><td>WETH</td><td>7900</td><td>7900</td><td>10500</td><td>11204</td><td>dynamicThreshold</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>0</td><td>Aave V3</td><td>WBTC</td><td>7000</td><td>7500</td><td>10500</td><td></td><td>parameterChanges</td></tr>", html, StringComparison.Ordinal);
    }
}
