using System.Globalization;
using System.Numerics;

namespace DefiCascade.Ethereum;

/// <summary>0x-prefixed hex as JSON-RPC (EIP-1474) writes data and quantities.</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> data) => "0x" + Convert.ToHexStringLower(data);

    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var body = Strip(hex);
        if (body.Length % 2 != 0)
        {
            throw new FormatException($"hex data must have an even number of digits (got {body.Length})");
        }

        return Convert.FromHexString(body);
    }

    /// <summary>A quantity: no leading zeros, "0x0" for zero (EIP-1474).</summary>
    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a JSON-RPC quantity cannot be negative");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
        return "0x" + hex;
    }

    public static BigInteger DecodeQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var body = Strip(hex);
        if (body.Length == 0)
        {
            throw new FormatException("empty hex quantity");
        }

        // leading "0" keeps BigInteger.Parse from reading the top bit as a sign.
        return BigInteger.Parse("0" + body, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static string Strip(string hex) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
}
