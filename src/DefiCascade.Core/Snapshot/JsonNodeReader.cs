using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// A JSON value together with where it sits, so that every type or range error can say where it is.
/// Big integers travel as strings of decimal digits because JSON numbers lose precision past 2^53
/// in most readers. The path is spelt out only for an error (<see cref="JsonPath"/>); amounts and
/// addresses are read from the document's UTF-8 bytes, without an intermediate string, unless the
/// JSON escapes a character in them.
/// </summary>
internal readonly struct JsonNodeReader
{
    private readonly JsonElement _element;
    private readonly JsonPath? _self;
    private readonly JsonPath? _parent;
    private readonly string? _name;
    private readonly int _index;
    private readonly string _source;

    /// <summary>The document's root.</summary>
    public JsonNodeReader(JsonElement root, string source)
        : this(root, JsonPath.Root, null, null, -1, source)
    {
    }

    private JsonNodeReader(JsonElement element, JsonPath? self, JsonPath? parent, string? name, int index, string source) =>
        (_element, _self, _parent, _name, _index, _source) = (element, self, parent, name, index, source);

    public JsonElement Element => _element;

    public string Path => _self?.ToString() ?? (_name is null ? $"{_parent}[{_index}]" : JsonPath.Join(_parent!.ToString(), _name));

    /// <summary>This value's path as a link its children can share (allocated here unless the node already holds it).</summary>
    private JsonPath Self => _self ?? (_name is null ? JsonPath.Item(_parent!, _index) : JsonPath.Field(_parent!, _name));

    public SnapshotFormatException Error(string detail) => new(_source, Path, detail);

    public JsonNodeReader Child(string name)
    {
        RequireKind(JsonValueKind.Object);
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new SnapshotFormatException(_source, Join(name), "required field is missing");
        }

        return new JsonNodeReader(value, null, Self, name, -1, _source);
    }

    public JsonNodeReader? Optional(string name)
    {
        RequireKind(JsonValueKind.Object);
        return _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonNodeReader(value, null, Self, name, -1, _source)
            : null;
    }

    /// <summary>
    /// Rejects fields the schema does not know, so a misspelt optional field is not silently ignored.
    /// The names are the schema's, ASCII: a field name is compared as UTF-8 bytes (decoded only when escaped).
    /// </summary>
    public void AllowOnly(params ReadOnlySpan<string> names)
    {
        RequireKind(JsonValueKind.Object);
        foreach (var property in _element.EnumerateObject())
        {
            if (!IsOneOf(property, names))
            {
                throw new SnapshotFormatException(_source, Join(property.Name), "unknown field");
            }
        }
    }

    public IEnumerable<JsonNodeReader> Items()
    {
        RequireKind(JsonValueKind.Array);
        var self = Self;
        var i = 0;
        foreach (var item in _element.EnumerateArray())
        {
            // Each item holds its own link: an item's fields are what the readers ask for most.
            yield return new JsonNodeReader(item, JsonPath.Item(self, i), self, null, i, _source);
            i++;
        }
    }

    public IEnumerable<(string Name, JsonNodeReader Node)> Properties() => Properties(null);

    /// <summary>
    /// The object's fields; a name that equals one of <paramref name="known"/> (UTF-8 bytes and the string) is
    /// returned as that string instance, so a million balances naming eight tokens allocate no names.
    /// </summary>
    public IEnumerable<(string Name, JsonNodeReader Node)> Properties(IReadOnlyList<(byte[] Utf8, string Name)>? known)
    {
        RequireKind(JsonValueKind.Object);
        var self = Self;
        foreach (var property in _element.EnumerateObject())
        {
            var name = Known(property, known) ?? property.Name;
            yield return (name, new JsonNodeReader(property.Value, null, self, name, -1, _source));
        }
    }

    public string String()
    {
        RequireKind(JsonValueKind.String);
        return _element.GetString()!;
    }

    public string NonEmptyString()
    {
        var text = String();
        return text.Length == 0 ? throw Error("must not be empty") : text;
    }

    public bool Bool() =>
        _element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"expected true or false, found {Describe()}"),
        };

    public long Long(long min, long max)
    {
        RequireKind(JsonValueKind.Number);
        if (!_element.TryGetInt64(out var value))
        {
            throw Error($"{_element.GetRawText()} is not an integer (or does not fit 64 bits)");
        }

        return value < min || value > max ? throw Error($"{value} is out of range ({min}..{max})") : value;
    }

    public int Int(int min, int max) => (int)Long(min, max);

    /// <summary>A non-negative big integer written as a JSON string of decimal digits.</summary>
    public BigInteger Unsigned()
    {
        var value = Signed();
        return value.Sign < 0 ? throw Error($"{value} is negative") : value;
    }

    public BigInteger Positive()
    {
        var value = Unsigned();
        return value.IsZero ? throw Error("must be greater than zero") : value;
    }

    public BigInteger Signed()
    {
        if (_element.ValueKind == JsonValueKind.Number)
        {
            throw Error($"big integers are strings of decimal digits, found the number {_element.GetRawText()}");
        }

        RequireKind(JsonValueKind.String);
        if (Utf8Decimal.TryParse(UnescapedUtf8(), out var fast))
        {
            return fast;
        }

        // Escaped, past 38 digits, or not an integer: the text itself, which also words the error.
        var text = String();
        var digits = text.StartsWith('-') ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw Error($"'{text}' is not an integer (expected decimal digits)");
        }

        return BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    public Address Address()
    {
        RequireKind(JsonValueKind.String);
        if (Primitives.Address.TryParseUtf8(UnescapedUtf8(), out var fast))
        {
            return fast;
        }

        var text = String();
        return Primitives.Address.TryParse(text, out var address)
            ? address
            : throw Error($"'{text}' is not a 0x-prefixed 20-byte hex address");
    }

    /// <summary>A string value's UTF-8 bytes between its quotes; empty when the JSON escapes anything in it (the callers then decode it).</summary>
    private ReadOnlySpan<byte> UnescapedUtf8()
    {
        var raw = JsonMarshal.GetRawUtf8Value(_element);
        var inner = raw[1..^1];
        return inner.Contains((byte)'\\') ? [] : inner;
    }

    private static bool IsOneOf(JsonProperty property, ReadOnlySpan<string> names)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Contains((byte)'\\'))
        {
            return names.Contains(property.Name);
        }

        foreach (var name in names)
        {
            if (AsciiEquals(raw, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> utf8, string ascii)
    {
        if (utf8.Length != ascii.Length)
        {
            return false;
        }

        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string? Known(JsonProperty property, IReadOnlyList<(byte[] Utf8, string Name)>? known)
    {
        if (known is null)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        foreach (var (utf8, name) in known)
        {
            if (raw.SequenceEqual(utf8))
            {
                return name;
            }
        }

        // Not a known name, or an escaped one: the decoded name (compared again by the caller).
        return null;
    }

    private void RequireKind(JsonValueKind kind)
    {
        if (_element.ValueKind != kind)
        {
            throw Error($"expected {Name(kind)}, found {Describe()}");
        }
    }

    private string Describe() => _element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{_element.GetString()}\"",
        JsonValueKind.Number => $"the number {_element.GetRawText()}",
        _ => Name(_element.ValueKind),
    };

    private static string Name(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private string Join(string name) => JsonPath.Join(Path, name);
}
