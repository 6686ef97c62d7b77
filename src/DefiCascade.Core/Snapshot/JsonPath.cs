namespace DefiCascade.Core.Snapshot;

/// <summary>
/// Where a JSON value sits ("aaveV3Markets[0].positions[7].debt"), kept as a link to its parent and
/// spelt out only when an error needs it: a 1M-position snapshot reads ~10M values, and building every
/// one's path as a string cost more than parsing them.
/// </summary>
internal sealed class JsonPath
{
    private readonly JsonPath? _parent;
    private readonly string? _name;
    private readonly int _index;

    private JsonPath(JsonPath? parent, string? name, int index) => (_parent, _name, _index) = (parent, name, index);

    /// <summary>The document itself; its path is the empty string.</summary>
    public static JsonPath Root { get; } = new(null, null, -1);

    public static JsonPath Field(JsonPath parent, string name) => new(parent, name, -1);

    public static JsonPath Item(JsonPath parent, int index) => new(parent, null, index);

    public override string ToString()
    {
        if (_parent is null)
        {
            return string.Empty;
        }

        var parent = _parent.ToString();
        return _name is null ? $"{parent}[{_index}]" : Join(parent, _name);
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";
}
