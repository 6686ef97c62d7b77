using System.Globalization;

namespace DefiCascade.Ethereum.Abi;

public enum AbiKind
{
    UInt,
    Int,
    Address,
    Bool,
    FixedBytes,
    Bytes,
    String,
    Array,
    Tuple,
}

/// <summary>
/// A Solidity ABI type, parsed from its canonical string ("uint256", "bytes10", "(uint256,address)[]", "uint32[2][]").
/// <see cref="Length"/> is the bit width for ints, the byte count for bytesN, the element count for T[k] (null: T[]).
/// </summary>
public sealed class AbiType
{
    private AbiType(AbiKind kind, int size, AbiType? element, int? length, IReadOnlyList<AbiType> components)
    {
        Kind = kind;
        Size = size;
        Element = element;
        Length = length;
        Components = components;
        Name = kind switch
        {
            AbiKind.UInt => "uint" + size.ToString(CultureInfo.InvariantCulture),
            AbiKind.Int => "int" + size.ToString(CultureInfo.InvariantCulture),
            AbiKind.Address => "address",
            AbiKind.Bool => "bool",
            AbiKind.FixedBytes => "bytes" + size.ToString(CultureInfo.InvariantCulture),
            AbiKind.Bytes => "bytes",
            AbiKind.String => "string",
            AbiKind.Array => element!.Name + "[" + (length?.ToString(CultureInfo.InvariantCulture) ?? string.Empty) + "]",
            _ => "(" + string.Join(",", components.Select(c => c.Name)) + ")",
        };
        IsDynamic = kind is AbiKind.Bytes or AbiKind.String
            || (kind == AbiKind.Array && (length is null || element!.IsDynamic))
            || (kind == AbiKind.Tuple && components.Any(c => c.IsDynamic));
    }

    public AbiKind Kind { get; }

    /// <summary>Bits for uintN/intN, bytes for bytesN, 0 otherwise.</summary>
    public int Size { get; }

    public AbiType? Element { get; }

    public int? Length { get; }

    public IReadOnlyList<AbiType> Components { get; }

    /// <summary>Canonical name as it appears in signatures ("uint" becomes "uint256").</summary>
    public string Name { get; }

    /// <summary>Dynamic types are encoded in the tail behind an offset.</summary>
    public bool IsDynamic { get; }

    /// <summary>Bytes the type takes in the head of an enclosing tuple (32 unless a static array or tuple).</summary>
    public int HeadSize => IsDynamic ? 32 : Kind switch
    {
        AbiKind.Array => Length!.Value * Element!.HeadSize,
        AbiKind.Tuple => Components.Sum(c => c.HeadSize),
        _ => 32,
    };

    public static AbiType Tuple(IReadOnlyList<AbiType> components) =>
        new(AbiKind.Tuple, 0, null, null, components.ToArray());

    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = 0;
        var type = ParseAt(text.Replace(" ", string.Empty, StringComparison.Ordinal), ref pos);
        if (pos != text.Replace(" ", string.Empty, StringComparison.Ordinal).Length)
        {
            throw new FormatException($"unexpected text after the ABI type in '{text}'");
        }

        return type;
    }

    /// <summary>Parses a comma-separated list "uint256,(bool,bytes)[]" (a signature's parameter list).</summary>
    public static IReadOnlyList<AbiType> ParseList(string text)
    {
        var tuple = Parse("(" + text + ")");
        return tuple.Components;
    }

    public override string ToString() => Name;

    private static AbiType ParseAt(string s, ref int pos)
    {
        AbiType type;
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            var components = new List<AbiType>();
            if (pos < s.Length && s[pos] == ')')
            {
                pos++;
            }
            else
            {
                while (true)
                {
                    components.Add(ParseAt(s, ref pos));
                    if (pos >= s.Length)
                    {
                        throw new FormatException($"unclosed tuple in ABI type '{s}'");
                    }

                    var c = s[pos++];
                    if (c == ')')
                    {
                        break;
                    }

                    if (c != ',')
                    {
                        throw new FormatException($"expected ',' or ')' at {pos - 1} in ABI type '{s}'");
                    }
                }
            }

            type = Tuple(components);
        }
        else
        {
            var start = pos;
            while (pos < s.Length && char.IsAsciiLetterOrDigit(s[pos]))
            {
                pos++;
            }

            type = Elementary(s[start..pos], s);
        }

        while (pos < s.Length && s[pos] == '[')
        {
            var close = s.IndexOf(']', pos);
            if (close < 0)
            {
                throw new FormatException($"unclosed '[' in ABI type '{s}'");
            }

            var inner = s[(pos + 1)..close];
            int? length = null;
            if (inner.Length > 0)
            {
                if (!int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k <= 0)
                {
                    throw new FormatException($"bad array length '{inner}' in ABI type '{s}'");
                }

                length = k;
            }

            type = new AbiType(AbiKind.Array, 0, type, length, []);
            pos = close + 1;
        }

        return type;
    }

    private static AbiType Elementary(string name, string whole)
    {
        switch (name)
        {
            case "address": return new AbiType(AbiKind.Address, 0, null, null, []);
            case "bool": return new AbiType(AbiKind.Bool, 0, null, null, []);
            case "string": return new AbiType(AbiKind.String, 0, null, null, []);
            case "bytes": return new AbiType(AbiKind.Bytes, 0, null, null, []);
            case "uint": return new AbiType(AbiKind.UInt, 256, null, null, []);
            case "int": return new AbiType(AbiKind.Int, 256, null, null, []);
        }

        if (TrySuffix(name, "uint", out var bits) || TrySuffix(name, "int", out bits))
        {
            if (bits is < 8 or > 256 || bits % 8 != 0)
            {
                throw new FormatException($"'{name}' is not an ABI integer type (8..256 bits in steps of 8) in '{whole}'");
            }

            return new AbiType(name[0] == 'u' ? AbiKind.UInt : AbiKind.Int, bits, null, null, []);
        }

        if (TrySuffix(name, "bytes", out var n))
        {
            if (n is < 1 or > 32)
            {
                throw new FormatException($"'{name}' is not an ABI type (bytes1..bytes32) in '{whole}'");
            }

            return new AbiType(AbiKind.FixedBytes, n, null, null, []);
        }

        throw new FormatException($"unknown ABI type '{name}' in '{whole}'");
    }

    private static bool TrySuffix(string name, string prefix, out int number)
    {
        number = 0;
        return name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length
            && char.IsAsciiDigit(name[prefix.Length])
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
