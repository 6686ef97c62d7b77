using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

/// <summary>
/// The snapshot read from UTF-8 bytes (what the CLI does), with amounts and addresses taken from the raw
/// bytes: the same snapshot and the same errors as reading the decoded text, escapes and long numbers included.
/// </summary>
public class SnapshotJsonUtf8Tests
{
    private const string File = "fixtures/x.json";
    private static readonly string Text = SnapshotJson.Serialize(SampleSnapshot.Build());

    [Fact]
    public void Bytes_read_as_the_text_does_with_or_without_a_byte_order_mark()
    {
        var fromText = SnapshotJson.Serialize(SnapshotJson.Parse(Text, File));
        var utf8 = Encoding.UTF8.GetBytes(Text);

        Assert.Equal(fromText, SnapshotJson.Serialize(SnapshotJson.Parse(utf8, File)));
        Assert.Equal(fromText, SnapshotJson.Serialize(SnapshotJson.Parse((byte[])[0xEF, 0xBB, 0xBF, .. utf8], File)));
    }

    // Boundaries of the byte parser: one word (19 digits), two words (38), past them (BigInteger), leading zeros, signs.
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("7")]
    [InlineData("9999999999999999999")]
    [InlineData("10000000000000000000")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616")]
    [InlineData("00000000000000000000000000000000000012")]
    [InlineData("99999999999999999999999999999999999999")]
    [InlineData("100000000000000000000000000000000000000")]
    [InlineData("340282366920938463463374607431768211456")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Amounts_of_every_length_read_exactly(string amount)
    {
        var snapshot = SnapshotJson.Parse(Encoding.UTF8.GetBytes(WithDebt(amount)), File);

        Assert.Equal(BigInteger.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), snapshot.AaveV3Markets[0].Positions[0].Debt.Single(d => d.Asset == "USDC").Amount);
    }

    [Theory]
    [InlineData("-5", "-5 is negative")]
    [InlineData("1.5", "'1.5' is not an integer (expected decimal digits)")]
    [InlineData("", "'' is not an integer (expected decimal digits)")]
    [InlineData("-", "'-' is not an integer (expected decimal digits)")]
    [InlineData("+5", "'+5' is not an integer (expected decimal digits)")]
    [InlineData(" 5", "' 5' is not an integer (expected decimal digits)")]
    [InlineData("12a4", "'12a4' is not an integer (expected decimal digits)")]
    [InlineData("1234567890123456789012345678901234567890x", "'1234567890123456789012345678901234567890x' is not an integer (expected decimal digits)")]
    public void Bad_amounts_are_refused_as_the_text_refuses_them(string amount, string detail)
    {
        var json = WithDebt(amount);
        var fromText = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(json, File));
        var fromBytes = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(Encoding.UTF8.GetBytes(json), File));

        Assert.Equal("aaveV3Markets[0].positions[0].debt.USDC", fromBytes.Field);
        Assert.Equal(detail, fromBytes.Detail);
        Assert.Equal(fromText.Message, fromBytes.Message);
    }

    [Fact]
    public void Escaped_amounts_addresses_and_names_read_as_their_characters()
    {
        var plain = SnapshotJson.Parse(Text, File);
        var user = plain.AaveV3Markets[0].Positions[0].User.Hex;
        var escaped = Text
            .Replace("\"USDC\":\"5000000\"", "\"\\u0055SDC\":\"\\u0035000000\"", StringComparison.Ordinal)
            .Replace($"\"{user}\"", $"\"\\u0030x{user[2..].ToUpperInvariant()}\"", StringComparison.Ordinal);
        Assert.NotEqual(Text, escaped);

        var read = SnapshotJson.Parse(Encoding.UTF8.GetBytes(escaped), File);

        Assert.Equal(SnapshotJson.Serialize(plain), SnapshotJson.Serialize(read));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_place()
    {
        var utf8 = Encoding.UTF8.GetBytes(Text.Replace("\"Aave V3 Ethereum Core\"", "\"Aave V3 Ethereum Cor?\"", StringComparison.Ordinal));
        utf8[Array.IndexOf(utf8, (byte)'?')] = 0xFF;

        var e = Assert.Throws<SnapshotFormatException>(() => SnapshotJson.Parse(utf8, File));

        Assert.Equal("$", e.Field);
        var at = Array.IndexOf(utf8, (byte)0xFF);
        var line = utf8.Take(at).Count(b => b == '\n') + 1;
        var column = at - Array.LastIndexOf(utf8, (byte)'\n', at);
        Assert.True(line > 1);
        Assert.Equal($"{File}: $: not UTF-8 text: byte 0xFF at line {line}, byte {column}", e.Message);
    }

    [Theory]
    [InlineData("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2")]
    [InlineData("0X87870BCA3F3FD6335C3F4CE8392D69350B4FA4E2")]
    [InlineData("0x0000000000000000000000000000000000000000")]
    [InlineData("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E")]
    [InlineData("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2a")]
    [InlineData("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4Eg")]
    [InlineData("1x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2")]
    [InlineData("0y87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2")]
    [InlineData("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4é")]
    [InlineData("")]
    public void Address_from_utf8_agrees_with_the_text_parser(string text)
    {
        var fromText = Address.TryParse(text, out var expected);
        var fromBytes = Address.TryParseUtf8(Encoding.UTF8.GetBytes(text), out var actual);

        Assert.Equal(fromText, fromBytes);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Hex, actual.Hex);
    }

    private static string WithDebt(string amount)
    {
        var root = JsonNode.Parse(Text)!;
        root["aaveV3Markets"]![0]!["positions"]![0]!["debt"]!["USDC"] = amount;
        return root.ToJsonString();
    }
}
