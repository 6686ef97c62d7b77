using System.Text.Json;

namespace DefiCascade.Cli.Tests;

public class SimulateCommandTests
{
    [Fact]
    public void Same_seed_gives_byte_identical_result_json_and_all_outputs_are_written()
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("market.json", CliRunner.SmallSnapshot);
        var scenario = cli.Write("short.yaml", CliRunner.ShortScenario);
        var second = Path.Combine(cli.Root, "out2");

        var a = cli.Run("simulate", "--snapshot", snapshot, "--scenario", scenario, "--out", cli.OutDir, "--seed", "7");
        var b = cli.Run("simulate", "--snapshot", snapshot, "--scenario", scenario, "--out", second, "--seed", "7", "--no-warm-up");

        Assert.Equal(0, a.Exit);
        Assert.Equal(0, b.Exit);
        var resultA = File.ReadAllBytes(Path.Combine(cli.OutDir, "result.json"));
        Assert.Equal(resultA, File.ReadAllBytes(Path.Combine(second, "result.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(cli.OutDir, "blocks.csv")), File.ReadAllBytes(Path.Combine(second, "blocks.csv")));
        Assert.Equal(["blocks.csv", "liquidations.csv", "result.json"], Directory.GetFiles(cli.OutDir).Select(Path.GetFileName).Order());

        using var json = JsonDocument.Parse(resultA);
        var totals = json.RootElement.GetProperty("totals");
        Assert.True(totals.GetProperty("liquidationEvents").GetInt32() > 0, "a 30% crash on a book with HFs near 1 must liquidate");
        Assert.Contains("Bad debt", a.Out, StringComparison.Ordinal);
        Assert.Contains("Assumptions", a.Out, StringComparison.Ordinal);

        // Where the time went; a file this small is not worth a warm-up (32 MiB and up are).
        Assert.Matches(@"Reading the snapshot and scenario took \d+\.\d s, building the engine's state \d+\.\d s, the cascade \d+\.\d\d s\.", a.Out);
        Assert.DoesNotContain("warmed up", a.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_flag_prints_the_result_json_to_stdout()
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("market.json", CliRunner.SmallSnapshot);
        var scenario = cli.Write("short.yaml", CliRunner.ShortScenario);

        var run = cli.Run("simulate", "--snapshot", snapshot, "--scenario", scenario, "--out", cli.OutDir, "--json");

        Assert.Equal(0, run.Exit);
        Assert.Equal(File.ReadAllText(Path.Combine(cli.OutDir, "result.json")), run.Out);
        Assert.Contains("Reading the snapshot and scenario took", run.Err, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("defi-cascade/result/v1", json.RootElement.GetProperty("schema").GetString());
    }

    [Fact]
    public void Help_explains_every_simulate_option()
    {
        using var cli = new CliRunner();
        var (exit, output, _) = cli.Run("simulate", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--snapshot", "--scenario", "--out", "--seed", "--json", "--no-warm-up" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.Contains("bad debt", output, StringComparison.Ordinal);
    }
}
