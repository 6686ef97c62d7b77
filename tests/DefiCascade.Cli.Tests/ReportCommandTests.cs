namespace DefiCascade.Cli.Tests;

public class ReportCommandTests
{
    [Fact]
    public void Report_from_a_folder_without_result_json_exits_2_naming_the_file()
    {
        using var cli = new CliRunner();
        File.WriteAllText(Path.Combine(cli.OutDir, "blocks.csv"), "block\n1\n");

        var (exit, _, err) = cli.Run("report", "--from", cli.OutDir);

        Assert.Equal(CliApp.BadInput, exit);
        Assert.Contains(Path.Combine(cli.OutDir, "result.json"), err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.OutDir, "report.html")));
    }

    [Fact]
    public void Report_from_a_finished_run_writes_report_html_with_a_chart_per_asset()
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("market.json", CliRunner.SmallSnapshot);
        var scenario = cli.Write("short.yaml", CliRunner.ShortScenario);
        Assert.Equal(0, cli.Run("simulate", "--snapshot", snapshot, "--scenario", scenario, "--out", cli.OutDir).Exit);

        var (exit, output, _) = cli.Run("report", "--from", cli.OutDir);

        Assert.Equal(0, exit);
        var report = Path.Combine(cli.OutDir, "report.html");
        Assert.Contains(report, output, StringComparison.Ordinal);
        var html = File.ReadAllText(report);
        var assets = File.ReadLines(Path.Combine(cli.OutDir, "blocks.csv")).First().Split(',').Count(h => h.StartsWith("external_usd_", StringComparison.Ordinal));
        Assert.Equal(assets, System.Text.RegularExpressions.Regex.Count(html, "data-chart=\"price\""));
        Assert.Contains("No Monte Carlo run", html, StringComparison.Ordinal);
    }
}
