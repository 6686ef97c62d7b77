using System.Text.Json;

namespace DefiCascade.Cli.Tests;

/// <summary>
/// blocks.csv carries the mitigation flags per block only when the scenario has mitigations, and they agree with the
/// block lists in result.json; a scenario without mitigations writes the columns it always wrote.
/// </summary>
public sealed class MitigationCsvTests
{
    [Fact]
    public void Cap_and_pause_flags_per_block_match_result_json_and_appear_only_with_mitigations()
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("market.json", CliRunner.SmallSnapshot);
        var mitigated = cli.Write("mitigated.yaml", CliRunner.ShortScenario + """

            mitigations:
              liquidationCapPerBlockUsd: 20000
              circuitBreaker: { movePercent: 5, windowBlocks: 10, pause: liquidations }
            """);
        var plainOut = Path.Combine(cli.Root, "plain");
        var mitigatedOut = Path.Combine(cli.Root, "mitigated");

        Assert.Equal(0, cli.Run("simulate", "--snapshot", snapshot, "--scenario", cli.Write("plain.yaml", CliRunner.ShortScenario), "--out", plainOut).Exit);
        var (exit, _, err) = cli.Run("simulate", "--snapshot", snapshot, "--scenario", mitigated, "--out", mitigatedOut);
        Assert.True(exit == 0, err);

        Assert.DoesNotContain("liquidation_cap_bound", File.ReadLines(Path.Combine(plainOut, "blocks.csv")).First(), StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(mitigatedOut, "blocks.csv"));
        var header = lines[0].Split(',');
        Assert.Equal(["liquidation_cap_bound", "liquidations_paused"], header[^2..]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        int[] Flagged(int column) => rows.Where(r => r[column] == "1").Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(mitigatedOut, "result.json")));
        var m = result.RootElement.GetProperty("mitigations");
        int[] Listed(string name) => m.GetProperty(name).GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Listed("liquidationCapBoundBlocks"), Flagged(header.Length - 2));
        Assert.Equal(Listed("pausedBlocks"), Flagged(header.Length - 1));
        // a 30% fall over 60 blocks moves the oracle more than 5% within 10 blocks: the breaker must have paused something.
        Assert.NotEmpty(Flagged(header.Length - 1));
    }
}
