using System.Text.Json;

namespace DefiCascade.Cli.Tests;

public class MonteCarloCliTests
{
    // The short crash of CliRunner with a seeded 30 bps-per-block walk, so the paths differ.
    private const string NoisyScenario = CliRunner.ShortScenario + "\nnoiseBpsPerBlock: 30\n";

    private static string[] Args(CliRunner cli, string outDir, params string[] extra) => Args(cli, outDir, 7, extra);

    private static string[] Args(CliRunner cli, string outDir, int seed, params string[] extra) =>
    [
        "simulate", "--snapshot", cli.Write("market.json", CliRunner.SmallSnapshot), "--scenario", cli.Write("noisy.yaml", NoisyScenario),
        "--out", outDir, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bad-debt-threshold", "1000", "--r0-floor", "1000", .. extra,
    ];

    [Fact]
    public void Three_paths_on_one_and_two_threads_write_identical_files()
    {
        using var cli = new CliRunner();
        var two = Path.Combine(cli.Root, "out2");

        var a = cli.Run(Args(cli, cli.OutDir, "--paths", "3", "--threads", "1"));
        var b = cli.Run(Args(cli, two, "--paths", "3", "--threads", "2"));

        Assert.True(a.Exit == 0, a.Err);
        Assert.True(b.Exit == 0, b.Err);
        string[] files = ["blocks.csv", "liquidations.csv", "montecarlo.json", "paths.csv", "result.json"];
        Assert.Equal(files, Directory.GetFiles(cli.OutDir).Select(Path.GetFileName).Order());
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(cli.OutDir, file)), File.ReadAllBytes(Path.Combine(two, file)));
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(cli.OutDir, "montecarlo.json")));
        var root = json.RootElement;
        Assert.Equal("defi-cascade/montecarlo/v1", root.GetProperty("schema").GetString());
        Assert.Equal(3, root.GetProperty("paths").GetInt32());
        Assert.Equal(60, root.GetProperty("horizonBlocks").GetInt32());
        Assert.False(root.GetProperty("allPathsIdentical").GetBoolean());
        var metrics = root.GetProperty("metrics");
        foreach (var name in new[] { "badDebtVaR95Usd", "badDebtEVaR99Usd", "badDebtExpectedShortfall95Usd", "liquidationVolumeLaR95Usd" })
        {
            Assert.True(decimal.Parse(metrics.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 0, name);
        }

        Assert.InRange(metrics.GetProperty("probabilityOfBadDebt").GetDouble(), 0, 1);
        Assert.Equal("1000", metrics.GetProperty("criticalShock").GetProperty("thresholdUsd").GetString());
        var perPath = root.GetProperty("perPath").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], perPath.Select(p => p.GetProperty("path").GetInt32()));
        Assert.All(perPath, p => Assert.True(p.TryGetProperty("amplificationPp", out _)));

        // Path 0's result.json is a single run with path 0's seed: `simulate --seed <it>` gives the same bytes.
        var seed0 = perPath[0].GetProperty("seed").GetInt32();
        var single = Path.Combine(cli.Root, "single");
        Assert.Equal(0, cli.Run(Args(cli, single, seed0)).Exit);
        Assert.Equal(File.ReadAllBytes(Path.Combine(cli.OutDir, "result.json")), File.ReadAllBytes(Path.Combine(single, "result.json")));

        Assert.Contains("VaR95", a.Out, StringComparison.Ordinal);
        Assert.Contains("Horizon", a.Out, StringComparison.Ordinal);
        Assert.Contains("path 2", a.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--paths", "0")]
    [InlineData("--paths", "-3")]
    [InlineData("--paths", "many")]
    [InlineData("--paths", "1000001")]
    [InlineData("--threads", "0")]
    [InlineData("--threads", "two")]
    [InlineData("--bad-debt-threshold", "lots")]
    [InlineData("--bad-debt-threshold", "-5")]
    [InlineData("--r0-floor", "1.123456789")]
    public void A_bad_count_or_amount_exits_2_naming_the_option(string option, string value)
    {
        using var cli = new CliRunner();
        // --paths 2 for the other options, so that the USD options are read (a single run ignores them).
        var (exit, output, error) = cli.Run(option == "--paths" ? Args(cli, cli.OutDir, option, value) : Args(cli, cli.OutDir, "--paths", "2", option, value));

        Assert.Equal(2, exit);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cli.OutDir));
        Assert.DoesNotContain("VaR95", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_monte_carlo_options()
    {
        using var cli = new CliRunner();
        var (exit, output, _) = cli.Run("simulate", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--paths", "--threads", "--bad-debt-threshold", "--r0-floor" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }
}
