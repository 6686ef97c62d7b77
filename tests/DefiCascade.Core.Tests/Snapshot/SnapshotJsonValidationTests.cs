using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

/// <summary>Each case breaks one thing in a valid snapshot and names the field the error must point at.</summary>
public partial class SnapshotJsonValidationTests
{
    private const string File = "fixtures/x.json";
    private const string Market = "aaveV3Markets[0]";

    private static readonly Dictionary<string, (Action<JsonNode> Break, string Field)> Cases = new()
    {
        ["wrong schema"] = (r => r["schema"] = "defi-cascade/snapshot/v0", "schema"),
        ["missing chainId"] = (r => r.AsObject().Remove("chainId"), "chainId"),
        ["blockNumber as string"] = (r => r["blockNumber"] = "12", "blockNumber"),
        ["unknown root field"] = (r => r["extra"] = 1, "extra"),
        ["bad address"] = (r => At(r, "tokens[0]")["address"] = "0x12", "tokens[0].address"),
        ["decimals 37"] = (r => At(r, "tokens[0]")["decimals"] = 37, "tokens[0].decimals"),
        ["duplicate symbol"] = (r => At(r, "tokens[1]")["symbol"] = "USDC", "tokens[1].symbol"),
        ["unknown source key"] = (r => At(r, "tokens[0]")["source"] = "nope", "tokens[0].source"),
        ["unknown price asset"] = (r => At(r, "prices[0]")["asset"] = "XYZ", "prices[0].asset"),
        ["oracle answer zero"] = (r => At(r, "oracles[1]")["answer"] = "0", "oracles[1].answer"),
        ["oracle answer negative"] = (r => At(r, "oracles[1]")["answer"] = "-1", "oracles[1].answer"),
        ["derived base without feed"] = (r => { AddToken(r, "DAI"); At(r, "oracles[2]")["baseAsset"] = "DAI"; }, "oracles[2].baseAsset"),
        ["derived ratio missing"] = (r => At(r, "oracles[2]").AsObject().Remove("ratioWad"), "oracles[2].ratioWad"),
        ["reserve without price"] = (r => At(r, "prices").AsArray().RemoveAt(2), $"{Market}.reserves[2].asset"),
        ["reserve without oracle"] = (r => At(r, "oracles").AsArray().RemoveAt(0), $"{Market}.reserves[0].asset"),
        ["lt above 100%"] = (r => At(r, $"{Market}.reserves[2]")["liquidationThresholdBps"] = 10_500, $"{Market}.reserves[2].liquidationThresholdBps"),
        ["ltv above lt"] = (r => At(r, $"{Market}.reserves[0]")["ltvBps"] = 7_900, $"{Market}.reserves[0].liquidationThresholdBps"),
        ["bonus below 100%"] = (r => At(r, $"{Market}.reserves[0]")["liquidationBonusBps"] = 9_000, $"{Market}.reserves[0].liquidationBonusBps"),
        ["lt x bonus above 100%"] = (r => At(r, $"{Market}.reserves[0]")["liquidationThresholdBps"] = 9_600, $"{Market}.reserves[0].liquidationBonusBps"),
        ["protocol fee above 100%"] = (r => At(r, $"{Market}.reserves[0]")["liquidationProtocolFeeBps"] = 10_001, $"{Market}.reserves[0].liquidationProtocolFeeBps"),
        ["reserve e-mode undefined"] = (r => At(r, $"{Market}.reserves[0]")["eModeCategory"] = 3, $"{Market}.reserves[0].eModeCategory"),
        ["e-mode lt below ltv"] = (r => At(r, $"{Market}.eModes[0]")["liquidationThresholdBps"] = 9_200, $"{Market}.eModes[0].liquidationThresholdBps"),
        ["position e-mode undefined"] = (r => At(r, $"{Market}.positions[0]")["eMode"] = 2, $"{Market}.positions[0].eMode"),
        ["negative amount"] = (r => At(r, $"{Market}.positions[0].debt")["USDC"] = "-5", $"{Market}.positions[0].debt.USDC"),
        ["fractional amount"] = (r => At(r, $"{Market}.positions[0].debt")["USDC"] = "1.5", $"{Market}.positions[0].debt.USDC"),
        ["amount as number"] = (r => At(r, $"{Market}.positions[0].debt")["USDC"] = 5, $"{Market}.positions[0].debt.USDC"),
        ["unknown collateral asset"] = (r => At(r, $"{Market}.positions[0].collateral")["WBTC"] = "1", $"{Market}.positions[0].collateral.WBTC"),
        ["duplicate user"] = (r => At(r, $"{Market}.positions[1]")["user"] = At(r, $"{Market}.positions[0]")["user"]!.GetValue<string>(), $"{Market}.positions[1].user"),
        ["unknown pool token"] = (r => At(r, "pools[0]")["token1"] = "XYZ", "pools[0].token1"),
        ["pool token without price"] = (r => { AddToken(r, "DAI"); At(r, "pools[0]")["token0"] = "DAI"; }, "pools[0].token0"),
        ["unknown pool kind"] = (r => At(r, "pools[0]")["kind"] = "curve", "pools[0].kind"),
        ["v2 negative reserve"] = (r => At(r, "pools[0]")["reserve0"] = "-1", "pools[0].reserve0"),
        ["v3 fee not a tier"] = (r => At(r, "pools[1]")["fee"] = 400, "pools[1].fee"),
        ["v3 spacing mismatch"] = (r => At(r, "pools[1]")["tickSpacing"] = 60, "pools[1].tickSpacing"),
        ["v3 net does not sum to zero"] = (r => At(r, "pools[1].ticks[2]")["liquidityNet"] = "-140", "pools[1].ticks"),
        ["v3 negative liquidity"] = (r => At(r, "pools[1]")["liquidity"] = "-1", "pools[1].liquidity"),
        ["v3 active liquidity not prefix sum"] = (r => At(r, "pools[1]")["liquidity"] = "151", "pools[1].liquidity"),
        ["v3 tick off spacing"] = (r => At(r, "pools[1].ticks[0]")["index"] = -15, "pools[1].ticks[0].index"),
        ["v3 ticks unordered"] = (r => At(r, "pools[1].ticks[1]")["index"] = -10, "pools[1].ticks[1].index"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Broken_input_names_the_file_and_the_field(string name)
    {
        var (breakIt, field) = Cases[name];
        var root = JsonNode.Parse(SnapshotJson.Serialize(SampleSnapshot.Build()))!;
        breakIt(root);

        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(root.ToJsonString(), File));
        var fromBytes = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()), File));

        Assert.Equal(field, e.Field);
        Assert.Equal(File, e.Source);
        Assert.StartsWith($"{File}: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, fromBytes.Message);
    }

    [Fact]
    public void Out_of_range_threshold_reads_as_the_documented_example()
    {
        var root = JsonNode.Parse(SnapshotJson.Serialize(SampleSnapshot.Build()))!;
        At(root, $"{Market}.reserves[2]")["liquidationThresholdBps"] = 10_500;
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(root.ToJsonString(), File));
        Assert.Equal("fixtures/x.json: aaveV3Markets[0].reserves[2].liquidationThresholdBps: 10500 is out of range (0..10000)", e.Message);
    }

    [Fact]
    public void Truncated_json_reports_line_and_byte()
    {
        var text = SnapshotJson.Serialize(SampleSnapshot.Build());
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(text[..(text.Length / 2)], File));
        Assert.Equal("$", e.Field);
        Assert.Matches(LineAndByte(), e.Message);
        Assert.StartsWith(File, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_json_property_is_malformed()
    {
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse("{\"schema\": \"a\", \"schema\": \"b\"}", File));
        Assert.Equal("$", e.Field);
    }

    private static void AddToken(JsonNode root, string symbol) =>
        At(root, "tokens").AsArray().Add(new JsonObject
        {
            ["symbol"] = symbol,
            ["address"] = "0x6B175474E89094C44Da98b954EedeAC495271d0F",
            ["decimals"] = 18,
            ["source"] = "test",
        });

    /// <summary>Navigates a path such as "aaveV3Markets[0].positions[1].debt".</summary>
    private static JsonNode At(JsonNode root, string path)
    {
        var node = root;
        foreach (Match m in PathSegment().Matches(path))
        {
            node = m.Groups["name"].Success ? node[m.Groups["name"].Value]! : node[int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)]!;
        }

        return node;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z0-9]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"line \d+, byte \d+")]
    private static partial Regex LineAndByte();
}
