using System.Globalization;
using System.Numerics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// A typed, path-aware view of a YAML/JSON scenario document. Every read names its field, so
/// an error says exactly where the file is wrong; unknown keys are errors, not silently ignored.
/// </summary>
internal sealed class ScenarioNode
{
    private readonly YamlNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>The root of a file that must hold exactly one YAML (or JSON) document; errors name <paramref name="source"/>.</summary>
    public static ScenarioNode LoadDocument(string text, string source, string whatTheDocumentIs)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ScenarioFormatException(source, string.Empty,
                $"not valid YAML/JSON at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }

        return stream.Documents.Count == 1
            ? new ScenarioNode(stream.Documents[0].RootNode, source, string.Empty)
            : throw new ScenarioFormatException(source, string.Empty, "must hold exactly one document" + whatTheDocumentIs);
    }

    public ScenarioNode(YamlNode node, string source, string path)
    {
        _node = node;
        Source = source;
        Path = path;
    }

    public string Source { get; }

    public string Path { get; }

    public ScenarioFormatException Error(string problem, string? field = null) =>
        new(Source, field is null ? Path : Child(field), problem);

    public bool IsList => _node is YamlSequenceNode;

    public bool IsMapping => _node is YamlMappingNode;

    public bool Has(string key) => Map().Children.ContainsKey(new YamlScalarNode(key));

    public ScenarioNode? Optional(string key)
    {
        _read.Add(key);
        return Map().Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value)
            ? new ScenarioNode(value, Source, Child(key))
            : null;
    }

    public ScenarioNode Required(string key) => Optional(key) ?? throw Error("is required", key);

    public IEnumerable<(string Key, ScenarioNode Value)> Entries()
    {
        foreach (var (key, value) in Map().Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            _read.Add(name);
            yield return (name, new ScenarioNode(value, Source, Child(name)));
        }
    }

    public IEnumerable<ScenarioNode> Items()
    {
        if (_node is not YamlSequenceNode sequence)
        {
            throw Error("must be a list");
        }

        var i = 0;
        foreach (var item in sequence.Children)
        {
            yield return new ScenarioNode(item, Source, $"{Path}[{i++}]");
        }
    }

    /// <summary>Fails on keys nobody asked for: a typo must not silently fall back to a default.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in Map().Children.Keys)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            if (!_read.Contains(name))
            {
                throw Error("is not a known field", name);
            }
        }
    }

    public string AsString()
    {
        if (_node is not YamlScalarNode scalar || scalar.Value is null)
        {
            throw Error("must be a text value");
        }

        return scalar.Value;
    }

    public long AsInteger(long min, long max)
    {
        var text = AsString();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{text}' is not a whole number");
        }

        if (value < min || value > max)
        {
            throw Error($"{value} is out of range ({min}..{max})");
        }

        return value;
    }

    public int AsInt(int min, int max) => (int)AsInteger(min, max);

    /// <summary>A decimal number read exactly into wad (1e18) fixed point.</summary>
    public BigInteger AsWad(string minText, string maxText)
    {
        var text = AsString();
        BigInteger value;
        try
        {
            value = Core.Primitives.FixedPoint.Parse(text, 18);
        }
        catch (FormatException)
        {
            throw Error($"'{text}' is not a decimal number (at most 18 decimals)");
        }

        if (value < Wad.FromDecimal(minText) || value > Wad.FromDecimal(maxText))
        {
            throw Error($"{text} is out of range ({minText}..{maxText})");
        }

        return value;
    }

    private YamlMappingNode Map() => _node as YamlMappingNode ?? throw Error("must be a mapping of fields");

    private string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain };
}
