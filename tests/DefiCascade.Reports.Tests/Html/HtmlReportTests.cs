using System.Text.Json;
using System.Text.RegularExpressions;
using DefiCascade.Reports.Html;

namespace DefiCascade.Reports.Tests.Html;

public partial class HtmlReportTests
{
    [Fact]
    public void Inlines_the_pinned_chart_library_and_references_nothing_outside_the_file()
    {
        using var run = new RunFolder().WithRun();
        var html = File.ReadAllText(HtmlReport.WriteToFolder(run.Path));

        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "src/DefiCascade.Reports/Html/assets/package.json")));
        var deps = package.RootElement.GetProperty("dependencies");
        Assert.Contains($"Chart.js v{deps.GetProperty("chart.js").GetString()}", html, StringComparison.Ordinal);
        Assert.Contains($"chartjs-chart-matrix v{deps.GetProperty("chartjs-chart-matrix").GetString()}", html, StringComparison.Ordinal);
        Assert.True(html.Length > 200_000, $"the page is {html.Length} characters: the minified library is not in it");
        Assert.DoesNotMatch(new Regex(@"<(script|img|iframe)[^>]*\ssrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sourceMappingURL", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_island_holds_the_runs_series_aligned_by_block()
    {
        using var run = new RunFolder().WithRun();
        var island = Island(HtmlReport.Render(ReportInputs.Load(run.Path)));

        Assert.Equal([1, 2, 3], island.GetProperty("blocks").EnumerateArray().Select(b => b.GetInt64()));
        var weth = island.GetProperty("prices")[0];
        Assert.Equal("WETH", weth.GetProperty("asset").GetString());
        Assert.Equal([2000.0, 1900.0, 1800.0], Numbers(weth.GetProperty("external")));
        Assert.Equal([2001.5, 1899.25, 1801.0], Numbers(weth.GetProperty("pool")));
        Assert.Equal([2000.0, 2000.0, 1800.0], Numbers(weth.GetProperty("oracle")));
        Assert.Equal([null, null, null], Numbers(island.GetProperty("prices")[1].GetProperty("pool")));

        var activity = island.GetProperty("activity");
        Assert.Equal([0.0, 0.0, 12.5], Numbers(activity.GetProperty("badDebtUsd")));
        Assert.Equal([0.0, 2.0, 0.0], Numbers(activity.GetProperty("liquidations")));
        var byCollateral = activity.GetProperty("debtRepaidUsdByCollateral");
        Assert.Equal(1, byCollateral.GetArrayLength());
        Assert.Equal([0.0, 2000.5, 0.0], Numbers(byCollateral[0].GetProperty("debtRepaidUsd")));
        Assert.Equal(JsonValueKind.Null, island.GetProperty("monteCarlo").ValueKind);
        Assert.Equal(JsonValueKind.Null, island.GetProperty("sweep").ValueKind);
    }

    [Fact]
    public void Text_from_the_inputs_is_escaped_in_markup_and_in_the_data_island()
    {
        using var run = new RunFolder().WithRun();
        var html = HtmlReport.Render(ReportInputs.Load(run.Path));

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(2)</script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>100</b>", html, StringComparison.Ordinal);
        Assert.Contains("<figcaption>&lt;img src=x onerror=alert(1)&gt;</figcaption>", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;b&gt;100&lt;/b&gt; gwei</td>", html, StringComparison.Ordinal);
        Assert.Contains("<title>DefiCascade report: crash&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("ETH &amp; friends fall", html, StringComparison.Ordinal);

        // The island carries the name as \u escapes and gives it back unchanged.
        Assert.Contains(@"\u003Cimg src=x onerror=alert(1)\u003E", html, StringComparison.Ordinal);
        Assert.Equal(RunFolder.HostileAsset, Island(html).GetProperty("prices")[1].GetProperty("asset").GetString());
    }

    [Fact]
    public void The_summary_and_assumptions_show_result_json_figures_and_snapshot_coverage()
    {
        using var run = new RunFolder().WithRun();
        var html = HtmlReport.Render(ReportInputs.Load(run.Path));

        Assert.Contains("<td>$1,234,568 (1.2346% of the debt borrowed at the start, $100,000,000)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>3 blocks (0.01 h): 2 on the price path, 1 settling</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>snapshot coverage</td><td>all 20 accounts</td><td></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>snapshot</td><td>chain 1, block 24400000, timestamp 1770000000</td><td>synthetic</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains(MonteCarloSection.NoRun, html, StringComparison.Ordinal);
        Assert.Contains(SweepSection.NoSweep, html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "<canvas ")); // two assets and the activity chart
    }

    [Fact]
    public void Mitigations_are_shown_against_the_same_run_without_them_and_only_when_the_scenario_has_them()
    {
        using var run = new RunFolder().WithRun();
        Assert.DoesNotContain("id=\"mitigations\"", HtmlReport.Render(ReportInputs.Load(run.Path)), StringComparison.Ordinal);
        var result = File.ReadAllText(System.IO.Path.Combine(run.Path, "result.json")).TrimEnd();
        run.Write("result.json", result[..^1] + """
            , "mitigations": { "liquidationCapBoundBlocks": "1,2", "pausedBlocks": "",
              "mitigationEffect": { "badDebtUsd": "5000", "badDebtUsdWithout": "1234567.5", "debtRepaidUsd": "17500", "debtRepaidUsdWithout": "22500",
                "liquidationEvents": 3, "liquidationEventsWithout": 3, "blocksSimulated": 4, "blocksSimulatedWithout": 3 } } }
            """);

        var html = HtmlReport.Render(ReportInputs.Load(run.Path));

        Assert.Contains("<tr><td>Blocks where the liquidation cap bound</td><td>2 (1,2)</td><td></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Blocks paused by the circuit breaker</td><td>none</td><td></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Bad debt</td><td>$5,000</td><td>$1,234,568</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Debt repaid by liquidations</td><td>$17,500</td><td>$22,500</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Blocks simulated</td><td>4</td><td>3</td></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_result_json_is_refused_naming_the_file()
    {
        using var run = new RunFolder();
        run.Write("blocks.csv", "block\n1\n").Write("liquidations.csv", "block\n");

        var error = Assert.Throws<ReportInputException>(() => HtmlReport.WriteToFolder(run.Path));

        Assert.Contains(Path.Combine(run.Path, "result.json"), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.Path, HtmlReport.FileName)));
    }

    [Fact]
    public void Writes_report_html_into_the_folder_or_to_the_file_asked_for()
    {
        using var run = new RunFolder().WithRun();
        var other = Path.Combine(run.Path, "elsewhere", "r.html");

        Assert.Equal(Path.Combine(run.Path, "report.html"), HtmlReport.WriteToFolder(run.Path));
        Assert.Equal(other, HtmlReport.WriteToFolder(run.Path, other));
        Assert.Equal(File.ReadAllText(other), File.ReadAllText(Path.Combine(run.Path, "report.html")));
    }

    internal static JsonElement Island(string html)
    {
        var match = IslandPattern().Match(html);
        Assert.True(match.Success, "no report-data island in the page");
        using var doc = JsonDocument.Parse(match.Groups[1].Value);
        return doc.RootElement.Clone();
    }

    private static double?[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DefiCascade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DefiCascade.sln not found above the test folder");
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex IslandPattern();
}
