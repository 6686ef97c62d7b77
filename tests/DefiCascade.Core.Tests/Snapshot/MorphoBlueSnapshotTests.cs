using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

public class MorphoBlueSnapshotTests
{
    [Fact]
    public void Market_id_is_the_one_Morpho_computed_for_real_markets()
    {
        // 160 bytes of abi.encode: more than Keccak's 136-byte rate, so both the full-block and the padded path run.
        var weth = MorphoBlueMarketId.Compute(
            Address.Parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"), Address.Parse("0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0"),
            MorphoSampleSnapshot.WethMarketOracle, MorphoSampleSnapshot.Irm, BigInteger.Parse("945000000000000000"));
        var usdc = MorphoBlueMarketId.Compute(
            Address.Parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), Address.Parse("0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0"),
            MorphoSampleSnapshot.UsdcMarketOracle, MorphoSampleSnapshot.Irm, BigInteger.Parse("860000000000000000"));

        Assert.Equal(MorphoSampleSnapshot.WethMarketId, weth);
        Assert.Equal(MorphoSampleSnapshot.UsdcMarketId, usdc);
    }

    [Fact]
    public void Round_trip_reproduces_every_market_field_and_position()
    {
        var original = MorphoSampleSnapshot.Build();
        var text = SnapshotJson.Serialize(original);
        var parsed = SnapshotJson.Parse(text, "morpho.json");

        Assert.Equal(text, SnapshotJson.Serialize(parsed));
        Assert.Equal(2, parsed.MorphoBlueMarkets.Count);
        for (var i = 0; i < 2; i++)
        {
            var (a, b) = (original.MorphoBlueMarkets[i], parsed.MorphoBlueMarkets[i]);
            Assert.Equal(a.Positions, b.Positions);
            Assert.Equal(a with { Positions = [] }, b with { Positions = [] });
        }
    }

    [Fact]
    public void Market_and_position_lines_have_the_documented_layout()
    {
        var text = SnapshotJson.Serialize(MorphoSampleSnapshot.Build());

        Assert.Contains("  ],\n  \"morphoBlueMarkets\": [\n    {\n      \"id\": \"" + MorphoSampleSnapshot.WethMarketId + "\",\n", text, StringComparison.Ordinal);
        Assert.Contains("      \"lltv\": \"945000000000000000\",\n      \"oraclePrice\": \"1220000000000000000000000000000000000\",\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "        {\"user\":\"0x000000b100000000000000000000000000000002\",\"supplyShares\":\"0\",\"borrowShares\":\"500000000000000000000000000\",\"collateral\":\"450000000000000000000\"},\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains("  ],\n  \"pools\": [\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_in_upper_case_hex_read_as_lower_case()
    {
        var text = SnapshotJson.Serialize(MorphoSampleSnapshot.Build()).Replace(MorphoSampleSnapshot.UsdcMarketId, "0x" + MorphoSampleSnapshot.UsdcMarketId[2..].ToUpperInvariant(), StringComparison.Ordinal);
        var parsed = SnapshotJson.Parse(text, "upper.json");
        Assert.Equal(MorphoSampleSnapshot.UsdcMarketId, parsed.MorphoBlueMarkets[1].Id);
    }

    [Fact]
    public void A_snapshot_without_Morpho_markets_writes_no_section_and_as_before()
    {
        var aaveOnly = SampleSnapshot.Build();
        var text = SnapshotJson.Serialize(aaveOnly);

        Assert.DoesNotContain("morphoBlue", text, StringComparison.Ordinal);
        Assert.Equal(text, SnapshotJson.Serialize(aaveOnly with { MorphoBlueMarkets = [] }));
        Assert.Empty(SnapshotJson.Parse(text, "aave.json").MorphoBlueMarkets);
        Assert.Contains("      ]\n    }\n  ],\n  \"pools\": [\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_committed_fixture_reads_and_writes_back_byte_for_byte()
    {
        var path = FixturePath();
        var committed = File.ReadAllText(path);
        var snapshot = SnapshotJson.Parse(committed, "fixtures/default-market.json");

        Assert.Empty(snapshot.MorphoBlueMarkets);
        Assert.Equal(committed, SnapshotJson.Serialize(snapshot));
    }

    private static string FixturePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fixtures", "default-market.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("fixtures/default-market.json not found above " + AppContext.BaseDirectory);
    }
}
