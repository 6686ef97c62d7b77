using System.Text.Json.Nodes;

namespace DefiCascade.Cli.Tests;

/// <summary>
/// Bad input is refused with exit code 2, a message naming the file and the field, and nothing
/// written to the output folder.
/// </summary>
public class BadInputTests
{
    public static TheoryData<string, Action<JsonNode>, string> BadSnapshots => new()
    {
        { "missing-price", n => Remove(n["prices"]!.AsArray(), p => (string)p!["asset"]! == "WETH"), "WETH" },
        { "unknown-asset", n => Rename(n["aaveV3Markets"]![0]!["positions"]![0]!["debt"]!.AsObject(), "FOO"), "aaveV3Markets[0].positions[0].debt" },
        { "negative-amount", n => SetFirstDebt(n, "-5"), "aaveV3Markets[0].positions[0].debt" },
        { "threshold-out-of-range", n => n["aaveV3Markets"]![0]!["reserves"]![0]!["liquidationThresholdBps"] = 10_500, "aaveV3Markets[0].reserves[0].liquidationThresholdBps" },
        { "oracle-zero", n => n["oracles"]![0]!["answer"] = "0", "oracles[0].answer" },
        { "wrong-schema", n => n["schema"] = "something/else", "schema" },
    };

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void Bad_snapshot_exits_2_naming_file_and_field_and_writes_nothing(string name, Action<JsonNode> edit, string field)
    {
        using var cli = new CliRunner();
        var snapshot = cli.WriteSnapshot($"{name}.json", edit);

        var (exit, _, err) = cli.Run("simulate", "--snapshot", snapshot, "--out", cli.OutDir);

        Assert.Equal(2, exit);
        Assert.Contains($"{name}.json", err, StringComparison.Ordinal);
        Assert.Contains(field, err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.OutDir));
    }

    [Fact]
    public void Truncated_snapshot_exits_2_and_writes_nothing()
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("truncated.json", CliRunner.SmallSnapshot[..(CliRunner.SmallSnapshot.Length / 2)]);

        var (exit, _, err) = cli.Run("simulate", "--snapshot", snapshot, "--out", cli.OutDir);

        Assert.Equal(2, exit);
        Assert.Contains("truncated.json", err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.OutDir));
    }

    [Theory]
    [InlineData("betas: { DOGE: 1 }", "betas.DOGE")]
    [InlineData("durationBlocks: many", "durationBlocks")]
    [InlineData("path: [{ block: 5, multiplier: 0.9 }", "line")]
    [InlineData("market: { gasPrice: 5 }", "market.gasPrice")]
    // Checked against the snapshot's reserves: WETH's LTV 8050 exceeds the new threshold (configureReserveAsCollateral).
    [InlineData("mitigations: { parameterChanges: [ { asset: WETH, liquidationThresholdBps: 7000 } ] }", "mitigations.parameterChanges[0]: WETH")]
    [InlineData("mitigations: { dynamicThreshold: { windowBlocks: 30, sensitivityBps: 1, maxCutBps: 7725 } }", "mitigations.dynamicThreshold.maxCutBps")]
    public void Bad_scenario_exits_2_naming_file_and_field_and_writes_nothing(string yaml, string field)
    {
        using var cli = new CliRunner();
        var snapshot = cli.Write("market.json", CliRunner.SmallSnapshot);
        var scenario = cli.Write("bad-scenario.yaml", yaml);

        var (exit, _, err) = cli.Run("simulate", "--snapshot", snapshot, "--scenario", scenario, "--out", cli.OutDir);

        Assert.Equal(2, exit);
        Assert.Contains("bad-scenario.yaml", err, StringComparison.Ordinal);
        Assert.Contains(field, err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.OutDir));
    }

    [Fact]
    public void Missing_file_and_unknown_option_exit_2()
    {
        using var cli = new CliRunner();
        var missing = cli.Run("simulate", "--snapshot", Path.Combine(cli.Root, "nope.json"), "--out", cli.OutDir);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("nope.json", missing.Err, StringComparison.Ordinal);

        var unknown = cli.Run("simulate", "--snapshots", "x");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("--snapshots", unknown.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.OutDir));
    }

    private static void Remove(JsonArray array, Func<JsonNode?, bool> match) => array.Remove(array.First(match));

    private static void Rename(JsonObject obj, string newKey)
    {
        var (key, value) = obj.First();
        obj.Remove(key);
        obj[newKey] = value;
    }

    private static void SetFirstDebt(JsonNode n, string amount)
    {
        var debt = n["aaveV3Markets"]![0]!["positions"]![0]!["debt"]!.AsObject();
        var key = debt.First().Key;
        debt[key] = amount;
    }
}
