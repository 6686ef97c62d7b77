using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;

namespace DefiCascade.Ethereum.Artifacts;

/// <summary>Where one library's address goes: a byte range of the creation bytecode.</summary>
public sealed record LinkReference(string SourceFile, string Library, int Start, int Length);

/// <summary>
/// A compiled contract from a hardhat artifact (abi, bytecode, linkReferences) or a waffle/solc JSON (abi, bytecode or
/// evm.bytecode.object). Bytecode is kept as lower-case hex without 0x, placeholders included until linked.
/// </summary>
public sealed class ContractArtifact
{
    public ContractArtifact(string name, ContractAbi abi, string bytecodeHex, IReadOnlyList<LinkReference> linkReferences)
    {
        ArgumentNullException.ThrowIfNull(bytecodeHex);
        Name = name;
        Abi = abi;
        BytecodeHex = bytecodeHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? bytecodeHex[2..] : bytecodeHex;
        LinkReferences = linkReferences;
    }

    public string Name { get; }

    public ContractAbi Abi { get; }

    public string BytecodeHex { get; }

    public IReadOnlyList<LinkReference> LinkReferences { get; }

    /// <summary>Libraries whose placeholders are still in the bytecode.</summary>
    public IReadOnlyList<string> UnlinkedLibraries => LinkReferences.Select(r => r.Library).Distinct().ToArray();

    public static ContractArtifact Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"contract artifact not found: {path}", path);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var name = root.TryGetProperty("contractName", out var cn) && cn.GetString() is { Length: > 0 } s ? s : Path.GetFileNameWithoutExtension(path);
        if (!root.TryGetProperty("abi", out var abiJson))
        {
            throw new FormatException($"{path}: no abi member");
        }

        var abi = ContractAbi.FromJson(abiJson);
        string? bytecode = null;
        if (root.TryGetProperty("bytecode", out var bc) && bc.ValueKind == JsonValueKind.String)
        {
            bytecode = bc.GetString();
        }
        else if (root.TryGetProperty("evm", out var evm) && evm.TryGetProperty("bytecode", out var eb) && eb.TryGetProperty("object", out var obj))
        {
            bytecode = obj.GetString();
        }

        if (string.IsNullOrEmpty(bytecode) || bytecode == "0x")
        {
            throw new FormatException($"{path}: {name} has no creation bytecode (an interface or abstract contract?)");
        }

        var references = new List<LinkReference>();
        var links = root.TryGetProperty("linkReferences", out var lr) ? lr
            : root.TryGetProperty("evm", out var e2) && e2.TryGetProperty("bytecode", out var b2) && b2.TryGetProperty("linkReferences", out var l2) ? l2
            : default;
        if (links.ValueKind == JsonValueKind.Object)
        {
            foreach (var file in links.EnumerateObject())
            {
                foreach (var library in file.Value.EnumerateObject())
                {
                    foreach (var at in library.Value.EnumerateArray())
                    {
                        references.Add(new LinkReference(file.Name, library.Name, at.GetProperty("start").GetInt32(), at.GetProperty("length").GetInt32()));
                    }
                }
            }
        }

        return new ContractArtifact(name, abi, bytecode, references);
    }

    /// <summary>
    /// Writes each library address over its placeholder at the linkReferences offsets (bytes of the bytecode).
    /// Keys are library names ("BorrowLogic") or fully qualified ("contracts/.../BorrowLogic.sol:BorrowLogic").
    /// Libraries not given stay unlinked; names that match nothing are an error.
    /// </summary>
    public ContractArtifact Link(IReadOnlyDictionary<string, Address> libraries)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        var unknown = libraries.Keys.Where(k => !LinkReferences.Any(r => Matches(r, k))).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"{Name} links no library named {string.Join(", ", unknown)}", nameof(libraries));
        }

        var code = BytecodeHex.ToCharArray();
        var remaining = new List<LinkReference>();
        foreach (var r in LinkReferences)
        {
            var match = libraries.FirstOrDefault(kv => Matches(r, kv.Key));
            if (match.Key is null)
            {
                remaining.Add(r);
                continue;
            }

            if (r.Length != 20 || (r.Start + r.Length) * 2 > code.Length)
            {
                throw new FormatException($"{Name}: link reference for {r.Library} at byte {r.Start} (length {r.Length}) lies outside the bytecode");
            }

            if (code[r.Start * 2] != '_' || code[(r.Start * 2) + 1] != '_')
            {
                throw new FormatException($"{Name}: no placeholder for {r.Library} at byte {r.Start} (already linked, or offsets of another build?)");
            }

            match.Value.Hex.AsSpan(2).CopyTo(code.AsSpan(r.Start * 2, 40));
        }

        return new ContractArtifact(Name, Abi, new string(code), remaining);
    }

    /// <summary>The creation bytecode; throws when libraries are still unlinked.</summary>
    public byte[] CreationBytecode()
    {
        if (LinkReferences.Count > 0)
        {
            throw new InvalidOperationException($"{Name} needs libraries linked first: {string.Join(", ", UnlinkedLibraries)}");
        }

        try
        {
            return Convert.FromHexString(BytecodeHex);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{Name}: bytecode is not plain hex (an unlinked placeholder without linkReferences?)");
        }
    }

    private static bool Matches(LinkReference r, string key) =>
        key == r.Library || key == r.SourceFile + ":" + r.Library;
}
