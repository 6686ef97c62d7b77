using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Replay.Fork;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// The hand-assembled feed's structure, without a chain: both JUMPI targets land on a JUMPDEST, the selectors are the
/// ABI's, and the fork addresses are keccak-derived and distinct. Its behaviour is proven on chain in
/// <see cref="SourcesOracleDriverTests"/>.
/// </summary>
public sealed class FakeAggregatorCodeTests
{
    [Fact]
    public void Jump_targets_are_jumpdests_and_selectors_match_the_abi()
    {
        var code = FakeAggregatorCode.Runtime();
        Assert.Equal(78, code.Length);
        Assert.Equal(0x60, code[0x0d]); // PUSH1 target of the decimals branch
        Assert.Equal(0x5b, code[code[0x0e]]);
        Assert.Equal(0x60, code[0x16]); // PUSH1 target of the round branch
        Assert.Equal(0x5b, code[code[0x17]]);
        Assert.Equal(Keccak.Hash256("decimals()")[..4], code[0x08..0x0c]);
        Assert.Equal(Keccak.Hash256("latestRoundData()")[..4], code[0x11..0x15]);
        Assert.Equal(new byte[] { 0xf3, 0xf3, 0xf3 }, new[] { code[0x23], code[0x2f], code[^1] });
    }

    [Fact]
    public void Fork_addresses_are_the_last_20_bytes_of_keccak_and_differ_per_asset()
    {
        var asset = Address.Parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
        var expected = Hex.Encode(Keccak.Hash256([.. "DefiCascade.Replay.Fork fake aggregator"u8, .. Hex.Decode(asset.Hex)])[12..]);
        Assert.Equal(expected, ForkAddresses.FakeAggregator(asset).Hex);
        Assert.NotEqual(ForkAddresses.FakeAggregator(asset), ForkAddresses.FakeAggregator(Address.FromNumber(1, 1)));
        Assert.NotEqual(ForkAddresses.ReplayAdmin, ForkAddresses.FakeAggregator(asset));
    }
}
