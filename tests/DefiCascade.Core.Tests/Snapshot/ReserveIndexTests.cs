using System.Numerics;
using System.Text.Json.Nodes;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

/// <summary>The optional per-reserve indexes: absent they change nothing, present they round-trip, below one ray they are refused.</summary>
public class ReserveIndexTests
{
    private const string File = "fixtures/x.json";
    private static readonly BigInteger Income = BigInteger.Parse("1043817227165430917412330144", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger Debt = BigInteger.Parse("1067354219826377106557019001", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_snapshot_without_indexes_is_written_without_them_and_reads_back_null()
    {
        var text = SnapshotJson.Serialize(SampleSnapshot.Build());
        Assert.DoesNotContain("Index\"", text, StringComparison.Ordinal);
        var parsed = SnapshotJson.Parse(text, File);
        Assert.All(parsed.AaveV3Markets[0].Reserves, r => Assert.True(r.LiquidityIndex is null && r.VariableBorrowIndex is null));
    }

    [Fact]
    public void Indexes_round_trip_as_ray_strings()
    {
        var s = SampleSnapshot.Build();
        var market = s.AaveV3Markets[0];
        var reserves = market.Reserves.Select((r, i) => i == 1 ? r with { LiquidityIndex = Income, VariableBorrowIndex = Debt } : r).ToArray();
        var withIndexes = s with { AaveV3Markets = [market with { Reserves = reserves }] };
        var text = SnapshotJson.Serialize(withIndexes);
        Assert.Contains("\"liquidityIndex\": \"1043817227165430917412330144\", \"variableBorrowIndex\": \"1067354219826377106557019001\"", text, StringComparison.Ordinal);
        var parsed = SnapshotJson.Parse(text, File);
        Assert.Equal(Income, parsed.AaveV3Markets[0].Reserves[1].LiquidityIndex);
        Assert.Equal(Debt, parsed.AaveV3Markets[0].Reserves[1].VariableBorrowIndex);
        Assert.Null(parsed.AaveV3Markets[0].Reserves[0].LiquidityIndex);
        Assert.Equal(text, SnapshotJson.Serialize(parsed));
    }

    [Fact]
    public void An_index_below_one_ray_is_refused_naming_the_field()
    {
        var root = JsonNode.Parse(SnapshotJson.Serialize(SampleSnapshot.Build()))!;
        root["aaveV3Markets"]![0]!["reserves"]![1]!["liquidityIndex"] = "999999999999999999999999999";
        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(root.ToJsonString(), File));
        Assert.Equal("aaveV3Markets[0].reserves[1].liquidityIndex", e.Field);
        Assert.Contains("below 1e27", e.Message, StringComparison.Ordinal);
    }
}
