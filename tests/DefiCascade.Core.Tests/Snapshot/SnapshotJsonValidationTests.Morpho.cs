using System.Text.Json.Nodes;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

/// <summary>The morphoBlueMarkets section, one broken field at a time (the helpers are the Aave cases').</summary>
public partial class SnapshotJsonValidationTests
{
    private const string Morpho = "morphoBlueMarkets[0]";

    private static readonly Dictionary<string, (Action<JsonNode> Break, string Field)> MorphoCases = new()
    {
        ["section not an array"] = (r => r["morphoBlueMarkets"] = 1, "morphoBlueMarkets"),
        ["unknown market field"] = (r => At(r, Morpho)["liquidationBonus"] = "1", $"{Morpho}.liquidationBonus"),
        ["id not hex"] = (r => At(r, Morpho)["id"] = "0x12", $"{Morpho}.id"),
        ["id of other params"] = (r => At(r, Morpho)["id"] = MorphoSampleSnapshot.UsdcMarketId, $"{Morpho}.id"),
        ["lltv changed under the id"] = (r => At(r, Morpho)["lltv"] = "860000000000000000", $"{Morpho}.id"),
        ["oracle changed under the id"] = (r => At(r, Morpho)["oracle"] = MorphoSampleSnapshot.UsdcMarketOracle.Hex, $"{Morpho}.id"),
        ["duplicate market"] = (r => At(r, "morphoBlueMarkets").AsArray().Add(At(r, Morpho).DeepClone()), "morphoBlueMarkets[2].id"),
        ["missing morpho"] = (r => At(r, Morpho).AsObject().Remove("morpho"), $"{Morpho}.morpho"),
        ["bad irm address"] = (r => At(r, Morpho)["irm"] = "0xzz", $"{Morpho}.irm"),
        ["unknown loan token"] = (r => At(r, Morpho)["loanToken"] = "XYZ", $"{Morpho}.loanToken"),
        ["unknown collateral token"] = (r => At(r, Morpho)["collateralToken"] = "XYZ", $"{Morpho}.collateralToken"),
        ["lltv of 100%"] = (r => At(r, Morpho)["lltv"] = "1000000000000000000", $"{Morpho}.lltv"),
        ["lltv as number"] = (r => At(r, Morpho)["lltv"] = 945, $"{Morpho}.lltv"),
        ["oracle price zero"] = (r => At(r, Morpho)["oraclePrice"] = "0", $"{Morpho}.oraclePrice"),
        ["oracle price negative"] = (r => At(r, Morpho)["oraclePrice"] = "-1", $"{Morpho}.oraclePrice"),
        ["total above uint128"] = (r => At(r, Morpho)["totalSupplyShares"] = "340282366920938463463374607431768211456", $"{Morpho}.totalSupplyShares"),
        ["borrow above supply"] = (r => At(r, Morpho)["totalBorrowAssets"] = "1000000000000000000001", $"{Morpho}.totalBorrowAssets"),
        ["lastUpdate after the block"] = (r => At(r, Morpho)["lastUpdate"] = 1_770_249_601, $"{Morpho}.lastUpdate"),
        ["lastUpdate zero"] = (r => At(r, Morpho)["lastUpdate"] = 0, $"{Morpho}.lastUpdate"),
        ["fee above MAX_FEE"] = (r => At(r, Morpho)["fee"] = "250000000000000001", $"{Morpho}.fee"),
        ["unknown source"] = (r => At(r, Morpho)["source"] = "nope", $"{Morpho}.source"),
        ["unknown positions source"] = (r => At(r, Morpho)["positionsSource"] = "nope", $"{Morpho}.positionsSource"),
        ["unknown position field"] = (r => At(r, $"{Morpho}.positions[0]")["debt"] = "1", $"{Morpho}.positions[0].debt"),
        ["duplicate position user"] = (r => At(r, $"{Morpho}.positions[2]")["user"] = At(r, $"{Morpho}.positions[1]")["user"]!.GetValue<string>(), $"{Morpho}.positions[2].user"),
        ["collateral above uint128"] = (r => At(r, $"{Morpho}.positions[1]")["collateral"] = "340282366920938463463374607431768211456", $"{Morpho}.positions[1].collateral"),
        ["negative borrow shares"] = (r => At(r, $"{Morpho}.positions[1]")["borrowShares"] = "-1", $"{Morpho}.positions[1].borrowShares"),
        ["borrow shares above the total"] = (r => At(r, $"{Morpho}.positions[2]")["borrowShares"] = "390000000000000000000000001", $"{Morpho}.positions[2].borrowShares"),
        ["supply shares above the total"] = (r => At(r, $"{Morpho}.positions[2]")["supplyShares"] = "1", $"{Morpho}.positions[2].supplyShares"),
    };

    public static TheoryData<string> MorphoCaseNames => new(MorphoCases.Keys);

    [Theory]
    [MemberData(nameof(MorphoCaseNames))]
    public void Broken_Morpho_market_names_the_file_and_the_field(string name)
    {
        var (breakIt, field) = MorphoCases[name];
        var root = JsonNode.Parse(SnapshotJson.Serialize(MorphoSampleSnapshot.Build()))!;
        breakIt(root);

        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(root.ToJsonString(), File));

        Assert.Equal(field, e.Field);
        Assert.StartsWith($"{File}: {field}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_mismatch_names_the_id_the_params_give()
    {
        var root = JsonNode.Parse(SnapshotJson.Serialize(MorphoSampleSnapshot.Build()))!;
        At(root, Morpho)["id"] = MorphoSampleSnapshot.UsdcMarketId;
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(root.ToJsonString(), File));
        Assert.Equal(
            $"{File}: {Morpho}.id: {MorphoSampleSnapshot.UsdcMarketId} is not keccak256(abi.encode(loanToken, collateralToken, oracle, irm, lltv)) = {MorphoSampleSnapshot.WethMarketId}",
            e.Message);
    }
}
