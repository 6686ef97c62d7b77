using System.Globalization;

namespace DefiCascade.Core.Primitives;

/// <summary>A 20-byte Ethereum address. Parsed from 0x-prefixed hex; printed lower-case.</summary>
public readonly record struct Address
{
    private readonly string _hex;

    private Address(string lowerHex) => _hex = lowerHex;

    public static Address Zero { get; } = new("0x0000000000000000000000000000000000000000");

    public string Hex => _hex ?? Zero._hex;

    public static Address Parse(string text)
    {
        if (!TryParse(text, out var address))
        {
            throw new FormatException($"'{text}' is not a 0x-prefixed 20-byte hex address");
        }

        return address;
    }

    public static bool TryParse(string? text, out Address address)
    {
        address = Zero;
        if (text is null || text.Length != 42 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        for (var i = 2; i < 42; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]))
            {
                return false;
            }
        }

        address = new Address("0x" + text[2..].ToLowerInvariant());
        return true;
    }

    /// <summary>
    /// <see cref="TryParse(string?, out Address)"/> on UTF-8 bytes (a snapshot's raw JSON), allocating only the
    /// address's own lower-case string.
    /// </summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out Address address)
    {
        address = Zero;
        if (utf8.Length != 42 || utf8[0] != (byte)'0' || (utf8[1] | 0x20) != (byte)'x')
        {
            return false;
        }

        Span<char> lower = stackalloc char[42];
        (lower[0], lower[1]) = ('0', 'x');
        for (var i = 2; i < 42; i++)
        {
            var c = (char)utf8[i];
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            lower[i] = char.ToLowerInvariant(c);
        }

        address = new Address(new string(lower));
        return true;
    }

    /// <summary>A deterministic address derived from a number (for synthetic accounts and tokens).</summary>
    public static Address FromNumber(ulong prefix, ulong number) =>
        new("0x" + prefix.ToString("x8", CultureInfo.InvariantCulture).PadLeft(8, '0')[^8..]
            + number.ToString("x32", CultureInfo.InvariantCulture)[^32..]);

    public override string ToString() => Hex;
}
