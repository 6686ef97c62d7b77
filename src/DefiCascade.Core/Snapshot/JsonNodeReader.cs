using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// A JSON value together with its path, so that every type or range error can say where it is.
/// Big integers travel as strings of decimal digits because JSON numbers lose precision past 2^53
/// in most readers.
/// </summary>
internal readonly struct JsonNodeReader(JsonElement element, string path, string source)
{
    public JsonElement Element => element;

    public string Path => path;

    public SnapshotFormatException Error(string detail) => new(source, path, detail);

    public JsonNodeReader Child(string name)
    {
        RequireKind(JsonValueKind.Object);
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new SnapshotFormatException(source, Join(name), "required field is missing");
        }

        return new JsonNodeReader(value, Join(name), source);
    }

    public JsonNodeReader? Optional(string name)
    {
        RequireKind(JsonValueKind.Object);
        return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonNodeReader(value, Join(name), source)
            : null;
    }

    /// <summary>Rejects fields the schema does not know, so a misspelt optional field is not silently ignored.</summary>
    public void AllowOnly(params string[] names)
    {
        RequireKind(JsonValueKind.Object);
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(names, property.Name) < 0)
            {
                throw new SnapshotFormatException(source, Join(property.Name), "unknown field");
            }
        }
    }

    public IEnumerable<JsonNodeReader> Items()
    {
        RequireKind(JsonValueKind.Array);
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            yield return new JsonNodeReader(item, $"{path}[{i}]", source);
            i++;
        }
    }

    public IEnumerable<(string Name, JsonNodeReader Node)> Properties()
    {
        RequireKind(JsonValueKind.Object);
        foreach (var property in element.EnumerateObject())
        {
            yield return (property.Name, new JsonNodeReader(property.Value, Join(property.Name), source));
        }
    }

    public string String()
    {
        RequireKind(JsonValueKind.String);
        return element.GetString()!;
    }

    public string NonEmptyString()
    {
        var text = String();
        return text.Length == 0 ? throw Error("must not be empty") : text;
    }

    public bool Bool() =>
        element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"expected true or false, found {Describe()}"),
        };

    public long Long(long min, long max)
    {
        RequireKind(JsonValueKind.Number);
        if (!element.TryGetInt64(out var value))
        {
            throw Error($"{element.GetRawText()} is not an integer (or does not fit 64 bits)");
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
        if (element.ValueKind == JsonValueKind.Number)
        {
            throw Error($"big integers are strings of decimal digits, found the number {element.GetRawText()}");
        }

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
        var text = String();
        return Primitives.Address.TryParse(text, out var address)
            ? address
            : throw Error($"'{text}' is not a 0x-prefixed 20-byte hex address");
    }

    private void RequireKind(JsonValueKind kind)
    {
        if (element.ValueKind != kind)
        {
            throw Error($"expected {Name(kind)}, found {Describe()}");
        }
    }

    private string Describe() => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        _ => Name(element.ValueKind),
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

    private string Join(string name) => path.Length == 0 ? name : $"{path}.{name}";
}
