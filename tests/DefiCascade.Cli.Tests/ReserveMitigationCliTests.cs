using System.Text.Json;

namespace DefiCascade.Cli.Tests;

/// <summary>
/// simulate with the reserve mitigations: result.json lists every configuration set during the run, the run
/// without them stands beside it, and the HTML report shows both tables.
/// </summary>
public sealed class ReserveMitigationCliTests
{
    [Fact]
    public void Reserve_changes_are_listed_in_result_json_and_the_report()
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("market.json", CliRunner.SmallSnapshot);
        var scenario = cli.Write("steward.yaml", CliRunner.ShortScenario + """

            mitigations:
              dynamicThreshold: { assets: [WETH], windowBlocks: 20, baselineVolPercent: 50, sensitivityBps: 5, maxCutBps: 500 }
              parameterChanges:
                - { asset: WBTC, ltvBps: 7000, liquidationThresholdBps: 7500, fromBlock: 10 }
            """);

        var (exit, _, err) = cli.Run("simulate", "--snapshot", snapshot, "--scenario", scenario, "--out", cli.OutDir, "--html");
        Assert.True(exit == 0, err);

        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.OutDir, "result.json")));
        var m = result.RootElement.GetProperty("mitigations");
        var changes = m.GetProperty("reserveChanges").EnumerateArray().ToList();
        var wbtc = Assert.Single(changes, c => c.GetProperty("asset").GetString() == "WBTC");
        Assert.Equal(10, wbtc.GetProperty("block").GetInt32());
        Assert.Equal((7000, 7500, "parameterChanges"), (wbtc.GetProperty("ltvBps").GetInt32(), wbtc.GetProperty("liquidationThresholdBps").GetInt32(), wbtc.GetProperty("cause").GetString()));
        Assert.False(wbtc.TryGetProperty("annualizedVolatilityBps", out _));

        // A 30% fall over 60 blocks moves WETH's oracle every few blocks: the steward cuts its threshold (8300) below the snapshot's.
        var weth = changes.Where(c => c.GetProperty("asset").GetString() == "WETH").ToList();
        Assert.NotEmpty(weth);
        Assert.All(weth, c => Assert.True(c.GetProperty("liquidationThresholdBps").GetInt32() is >= 7_800 and < 8_300));
        Assert.All(weth, c => Assert.True(c.GetProperty("annualizedVolatilityBps").GetInt64() > 5_000));
        Assert.True(m.TryGetProperty("mitigationEffect", out _));

        var html = File.ReadAllText(Path.Combine(cli.OutDir, "report.html"));
        Assert.Contains("id=\"reserve-parameters\"", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>Reserve parameters set (parameterChanges, dynamicThreshold)</td><td>{changes.Count}</td><td>the snapshot&#39;s</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Lowest WBTC liquidation threshold set (bps)</td><td>7500 (block 10)</td>", html, StringComparison.Ordinal);
    }
}
