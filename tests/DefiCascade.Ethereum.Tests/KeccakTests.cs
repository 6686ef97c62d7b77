using System.Text;
using DefiCascade.Ethereum.Abi;

namespace DefiCascade.Ethereum.Tests;

public class KeccakTests
{
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void Hash256_matches_known_vectors(string input, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Keccak.Hash256(Encoding.UTF8.GetBytes(input))));

    [Fact]
    public void Hash256_spans_more_than_one_rate_block()
    {
        // 136 bytes is Keccak-256's rate: 200 bytes exercise the absorb loop, not only the padding path.
        var a = Keccak.Hash256(new byte[200]);
        var b = Keccak.Hash256(new byte[201]);
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("transfer(address,uint256)", "a9059cbb")]
    [InlineData("balanceOf(address)", "70a08231")]
    [InlineData("approve(address,uint256)", "095ea7b3")]
    [InlineData("transfer(address, uint)", "a9059cbb")]
    [InlineData("Error(string)", "08c379a0")]
    [InlineData("Panic(uint256)", "4e487b71")]
    public void Selectors_are_the_first_four_bytes(string signature, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(AbiSignature.Selector(signature)));

    [Fact]
    public void Event_topic_is_the_whole_hash() =>
        Assert.Equal(
            "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            Convert.ToHexStringLower(AbiSignature.EventTopic("Transfer(address,address,uint256)")));
}
