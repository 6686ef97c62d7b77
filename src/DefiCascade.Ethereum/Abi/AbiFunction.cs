using System.Text.Json;

namespace DefiCascade.Ethereum.Abi;

/// <summary>A named, typed parameter of an ABI entry.</summary>
public sealed record AbiParameter(string Name, AbiType Type);

/// <summary>
/// A function, constructor, custom error or event from an ABI JSON entry. Tuple parameters are read from their
/// "components", so "tuple[]" becomes "(uint256,address)[]" in the signature.
/// </summary>
public sealed class AbiFunction
{
    private AbiFunction(string kind, string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, string stateMutability)
    {
        EntryType = kind;
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        StateMutability = stateMutability;
        Signature = name + "(" + string.Join(",", inputs.Select(p => p.Type.Name)) + ")";
        // the signature is canonical already (built from parsed types), so hash it directly.
        Selector = Keccak.Hash256(Signature)[..4];
    }

    /// <summary>"function", "constructor", "error", "event" (as in the JSON "type").</summary>
    public string EntryType { get; }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public IReadOnlyList<AbiParameter> Outputs { get; }

    public string StateMutability { get; }

    public string Signature { get; }

    public byte[] Selector { get; }

    public IReadOnlyList<AbiType> InputTypes => Inputs.Select(p => p.Type).ToArray();

    public IReadOnlyList<AbiType> OutputTypes => Outputs.Select(p => p.Type).ToArray();

    public static AbiFunction FromJson(JsonElement entry)
    {
        var kind = entry.TryGetProperty("type", out var t) ? t.GetString() ?? "function" : "function";
        // constructor, fallback and receive entries carry no name: their type names them.
        var name = entry.TryGetProperty("name", out var n) && n.GetString() is { Length: > 0 } named ? named : kind;
        var mutability = entry.TryGetProperty("stateMutability", out var m) ? m.GetString() ?? "nonpayable" : "nonpayable";
        return new AbiFunction(kind, name, Parameters(entry, "inputs"), Parameters(entry, "outputs"), mutability);
    }

    public static AbiFunction FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement);
    }

    /// <summary>Selector followed by the encoded arguments (constructors have no selector: use <see cref="EncodeArguments"/>).</summary>
    public byte[] EncodeCall(params object[] args) => [.. Selector, .. EncodeArguments(args)];

    public byte[] EncodeArguments(params object[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != Inputs.Count)
        {
            throw new AbiException($"{Signature} takes {Inputs.Count} arguments, {args.Length} given");
        }

        return AbiCodec.Encode(InputTypes, args);
    }

    public object[] DecodeOutput(ReadOnlySpan<byte> data) => AbiCodec.Decode(OutputTypes, data);

    public override string ToString() => Signature;

    private static AbiParameter[] Parameters(JsonElement entry, string member)
    {
        if (!entry.TryGetProperty(member, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return list.EnumerateArray()
            .Select(p => new AbiParameter(p.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty, AbiType.Parse(TypeName(p))))
            .ToArray();
    }

    private static string TypeName(JsonElement parameter)
    {
        var type = parameter.GetProperty("type").GetString() ?? throw new FormatException("ABI parameter without a type");
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return type;
        }

        var components = parameter.TryGetProperty("components", out var c) ? c.EnumerateArray().Select(TypeName) : [];
        return "(" + string.Join(",", components) + ")" + type["tuple".Length..];
    }
}
