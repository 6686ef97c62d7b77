namespace DefiCascade.Cli.Tests;

public class SweepCliTests
{
    // The short crash on the 300-account market with a seeded walk, so paths differ.
    private const string NoisyScenario = CliRunner.ShortScenario + "\nnoiseBpsPerBlock: 30\n";

    private static string[] Args(CliRunner cli, string outDir, params string[] extra) =>
        [.. Inputs(cli, outDir), .. Grid, "--paths", "3", "--seed", "5", "--budget-usd", "50", .. extra];

    private static readonly string[] Grid = ["--vary", "reserve:WETH:liquidationThreshold=8000,8300,8600", "--vary", "scenario:gasPriceGwei=30,300"];

    private static string[] Inputs(CliRunner cli, string outDir) =>
        ["sweep", "--out", outDir, "--snapshot", cli.Write("market.json", CliRunner.SmallSnapshot), "--scenario", cli.Write("noisy.yaml", NoisyScenario)];

    [Fact]
    public void Shard_one_and_two_of_two_merged_equal_the_single_run_byte_for_byte()
    {
        using var cli = new CliRunner();
        var (s1, s2, merged) = (Path.Combine(cli.Root, "s1"), Path.Combine(cli.Root, "s2"), Path.Combine(cli.Root, "merged"));

        var single = cli.Run(Args(cli, cli.OutDir, "--threads", "2", "--html"));
        var a = cli.Run(Args(cli, s1, "--shard", "1/2", "--threads", "1"));
        var b = cli.Run(Args(cli, s2, "--shard", "2/2", "--threads", "2"));
        var m = cli.Run("merge", "--out", merged, s1, Path.Combine(s2, "sweep.shard-2-of-2.csv"));

        Assert.True(single.Exit == 0, single.Err);
        Assert.True(a.Exit == 0 && b.Exit == 0, a.Err + b.Err);
        Assert.True(m.Exit == 0, m.Err);
        Assert.Equal(["sweep.shard-2-of-2.csv"], Directory.GetFiles(s2).Select(Path.GetFileName));
        foreach (var file in new[] { "sweep.csv", "frontier.csv", "sweep.json", "result.json", "blocks.csv", "liquidations.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(cli.OutDir, file)), File.ReadAllBytes(Path.Combine(merged, file)));
        }

        var rows = File.ReadAllLines(Path.Combine(cli.OutDir, "sweep.csv"));
        Assert.StartsWith("reserve:WETH:liquidationThreshold,scenario:gasPriceGwei,bad_debt_var99_usd,bad_debt_var95_usd,", rows[0], StringComparison.Ordinal);
        Assert.Equal(7, rows.Length);
        // The small market's WETH ltv is above 8000, so the first threshold's two cells are refused, not run.
        Assert.Equal(["0", "1", "2", "3", "4", "5"], rows.Skip(1).Select(r => r.Split(',')[^2]));
        Assert.Contains("sweep: cell 5 done", single.Err, StringComparison.Ordinal);
        Assert.Contains("grid of reserve:WETH:liquidationThreshold &#215; scenario:gasPriceGwei", File.ReadAllText(Path.Combine(cli.OutDir, "report.html")), StringComparison.Ordinal);
        Assert.Contains("bad_debt_var99_usd", File.ReadAllText(Path.Combine(cli.OutDir, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_refuses_a_shard_of_another_sweep_naming_the_file()
    {
        using var cli = new CliRunner();
        var (s1, s2) = (Path.Combine(cli.Root, "s1"), Path.Combine(cli.Root, "s2"));
        Assert.Equal(0, cli.Run(Args(cli, s1, "--shard", "1/2")).Exit);
        Assert.Equal(0, cli.Run([.. Inputs(cli, s2), .. Grid, "--paths", "3", "--seed", "6", "--budget-usd", "50", "--shard", "2/2"]).Exit);

        var m = cli.Run("merge", "--out", Path.Combine(cli.Root, "m"), s1, s2);

        Assert.Equal(2, m.Exit);
        Assert.Contains($"{Path.Combine(s2, "sweep.shard-2-of-2.csv")}: belongs to a different sweep", m.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cli.Root, "m")));

        var missing = cli.Run("merge", "--out", Path.Combine(cli.Root, "m"), s1);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("shard 2 of 2 missing", missing.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shard", "3/2", "--shard must be K/N")]
    [InlineData("--shard", "1-2", "--shard must be K/N")]
    [InlineData("--paths", "0", "--paths must be a whole number")]
    [InlineData("--threads", "0", "--threads must be a whole number")]
    [InlineData("--budget-usd", "-5", "--budget-usd must not be negative")]
    [InlineData("--budget-usd", "lots", "--budget-usd must be a USD amount")]
    [InlineData("--vary", "reserve:WETH:closeFactor=5000", "--vary: reserve:WETH:closeFactor=5000: closeFactor is fixed")]
    [InlineData("--vary", "reserve:SHIB:liquidationThreshold=5000", "'SHIB' is not a reserve")]
    [InlineData("--grid", "nowhere.yaml", "cannot read the --grid file")]
    public void Bad_input_exits_2_naming_the_option(string option, string value, string message)
    {
        using var cli = new CliRunner();

        // Only the option under test is given beside the inputs, so no other option is given twice.
        var r = cli.Run([.. Inputs(cli, cli.OutDir), .. option == "--grid" ? [] : Grid, option, value]);

        Assert.Equal(2, r.Exit);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cli.OutDir));
    }

    [Fact]
    public void A_missing_grid_html_with_a_shard_and_a_bad_grid_file_exit_2()
    {
        using var cli = new CliRunner();
        var market = cli.Write("market.json", CliRunner.SmallSnapshot);

        var none = cli.Run("sweep", "--out", cli.OutDir, "--snapshot", market);
        var html = cli.Run([.. Args(cli, cli.OutDir), "--shard", "1/2", "--html"]);
        var grid = cli.Run("sweep", "--out", cli.OutDir, "--snapshot", market, "--grid", cli.Write("grid.yaml", "- { parameter: liquidationThreshold, asset: WETH, values: [8000, high] }"));
        var noOut = cli.Run("sweep", "--snapshot", market, "--vary", "scenario:gasPriceGwei=1");

        Assert.Equal((2, 2, 2, 2), (none.Exit, html.Exit, grid.Exit, noOut.Exit));
        Assert.Contains("--grid FILE or at least one --vary", none.Err, StringComparison.Ordinal);
        Assert.Contains("--html needs the whole sweep", html.Err, StringComparison.Ordinal);
        Assert.Contains("grid.yaml: [0].values[1]: 'high' is not a number", grid.Err, StringComparison.Ordinal);
        Assert.Contains("--out", noOut.Err, StringComparison.Ordinal);
    }
}
