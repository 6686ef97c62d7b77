using System.Collections;
using System.Numerics;
using System.Text;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum.Abi;

/// <summary>
/// The Solidity contract ABI encoding (head/tail, 32-byte words). Values: BigInteger (or any .NET integer) for
/// uintN/intN, <see cref="Address"/>, bool, byte[] for bytes and bytesN, string, object[] for arrays and tuples.
/// Decoding returns BigInteger, Address, bool, byte[], string and object[].
/// </summary>
public static class AbiCodec
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        var output = new MemoryStream();
        EncodeSequence(types, values.ToArray(), output, "arguments");
        return output.ToArray();
    }

    public static object[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        return DecodeSequence(types, data.ToArray(), 0, "result");
    }

    private static void EncodeSequence(IReadOnlyList<AbiType> types, IList values, MemoryStream output, string path)
    {
        if (types.Count != values.Count)
        {
            throw new AbiException($"{path}: {types.Count} values expected, {values.Count} given");
        }

        var headSize = types.Sum(t => t.HeadSize);
        var tail = new MemoryStream();
        for (var i = 0; i < types.Count; i++)
        {
            var itemPath = $"{path}[{i}] ({types[i].Name})";
            if (types[i].IsDynamic)
            {
                WriteWord(output, new BigInteger(headSize + tail.Length));
                EncodeValue(types[i], values[i], tail, itemPath);
            }
            else
            {
                EncodeValue(types[i], values[i], output, itemPath);
            }
        }

        tail.WriteTo(output);
    }

    private static void EncodeValue(AbiType type, object? value, MemoryStream output, string path)
    {
        if (value is null)
        {
            throw new AbiException($"{path}: null is not a value");
        }

        switch (type.Kind)
        {
            case AbiKind.UInt:
            case AbiKind.Int:
                WriteWord(output, CheckedInteger(type, value, path));
                break;
            case AbiKind.Address:
                if (value is not Address address)
                {
                    throw new AbiException($"{path}: expected an Address, got {value.GetType().Name}");
                }

                var word = new byte[32];
                Convert.FromHexString(address.Hex.AsSpan(2)).CopyTo(word, 12);
                output.Write(word);
                break;
            case AbiKind.Bool:
                WriteWord(output, value is bool b ? (b ? BigInteger.One : BigInteger.Zero) : throw new AbiException($"{path}: expected a bool, got {value.GetType().Name}"));
                break;
            case AbiKind.FixedBytes:
                var fixedBytes = value as byte[] ?? throw new AbiException($"{path}: expected byte[], got {value.GetType().Name}");
                if (fixedBytes.Length != type.Size)
                {
                    throw new AbiException($"{path}: expected exactly {type.Size} bytes, got {fixedBytes.Length}");
                }

                WritePadded(output, fixedBytes);
                break;
            case AbiKind.Bytes:
                var bytes = value as byte[] ?? throw new AbiException($"{path}: expected byte[], got {value.GetType().Name}");
                WriteWord(output, bytes.Length);
                WritePadded(output, bytes);
                break;
            case AbiKind.String:
                var utf8 = Encoding.UTF8.GetBytes(value as string ?? throw new AbiException($"{path}: expected a string, got {value.GetType().Name}"));
                WriteWord(output, utf8.Length);
                WritePadded(output, utf8);
                break;
            case AbiKind.Array:
                var items = value as IList ?? throw new AbiException($"{path}: expected an array (object[]), got {value.GetType().Name}");
                if (type.Length is { } k && items.Count != k)
                {
                    throw new AbiException($"{path}: expected {k} elements, got {items.Count}");
                }

                if (type.Length is null)
                {
                    WriteWord(output, items.Count);
                }

                EncodeSequence(Enumerable.Repeat(type.Element!, items.Count).ToArray(), items, output, path);
                break;
            case AbiKind.Tuple:
                var fields = value as IList ?? throw new AbiException($"{path}: expected a tuple (object[]), got {value.GetType().Name}");
                EncodeSequence(type.Components, fields, output, path);
                break;
        }
    }

    private static BigInteger CheckedInteger(AbiType type, object value, string path)
    {
        BigInteger v = value switch
        {
            BigInteger big => big,
            int i => i,
            long l => l,
            uint u => u,
            ulong ul => ul,
            short s => s,
            ushort us => us,
            byte by => by,
            sbyte sb => sb,
            _ => throw new AbiException($"{path}: expected an integer (BigInteger), got {value.GetType().Name}"),
        };
        var (min, max) = type.Kind == AbiKind.UInt
            ? (BigInteger.Zero, (BigInteger.One << type.Size) - 1)
            : (-(BigInteger.One << (type.Size - 1)), (BigInteger.One << (type.Size - 1)) - 1);
        if (v < min || v > max)
        {
            throw new AbiException($"{path}: {v} is out of range [{min}, {max}]");
        }

        return v.Sign < 0 ? v + TwoTo256 : v;
    }

    private static void WriteWord(MemoryStream output, BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        output.Write(new byte[32 - bytes.Length]);
        output.Write(bytes);
    }

    private static void WritePadded(MemoryStream output, byte[] data)
    {
        output.Write(data);
        var pad = (32 - (data.Length % 32)) % 32;
        output.Write(new byte[pad]);
    }

    private static object[] DecodeSequence(IReadOnlyList<AbiType> types, byte[] data, int start, string path)
    {
        var values = new object[types.Count];
        var head = start;
        for (var i = 0; i < types.Count; i++)
        {
            var itemPath = $"{path}[{i}] ({types[i].Name})";
            if (types[i].IsDynamic)
            {
                var offset = ReadLength(data, head, itemPath);
                values[i] = DecodeValue(types[i], data, Checked(start, offset, data, itemPath), itemPath);
                head += 32;
            }
            else
            {
                values[i] = DecodeValue(types[i], data, head, itemPath);
                head += types[i].HeadSize;
            }
        }

        return values;
    }

    private static object DecodeValue(AbiType type, byte[] data, int at, string path)
    {
        switch (type.Kind)
        {
            case AbiKind.UInt:
            case AbiKind.Int:
                var raw = new BigInteger(Word(data, at, path), isUnsigned: true, isBigEndian: true);
                var v = type.Kind == AbiKind.Int && raw >= (BigInteger.One << 255) ? raw - TwoTo256 : raw;
                var bits = type.Size;
                var fits = type.Kind == AbiKind.UInt ? v < (BigInteger.One << bits) : v >= -(BigInteger.One << (bits - 1)) && v < (BigInteger.One << (bits - 1));
                return fits ? v : throw new AbiException($"{path}: {v} does not fit {type.Name}");
            case AbiKind.Address:
                var w = Word(data, at, path);
                if (w[..12].ContainsAnyExcept((byte)0))
                {
                    throw new AbiException($"{path}: address word has non-zero upper bytes");
                }

                return Address.Parse("0x" + Convert.ToHexStringLower(w[12..]));
            case AbiKind.Bool:
                var flag = new BigInteger(Word(data, at, path), isUnsigned: true, isBigEndian: true);
                return flag <= 1 ? flag.IsOne : throw new AbiException($"{path}: {flag} is not a bool");
            case AbiKind.FixedBytes:
                return Word(data, at, path)[..type.Size].ToArray();
            case AbiKind.Bytes:
            case AbiKind.String:
                var length = ReadLength(data, at, path);
                if (at + 32L + length > data.Length)
                {
                    throw new AbiException($"{path}: {length} bytes claimed, data ends first");
                }

                var content = data.AsSpan(at + 32, length).ToArray();
                return type.Kind == AbiKind.Bytes ? content : Encoding.UTF8.GetString(content);
            case AbiKind.Array:
                var count = type.Length ?? ReadLength(data, at, path);
                var first = type.Length is null ? at + 32 : at;
                if (count > data.Length)
                {
                    throw new AbiException($"{path}: {count} elements claimed, data is {data.Length} bytes");
                }

                return DecodeSequence(Enumerable.Repeat(type.Element!, count).ToArray(), data, first, path);
            default:
                return DecodeSequence(type.Components, data, at, path);
        }
    }

    private static ReadOnlySpan<byte> Word(byte[] data, int at, string path) =>
        at >= 0 && at + 32L <= data.Length ? data.AsSpan(at, 32) : throw new AbiException($"{path}: data ends at {data.Length} bytes, a word at {at} was expected");

    private static int ReadLength(byte[] data, int at, string path)
    {
        var value = new BigInteger(Word(data, at, path), isUnsigned: true, isBigEndian: true);
        return value <= data.Length ? (int)value : throw new AbiException($"{path}: offset or length {value} exceeds the data ({data.Length} bytes)");
    }

    private static int Checked(int start, int offset, byte[] data, string path) =>
        start + (long)offset < data.Length ? start + offset : throw new AbiException($"{path}: offset {offset} points past the data");
}
