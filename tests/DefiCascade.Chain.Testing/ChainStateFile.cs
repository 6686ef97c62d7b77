using System.IO.Compression;
using DefiCascade.Ethereum;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// Deploy once, then start each test's anvil from the saved world. anvil_dumpState answers with
/// gzipped JSON as hex; anvil_loadState over RPC refuses large dumps (seen here: -32600 for a
/// dump of ~1,000 transactions), while `anvil --load-state FILE` reads plain JSON of any size at
/// start. So the dump is unzipped to a file and fresh nodes load it from their command line.
/// </summary>
public static class ChainStateFile
{
    /// <summary>Writes the node's whole state as plain JSON to <paramref name="path"/> (temp file, then rename).</summary>
    public static async Task SaveAsync(AnvilNode node, string path, CancellationToken ct = default)
    {
        var hex = await node.Eth.DumpStateAsync(ct).ConfigureAwait(false);
        var gzipped = Hex.Decode(hex);
        await using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        var temp = path + ".tmp";
        await using (var output = File.Create(temp))
        {
            await input.CopyToAsync(output, ct).ConfigureAwait(false);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A fresh anvil holding exactly the saved state; <paramref name="extraArgs"/> go to its command line too (e.g. "--gas-limit").</summary>
    public static Task<AnvilNode> StartFromAsync(string path, IReadOnlyList<string>? extraArgs = null, CancellationToken ct = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"chain state file {path} is missing: save it with ChainStateFile.SaveAsync first", path);
        }

        return StartAsync(path, extraArgs, ct);
    }

    /// <summary>
    /// The dump does not carry anvil's clock: a fresh node stamps its next block with the wall clock, which is behind
    /// a saved chain that was warped ahead (evm_setNextBlockTimestamp), and contracts that subtract a stored timestamp
    /// from block.timestamp then underflow. Such a node's next block is pinned one second after the saved head, and
    /// its clock runs on from there.
    /// </summary>
    private static async Task<AnvilNode> StartAsync(string path, IReadOnlyList<string>? extraArgs, CancellationToken ct)
    {
        var node = await AnvilNode.StartAsync(["--load-state", path, .. extraArgs ?? []], ct).ConfigureAwait(false);
        try
        {
            var head = await node.Eth.Rpc.CallAsync("eth_getBlockByNumber", ct, "latest", false).ConfigureAwait(false);
            var timestamp = (ulong)Hex.DecodeQuantity(head.GetProperty("timestamp").GetString()!);
            if (timestamp >= (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            {
                await node.Eth.SetNextBlockTimestampAsync(timestamp + 1, ct).ConfigureAwait(false);
            }

            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
