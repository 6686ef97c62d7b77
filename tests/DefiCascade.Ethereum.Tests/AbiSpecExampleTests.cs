using System.Numerics;
using System.Text;
using DefiCascade.Ethereum.Abi;

namespace DefiCascade.Ethereum.Tests;

/// <summary>The worked examples of the Solidity ABI specification ("Examples" and "Use of Dynamic Types").</summary>
public class AbiSpecExampleTests
{
    [Fact]
    public void Baz_uint32_bool() => AssertCall(
        "baz(uint32,bool)",
        [new BigInteger(69), true],
        "cdcd77c0"
        + "0000000000000000000000000000000000000000000000000000000000000045"
        + "0000000000000000000000000000000000000000000000000000000000000001");

    [Fact]
    public void Bar_bytes3_static_array() => AssertCall(
        "bar(bytes3[2])",
        [new object[] { "abc"u8.ToArray(), "def"u8.ToArray() }],
        "fce353f6"
        + "6162630000000000000000000000000000000000000000000000000000000000"
        + "6465660000000000000000000000000000000000000000000000000000000000");

    [Fact]
    public void Sam_bytes_bool_dynamic_array() => AssertCall(
        "sam(bytes,bool,uint256[])",
        ["dave"u8.ToArray(), true, new object[] { new BigInteger(1), new BigInteger(2), new BigInteger(3) }],
        "a5643bf2"
        + "0000000000000000000000000000000000000000000000000000000000000060"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "00000000000000000000000000000000000000000000000000000000000000a0"
        + "0000000000000000000000000000000000000000000000000000000000000004"
        + "6461766500000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000003");

    [Fact]
    public void F_uint256_uint32array_bytes10_bytes() => AssertCall(
        "f(uint256,uint32[],bytes10,bytes)",
        [new BigInteger(0x123), new object[] { new BigInteger(0x456), new BigInteger(0x789) }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray()],
        "8be65246"
        + "0000000000000000000000000000000000000000000000000000000000000123"
        + "0000000000000000000000000000000000000000000000000000000000000080"
        + "3132333435363738393000000000000000000000000000000000000000000000"
        + "00000000000000000000000000000000000000000000000000000000000000e0"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000456"
        + "0000000000000000000000000000000000000000000000000000000000000789"
        + "000000000000000000000000000000000000000000000000000000000000000d"
        + "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");

    [Fact]
    public void G_nested_dynamic_arrays_and_strings() => AssertCall(
        "g(uint256[][],string[])",
        [
            new object[] { new object[] { new BigInteger(1), new BigInteger(2) }, new object[] { new BigInteger(3) } },
            new object[] { "one", "two", "three" },
        ],
        "2289b18c"
        + "0000000000000000000000000000000000000000000000000000000000000040"
        + "0000000000000000000000000000000000000000000000000000000000000140"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000040"
        + "00000000000000000000000000000000000000000000000000000000000000a0"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "0000000000000000000000000000000000000000000000000000000000000060"
        + "00000000000000000000000000000000000000000000000000000000000000a0"
        + "00000000000000000000000000000000000000000000000000000000000000e0"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "6f6e650000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "74776f0000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000005"
        + "7468726565000000000000000000000000000000000000000000000000000000");

    internal static void AssertCall(string signature, object[] args, string expectedHex)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var types = AbiType.ParseList(signature[(open + 1)..^1]);
        var encoded = AbiCodec.Encode(types, args);
        Assert.Equal(expectedHex, Convert.ToHexStringLower([.. AbiSignature.Selector(signature), .. encoded]));

        // decoding gives the same values back (byte[] and string compared by content).
        var decoded = AbiCodec.Decode(types, encoded);
        Assert.Equal(Render(args), Render(decoded));
    }

    internal static string Render(object value) => value switch
    {
        byte[] b => "0x" + Convert.ToHexStringLower(b),
        object[] a => "[" + string.Join(",", a.Select(Render)) + "]",
        string s => "\"" + s + "\"",
        _ => value.ToString() ?? "null",
    };

    [Fact]
    public void Tuples_encode_inline_when_static_and_behind_an_offset_when_dynamic()
    {
        var address = DefiCascade.Core.Primitives.Address.Parse("0x00000000000000000000000000000000000000aa");
        var types = AbiType.ParseList("(uint256,address),(string,bool)[]");
        object[] values = [new object[] { new BigInteger(7), address }, new object[] { new object[] { "x", false } }];
        var encoded = AbiCodec.Encode(types, values);
        Assert.Equal(9 * 32, encoded.Length);
        Assert.Equal(Render(values), Render(AbiCodec.Decode(types, encoded)));
        Assert.Equal("((uint256,address),(string,bool)[])", AbiType.Tuple(types).Name);
        Assert.Equal(Encoding.UTF8.GetBytes("x")[0], encoded[^32]);
    }
}
