using System.Text.Json;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// Puts our compiled Multicall3 (tests/chain/contracts/Multicall3.sol, built by compile.mjs) at the canonical address
/// with anvil_setCode, so <see cref="Multicall3Caller"/> runs unchanged here and on a mainnet fork, where the real one
/// already lives (CHAIN.md).
/// </summary>
public static class Multicall3Deployment
{
    /// <summary>The runtime code: what anvil_setCode needs (the creation code would run the constructor instead).</summary>
    public static byte[] RuntimeCode()
    {
        var path = Path.Combine(CompiledContracts.BuildDirectory, "Multicall3.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var hex = doc.RootElement.TryGetProperty("deployedBytecode", out var code) ? code.GetString() : null;
        return hex is { Length: > 2 }
            ? Hex.Decode(hex)
            : throw new FormatException($"{path} has no deployedBytecode (compile.mjs writes it; a stale build folder?)");
    }

    /// <summary>Places the code and mines a block, so the code is part of a block's state and reads pinned to it see it.</summary>
    public static async Task<ulong> PlaceAsync(EthClient eth, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eth);
        await eth.SetCodeAsync(Multicall3Caller.CanonicalAddress, RuntimeCode(), ct).ConfigureAwait(false);
        await eth.MineAsync(1, ct).ConfigureAwait(false);
        return await eth.GetBlockNumberAsync(ct).ConfigureAwait(false);
    }
}
