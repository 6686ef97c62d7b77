using System.Text.Json;

namespace DefiCascade.Ethereum.Abi;

/// <summary>
/// An ABI file of contracts-abi/: the public interface it describes, the protocol version it was taken from, where,
/// and the ABI entries themselves. Format: {"interface", "version", "source", "abi": [...]}; see contracts-abi/README.md.
/// </summary>
public sealed record AbiDocument(string Interface, string Version, string Source, ContractAbi Abi)
{
    /// <summary>Parses one file's text; every error names <paramref name="fileName"/> and the field.</summary>
    public static AbiDocument Parse(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{fileName}: an ABI file must be a JSON object with interface, version, source and abi");
            }

            foreach (var p in root.EnumerateObject())
            {
                if (p.Name is not ("interface" or "version" or "source" or "abi"))
                {
                    throw new FormatException($"{fileName}: unknown field '{p.Name}'");
                }
            }

            ContractAbi abi;
            try
            {
                abi = ContractAbi.FromJson(Required(root, "abi", fileName, JsonValueKind.Array));
            }
            catch (Exception e) when (e is FormatException or AbiException or InvalidOperationException or KeyNotFoundException)
            {
                throw new FormatException($"{fileName}: field 'abi': {e.Message}", e);
            }

            return new AbiDocument(Text(root, "interface", fileName), Text(root, "version", fileName), Text(root, "source", fileName), abi);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{fileName}: not valid JSON ({e.Message})", e);
        }
    }

    private static string Text(JsonElement root, string field, string fileName) =>
        Required(root, field, fileName, JsonValueKind.String).GetString() is { Length: > 0 } s
            ? s
            : throw new FormatException($"{fileName}: field '{field}' must not be empty");

    private static JsonElement Required(JsonElement root, string field, string fileName, JsonValueKind kind) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == kind
            ? value
            : throw new FormatException($"{fileName}: field '{field}' is missing or not a JSON {kind.ToString().ToLowerInvariant()}");
}
