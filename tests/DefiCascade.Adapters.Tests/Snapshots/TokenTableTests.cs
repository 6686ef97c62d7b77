using DefiCascade.Adapters.Snapshots;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.Tests.Snapshots;

public sealed class TokenTableTests
{
    [Fact]
    public void The_same_address_merges_and_another_token_with_a_taken_symbol_is_renamed_not_merged()
    {
        var usdc = new SnapshotToken("USDC", Address.FromNumber(7, 1), 6, "aave");
        var fake = new SnapshotToken("USDC", Address.FromNumber(7, 2), 18, "pool");
        var table = new TokenTable();
        table.AddAll([usdc]);

        var map = table.AddAll([usdc with { Source = "morpho" }, new SnapshotToken("DAI", Address.FromNumber(7, 3), 18, "morpho")]);
        var fakeMap = table.AddAll([fake]);

        Assert.Equal(3, table.All.Count);
        Assert.Equal("aave", table.All[0].Source);
        Assert.Equal("USDC", map("USDC"));
        Assert.Equal("DAI", map("DAI"));
        Assert.Equal($"USDC@{fake.Address.Hex}", fakeMap("USDC"));
        Assert.Equal($"USDC@{fake.Address.Hex}", table.All[2].Symbol);
        Assert.Equal((18, fake.Address), (table.All[2].Decimals, table.All[2].Address));
        Assert.Throws<ArgumentException>(() => table.AddAll([new SnapshotToken("X", Address.FromNumber(7, 4), 6, "r"), new SnapshotToken("X", Address.FromNumber(7, 5), 6, "r")]));
    }
}
