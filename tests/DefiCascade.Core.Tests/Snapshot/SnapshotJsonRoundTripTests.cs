using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

public class SnapshotJsonRoundTripTests
{
    [Fact]
    public void Serialize_then_parse_reproduces_every_field()
    {
        var original = SampleSnapshot.Build();
        var text = SnapshotJson.Serialize(original);
        var parsed = SnapshotJson.Parse(text, "sample.json");

        Assert.Equal(text, SnapshotJson.Serialize(parsed));
        Assert.Equal(original.BlockNumber, parsed.BlockNumber);
        Assert.Equal(original.Origin.Description, parsed.Origin.Description);
        Assert.Equal(original.Tokens, parsed.Tokens);
        Assert.Equal(original.Prices, parsed.Prices);
        Assert.Equal(original.Oracles, parsed.Oracles);
        var (a, b) = (original.AaveV3Markets[0], parsed.AaveV3Markets[0]);
        Assert.Equal(a.Reserves, b.Reserves);
        Assert.Equal(a.EModes, b.EModes);
        Assert.Equal(a.Positions.Count, b.Positions.Count);
        for (var i = 0; i < a.Positions.Count; i++)
        {
            Assert.Equal(a.Positions[i].User, b.Positions[i].User);
            Assert.Equal(a.Positions[i].EMode, b.Positions[i].EMode);
            Assert.Equal(a.Positions[i].Collateral, b.Positions[i].Collateral);
            Assert.Equal(a.Positions[i].Debt, b.Positions[i].Debt);
        }

        var v3 = Assert.IsType<UniswapV3PoolSnapshot>(parsed.Pools[1]);
        Assert.Equal(((UniswapV3PoolSnapshot)original.Pools[1]).Ticks, v3.Ticks);
        Assert.Equal(original.Pools[0], parsed.Pools[0]);
    }

    [Fact]
    public void Serialize_is_deterministic_with_lf_endings_and_one_line_per_position()
    {
        var text = SnapshotJson.Serialize(SampleSnapshot.Build());
        Assert.Equal(text, SnapshotJson.Serialize(SampleSnapshot.Build()));
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "{\"user\":\"0xdefca5ca00000000000000000000000000000001\",\"eMode\":0,\"collateral\":{\"WETH\":\"1000000000000000000\"},\"debt\":{\"USDC\":\"5000000\"}}",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_are_written_in_key_order_whatever_the_dictionary_order()
    {
        var s = SampleSnapshot.Build();
        var reversed = s.Origin.Sources.Reverse().ToDictionary(kv => kv.Key, kv => kv.Value);
        var other = s with { Origin = s.Origin with { Sources = reversed } };
        Assert.Equal(SnapshotJson.Serialize(s), SnapshotJson.Serialize(other));
    }
}
