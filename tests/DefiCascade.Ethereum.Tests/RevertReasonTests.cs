using System.Numerics;
using System.Text.Json;
using DefiCascade.Ethereum.Abi;

namespace DefiCascade.Ethereum.Tests;

public class RevertReasonTests
{
    [Fact]
    public void Error_string_is_decoded()
    {
        byte[] data = [.. AbiSignature.Selector("Error(string)"), .. AbiCodec.Encode([AbiType.Parse("string")], ["UniswapV2: K"])];
        Assert.Equal("UniswapV2: K", RevertReason.Decode(data));
    }

    [Fact]
    public void Aave_error_codes_come_through_as_their_string()
    {
        byte[] data = [.. AbiSignature.Selector("Error(string)"), .. AbiCodec.Encode([AbiType.Parse("string")], ["45"])];
        Assert.Equal("45", RevertReason.Decode(data));
    }

    [Theory]
    [InlineData(0x11, "Panic(0x11): arithmetic overflow or underflow")]
    [InlineData(0x12, "Panic(0x12): division or modulo by zero")]
    [InlineData(0x01, "Panic(0x01): assert failed")]
    [InlineData(0x32, "Panic(0x32): array index out of bounds")]
    [InlineData(0x99, "Panic(0x99): unknown panic code")]
    public void Panic_codes_are_named(int code, string expected)
    {
        byte[] data = [.. AbiSignature.Selector("Panic(uint256)"), .. AbiCodec.Encode([AbiType.Parse("uint256")], [new BigInteger(code)])];
        Assert.Equal(expected, RevertReason.Decode(data));
    }

    [Fact]
    public void Custom_errors_are_named_when_the_abi_declares_them_and_shown_raw_otherwise()
    {
        using var doc = JsonDocument.Parse("""[{"type":"error","name":"InsufficientBalance","inputs":[{"name":"need","type":"uint256"}]}]""");
        var abi = ContractAbi.FromJson(doc.RootElement);
        byte[] data = [.. AbiSignature.Selector("InsufficientBalance(uint256)"), .. AbiCodec.Encode([AbiType.Parse("uint256")], [new BigInteger(5)])];
        Assert.Equal("InsufficientBalance(5)", RevertReason.Decode(data, abi));
        Assert.StartsWith("custom error 0x" + Convert.ToHexStringLower(data[..4]), RevertReason.Decode(data), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_revert_data_says_so() => Assert.Equal("reverted without a reason", RevertReason.Decode([]));
}
