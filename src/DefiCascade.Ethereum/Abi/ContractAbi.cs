using System.Text.Json;

namespace DefiCascade.Ethereum.Abi;

/// <summary>A contract's ABI JSON: functions (looked up by name or full signature), constructor and custom errors.</summary>
public sealed class ContractAbi
{
    private readonly List<AbiFunction> _entries;

    private ContractAbi(List<AbiFunction> entries) => _entries = entries;

    public IReadOnlyList<AbiFunction> Functions => _entries.Where(e => e.EntryType == "function").ToArray();

    public IReadOnlyList<AbiFunction> Errors => _entries.Where(e => e.EntryType == "error").ToArray();

    public IReadOnlyList<AbiFunction> Events => _entries.Where(e => e.EntryType == "event").ToArray();

    /// <summary>The constructor, or null when the contract declares none (no arguments).</summary>
    public AbiFunction? Constructor => _entries.FirstOrDefault(e => e.EntryType == "constructor");

    public static ContractAbi FromJson(JsonElement abiArray)
    {
        if (abiArray.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("an ABI must be a JSON array of entries");
        }

        return new ContractAbi(abiArray.EnumerateArray().Select(AbiFunction.FromJson).ToList());
    }

    /// <summary>By name when it is not overloaded, else by exact signature ("mint(address,uint256)").</summary>
    public AbiFunction Function(string nameOrSignature)
    {
        ArgumentNullException.ThrowIfNull(nameOrSignature);
        var functions = Functions;
        if (nameOrSignature.Contains('(', StringComparison.Ordinal))
        {
            var canonical = AbiSignature.Canonical(nameOrSignature);
            return functions.FirstOrDefault(f => f.Signature == canonical)
                ?? throw new KeyNotFoundException($"the ABI has no function {canonical}");
        }

        var named = functions.Where(f => f.Name == nameOrSignature).ToArray();
        return named.Length switch
        {
            1 => named[0],
            0 => throw new KeyNotFoundException($"the ABI has no function named {nameOrSignature}"),
            _ => throw new KeyNotFoundException($"{nameOrSignature} is overloaded: name one of {string.Join(", ", named.Select(f => f.Signature))}"),
        };
    }

    /// <summary>The custom error with this 4-byte selector, if the ABI declares it.</summary>
    public AbiFunction? ErrorBySelector(ReadOnlySpan<byte> selector)
    {
        foreach (var e in _entries)
        {
            if (e.EntryType == "error" && selector.SequenceEqual(e.Selector))
            {
                return e;
            }
        }

        return null;
    }
}
