using System.Globalization;
using System.Text.Json;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Replay;

/// <summary>What <see cref="DevChainGuard"/> found about the node a replay would send transactions to.</summary>
/// <param name="ChainId">eth_chainId.</param>
/// <param name="AnvilAnswered">anvil_nodeInfo answered: the node is an anvil (a local chain or a local fork).</param>
/// <param name="ForkBlock">The block an anvil fork was made at, when anvil_nodeInfo reports one (the fork URL is never kept).</param>
/// <param name="IsDevChain">Chain id 31337 or an anvil node: transactions there cost nothing real.</param>
public sealed record DevChainVerdict(ulong ChainId, bool AnvilAnswered, ulong? ForkBlock, bool IsDevChain)
{
    /// <summary>One line for the output: what the node is, without its URL.</summary>
    public string Describe() =>
        (AnvilAnswered, ForkBlock) switch
        {
            (true, { } fork) => $"anvil fork of chain {ChainId} at block {fork.ToString(CultureInfo.InvariantCulture)}",
            (true, null) => $"anvil node, chain id {ChainId}",
            _ when ChainId == EthClient.AnvilChainId => $"dev chain, chain id {ChainId} (anvil_nodeInfo not answered)",
            _ => $"chain id {ChainId}, not a dev chain (not anvil's {EthClient.AnvilChainId}, and anvil_nodeInfo is not answered)",
        };
}

/// <summary>Raised when a replay would send transactions to a chain that is not a dev chain and the user did not allow it.</summary>
public sealed class NotADevChainException(DevChainVerdict verdict, string flag)
    : Exception($"refusing to send transactions: the node is {verdict.Describe()}. A replay mints balances, moves oracle prices and "
        + $"impersonates accounts; run it against anvil (a local chain or `anvil --fork-url ...`), or pass {flag} to send to this chain deliberately")
{
    public DevChainVerdict Verdict { get; } = verdict;
}

/// <summary>
/// The rule every command that sends transactions follows: only a dev chain (anvil's chain id 31337, or a node where
/// anvil_nodeInfo answers, which covers `anvil --fork-url` keeping the forked chain's id) unless the user passes the
/// explicit flag. A mainnet node refuses anvil_nodeInfo (method not found); any error there counts as "not anvil".
/// </summary>
public static class DevChainGuard
{
    /// <summary>The flag that lets a replay send to any chain.</summary>
    public const string UnsafeFlag = "--unsafe-allow-non-dev-chain";

    public static async Task<DevChainVerdict> InspectAsync(JsonRpcClient rpc, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var chainId = await new EthClient(rpc).GetChainIdAsync(ct).ConfigureAwait(false);
        bool answered;
        ulong? forkBlock = null;
        try
        {
            var info = await rpc.CallAsync("anvil_nodeInfo", ct).ConfigureAwait(false);
            answered = info.ValueKind == JsonValueKind.Object;
            if (answered && info.TryGetProperty("forkConfig", out var fork) && fork.ValueKind == JsonValueKind.Object
                && fork.TryGetProperty("forkBlockNumber", out var number))
            {
                forkBlock = number.ValueKind switch
                {
                    JsonValueKind.Number when number.TryGetUInt64(out var n) => n,
                    JsonValueKind.String when number.GetString() is { } s && s.StartsWith("0x", StringComparison.Ordinal) =>
                        ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    _ => null,
                };
            }
        }
        catch (JsonRpcException)
        {
            answered = false;
        }

        return new DevChainVerdict(chainId, answered, forkBlock, chainId == EthClient.AnvilChainId || answered);
    }

    /// <summary>Inspects the node and throws <see cref="NotADevChainException"/> unless it is a dev chain or <paramref name="allowAnyChain"/>.</summary>
    public static async Task<DevChainVerdict> CheckAsync(JsonRpcClient rpc, bool allowAnyChain, CancellationToken ct = default)
    {
        var verdict = await InspectAsync(rpc, ct).ConfigureAwait(false);
        if (!verdict.IsDevChain && !allowAnyChain)
        {
            throw new NotADevChainException(verdict, UnsafeFlag);
        }

        return verdict;
    }
}
