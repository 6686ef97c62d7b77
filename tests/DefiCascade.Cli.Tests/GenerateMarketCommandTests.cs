using DefiCascade.Core.Snapshot;

namespace DefiCascade.Cli.Tests;

public class GenerateMarketCommandTests
{
    [Fact]
    public void Writes_a_snapshot_that_parses_and_refuses_to_overwrite_it()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Root, "book.json");

        var first = cli.Run("generate-market", "--positions", "250", "--seed", "9", "--out", path);
        Assert.Equal(0, first.Exit);
        var snapshot = SnapshotJson.Parse(File.ReadAllText(path), path);
        Assert.Equal(250, snapshot.AaveV3Markets[0].Positions.Count);

        var before = File.ReadAllText(path);
        var second = cli.Run("generate-market", "--positions", "10", "--out", path);
        Assert.Equal(2, second.Exit);
        Assert.Contains("refusing to overwrite", second.Err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void A_generated_book_runs_through_simulate()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Root, "book.json");
        Assert.Equal(0, cli.Run("generate-market", "--positions", "400", "--out", path).Exit);
        var scenario = cli.Write("short.yaml", CliRunner.ShortScenario);

        var run = cli.Run("simulate", "--snapshot", path, "--scenario", scenario, "--out", cli.OutDir);

        Assert.Equal(0, run.Exit);
        Assert.True(File.Exists(Path.Combine(cli.OutDir, "result.json")));
    }
}
