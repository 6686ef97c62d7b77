using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;

namespace DefiCascade.Ethereum.Tests;

public class AbiCodecTests
{
    private static readonly AbiType Uint8 = AbiType.Parse("uint8");

    [Theory]
    [InlineData("uint8", "256")]
    [InlineData("uint256", "-1")]
    [InlineData("uint8", "-1")]
    [InlineData("int8", "128")]
    [InlineData("int8", "-129")]
    [InlineData("uint256", "115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    public void Out_of_range_integers_are_refused(string type, string value)
    {
        var e = Assert.Throws<AbiException>(() => AbiCodec.Encode([AbiType.Parse(type)], [BigInteger.Parse(value)]));
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_ints_are_twos_complement_and_decode_back()
    {
        var int8 = AbiType.Parse("int8");
        var encoded = AbiCodec.Encode([int8, AbiType.Parse("int256")], [new BigInteger(-128), BigInteger.MinusOne]);
        Assert.Equal(new string('f', 62) + "80" + new string('f', 64), Convert.ToHexStringLower(encoded));
        var decoded = AbiCodec.Decode([int8, AbiType.Parse("int256")], encoded);
        Assert.Equal(new BigInteger(-128), decoded[0]);
        Assert.Equal(BigInteger.MinusOne, decoded[1]);
    }

    [Fact]
    public void Decoding_refuses_a_word_that_does_not_fit_the_type()
    {
        var word = new byte[32];
        word[30] = 1; // 256 in a uint8 slot
        Assert.Throws<AbiException>(() => AbiCodec.Decode([Uint8], word));
    }

    [Fact]
    public void Decoding_refuses_truncated_data_and_offsets_past_the_end()
    {
        Assert.Throws<AbiException>(() => AbiCodec.Decode([Uint8], new byte[31]));
        var offset = new byte[32];
        offset[31] = 0x40; // a string claimed at 64 in 32 bytes of data
        Assert.Throws<AbiException>(() => AbiCodec.Decode([AbiType.Parse("string")], offset));
    }

    [Fact]
    public void Wrong_value_kinds_and_sizes_are_refused()
    {
        Assert.Throws<AbiException>(() => AbiCodec.Encode([AbiType.Parse("address")], ["0x00000000000000000000000000000000000000aa"]));
        Assert.Throws<AbiException>(() => AbiCodec.Encode([AbiType.Parse("bytes10")], [new byte[9]]));
        Assert.Throws<AbiException>(() => AbiCodec.Encode([AbiType.Parse("uint256[2]")], [new object[] { BigInteger.One }]));
        Assert.Throws<AbiException>(() => AbiCodec.Encode([Uint8, Uint8], [BigInteger.One]));
    }

    [Theory]
    [InlineData("uint", "uint256")]
    [InlineData("int", "int256")]
    [InlineData("(uint256,address)[]", "(uint256,address)[]")]
    [InlineData("uint32[2][]", "uint32[2][]")]
    [InlineData("((bool,bytes32)[3],string)", "((bool,bytes32)[3],string)")]
    public void Types_parse_to_canonical_names(string text, string canonical) =>
        Assert.Equal(canonical, AbiType.Parse(text).Name);

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("bytes33")]
    [InlineData("bytes0")]
    [InlineData("foo")]
    [InlineData("(uint256")]
    [InlineData("uint256[0]")]
    public void Bad_types_are_refused(string text) => Assert.Throws<FormatException>(() => AbiType.Parse(text));

    [Fact]
    public void Address_round_trips()
    {
        var a = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var encoded = AbiCodec.Encode([AbiType.Parse("address")], [a]);
        Assert.Equal("0000000000000000000000005fbdb2315678afecb367f032d93f642f64180aa3", Convert.ToHexStringLower(encoded));
        Assert.Equal(a, AbiCodec.Decode([AbiType.Parse("address")], encoded)[0]);
    }

    [Fact]
    public void Function_entry_with_tuple_components_builds_its_signature_and_encodes()
    {
        const string json = """
            {"type":"function","name":"supply","stateMutability":"nonpayable",
             "inputs":[
               {"name":"p","type":"tuple","components":[{"name":"amount","type":"uint256"},{"name":"to","type":"address"}]},
               {"name":"list","type":"tuple[]","components":[{"name":"flag","type":"bool"},{"name":"data","type":"bytes"}]},
               {"name":"code","type":"uint16"}],
             "outputs":[{"name":"","type":"bool"}]}
            """;
        var f = AbiFunction.FromJson(json);
        Assert.Equal("supply((uint256,address),(bool,bytes)[],uint16)", f.Signature);
        Assert.Equal(AbiSignature.Selector(f.Signature), f.Selector);
        var to = Address.Parse("0x00000000000000000000000000000000000000bb");
        var call = f.EncodeCall(new object[] { BigInteger.One, to }, new object[] { new object[] { true, new byte[] { 1, 2 } } }, 7);
        Assert.Equal(f.Selector, call[..4]);
        var back = AbiCodec.Decode(f.InputTypes, call.AsSpan(4));
        Assert.Equal("[[1,0x00000000000000000000000000000000000000bb],[[True,0x0102]],7]", AbiSpecExampleTests.Render(back));
        Assert.Throws<AbiException>(() => f.EncodeCall(1));
    }

    [Fact]
    public void Overloaded_functions_need_their_signature()
    {
        using var doc = JsonDocument.Parse("""
            [{"type":"function","name":"mint","inputs":[{"name":"v","type":"uint256"}],"outputs":[]},
             {"type":"function","name":"mint","inputs":[{"name":"a","type":"address"},{"name":"v","type":"uint256"}],"outputs":[]}]
            """);
        var abi = ContractAbi.FromJson(doc.RootElement);
        var e = Assert.Throws<KeyNotFoundException>(() => abi.Function("mint"));
        Assert.Contains("mint(address,uint256)", e.Message, StringComparison.Ordinal);
        Assert.Equal("mint(address,uint256)", abi.Function("mint(address, uint256)").Signature);
    }
}
