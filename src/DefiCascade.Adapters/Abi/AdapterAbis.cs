using System.Collections.Concurrent;
using System.Reflection;
using DefiCascade.Ethereum.Abi;

namespace DefiCascade.Adapters.Abi;

/// <summary>
/// The ABI files of contracts-abi/, embedded in this assembly at build time (one source of truth: the files in the
/// repository). <c>Get("AaveV3Pool")</c> loads contracts-abi/AaveV3Pool.json.
/// </summary>
public static class AdapterAbis
{
    private static readonly ConcurrentDictionary<string, AbiDocument> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names =>
        typeof(AdapterAbis).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("contracts-abi/", StringComparison.Ordinal))
            .Select(n => n["contracts-abi/".Length..^".json".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static AbiDocument Get(string name) => Cache.GetOrAdd(name, Load);

    private static AbiDocument Load(string name)
    {
        var resource = $"contracts-abi/{name}.json";
        using var stream = typeof(AdapterAbis).Assembly.GetManifestResourceStream(resource)
            ?? throw new KeyNotFoundException($"no ABI file {resource} is embedded (known: {string.Join(", ", Names)})");
        using var reader = new StreamReader(stream);
        return AbiDocument.Parse(reader.ReadToEnd(), resource);
    }
}
