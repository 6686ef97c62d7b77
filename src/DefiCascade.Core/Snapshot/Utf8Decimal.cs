using System.Numerics;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// Decimal integers of up to 38 digits (every amount below 10^38, i.e. nearly all token amounts) straight
/// from UTF-8 bytes, with an optional leading '-'. Anything else (more digits, any other character,
/// nothing at all) returns false, and the caller parses the decoded text, which also words the error.
/// </summary>
internal static class Utf8Decimal
{
    private const int WordDigits = 19; // 10^19 - 1 < 2^64
    private const int MaxDigits = 38; // 10^38 - 1 < 2^128

    public static bool TryParse(ReadOnlySpan<byte> text, out BigInteger value)
    {
        value = BigInteger.Zero;
        var negative = !text.IsEmpty && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits.Length > MaxDigits)
        {
            return false;
        }

        var split = System.Math.Max(0, digits.Length - WordDigits);
        if (!TryWord(digits[..split], out var high) || !TryWord(digits[split..], out var low))
        {
            return false;
        }

        // high < 10^19 and 10^19 * high + low < 10^38 < 2^128: no overflow.
        var magnitude = split == 0 ? low : ((UInt128)high * 10_000_000_000_000_000_000UL) + low;
        value = negative ? -(BigInteger)magnitude : (BigInteger)magnitude;
        return true;
    }

    private static bool TryWord(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            // At most 19 digits: below 10^19 < 2^64, no overflow.
            value = (value * 10) + (ulong)(c - '0');
        }

        return true;
    }
}
