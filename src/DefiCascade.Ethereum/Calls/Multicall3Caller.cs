using System.Collections.Concurrent;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Calls;

/// <summary>Chunking of a <see cref="Multicall3Caller"/>.</summary>
public sealed record Multicall3Options
{
    /// <summary>Calls packed into one aggregate3. Larger chunks risk the node's eth_call gas cap (they are split then).</summary>
    public int CallsPerAggregate { get; init; } = 400;

    /// <summary>aggregate3 eth_calls sent together in one JSON-RPC batch (one round trip).</summary>
    public int AggregatesPerBatch { get; init; } = 8;

    /// <summary>Gas for each aggregate3 eth_call; null leaves it to the node's default (its eth_call gas cap).</summary>
    public ulong? GasPerAggregate { get; init; }

    /// <summary>JSON-RPC batch size of the fallback when no Multicall3 is deployed.</summary>
    public int FallbackBatchSize { get; init; } = 100;
}

/// <summary>
/// <see cref="IBatchCaller"/> over Multicall3's aggregate3 at <see cref="CanonicalAddress"/>, every call with
/// allowFailure = true so a revert comes back as an unsuccessful result. Chunks go several to a JSON-RPC batch. A chunk
/// whose aggregate3 fails as a whole (out of gas, typically) is halved until it passes; a single call that still fails
/// inside aggregate3 is asked directly. Where the block has no code at the address, every call goes through
/// <see cref="RpcBatchCaller"/> instead and <see cref="UsedFallback"/> says so.
/// </summary>
public sealed class Multicall3Caller : IBatchCaller
{
    /// <summary>Multicall3's address on mainnet and most EVM chains (same deployer, same nonce).</summary>
    public static readonly Address CanonicalAddress = Address.Parse("0xcA11bde05977b3631167028862bE2a173976CA11");

    private static readonly byte[] Aggregate3Selector = AbiSignature.Selector("aggregate3((address,bool,bytes)[])");
    private static readonly AbiType[] Aggregate3Input = [AbiType.Parse("(address,bool,bytes)[]")];
    private static readonly AbiType[] Aggregate3Output = [AbiType.Parse("(bool,bytes)[]")];

    private readonly JsonRpcClient _rpc;
    private readonly Multicall3Options _options;
    private readonly RpcBatchCaller _fallback;
    private readonly RpcBatchCaller _direct;
    private readonly ConcurrentDictionary<ulong, bool> _deployedAt = new();
    private long _aggregates;
    private long _splits;
    private int _usedFallback;

    public Multicall3Caller(JsonRpcClient rpc, Multicall3Options? options = null, Address? multicall = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
        _options = options ?? new Multicall3Options();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.CallsPerAggregate, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.AggregatesPerBatch, 1, nameof(options));
        Address = multicall ?? CanonicalAddress;
        _fallback = new RpcBatchCaller(rpc, _options.FallbackBatchSize);
        _direct = new RpcBatchCaller(rpc, 1);
    }

    public Multicall3Caller(JsonRpcClient rpc, int callsPerAggregate, int aggregatesPerBatch)
        : this(rpc, new Multicall3Options { CallsPerAggregate = callsPerAggregate, AggregatesPerBatch = aggregatesPerBatch })
    {
    }

    public Address Address { get; }

    /// <summary>True once a call found no Multicall3 code at its block and went through plain eth_call batches.</summary>
    public bool UsedFallback => Volatile.Read(ref _usedFallback) != 0;

    /// <summary>aggregate3 eth_calls sent (split retries included).</summary>
    public long Aggregates => Interlocked.Read(ref _aggregates);

    /// <summary>aggregate3 chunks that failed as a whole and were halved.</summary>
    public long Splits => Interlocked.Read(ref _splits);

    public async Task<EthCallResult[]> CallAsync(IReadOnlyList<EthCall> calls, ulong block, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            return [];
        }

        if (!await IsDeployedAsync(block, ct).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _usedFallback, 1);
            return await _fallback.CallAsync(calls, block, ct).ConfigureAwait(false);
        }

        var results = new EthCallResult[calls.Count];
        var pending = new List<(int Start, int Count)>();
        for (var start = 0; start < calls.Count; start += _options.CallsPerAggregate)
        {
            pending.Add((start, Math.Min(_options.CallsPerAggregate, calls.Count - start)));
        }

        // breadth first: each round sends what is pending in batches; failed chunks come back halved for the next round.
        while (pending.Count > 0)
        {
            var next = new List<(int Start, int Count)>();
            for (var i = 0; i < pending.Count; i += _options.AggregatesPerBatch)
            {
                var group = pending.GetRange(i, Math.Min(_options.AggregatesPerBatch, pending.Count - i));
                await RunGroupAsync(calls, block, group, results, next, ct).ConfigureAwait(false);
            }

            pending = next;
        }

        return results;
    }

    /// <summary>
    /// An aggregate3 that failed as a whole for a reason a smaller chunk can cure: it reverted (with allowFailure set
    /// only running out of gas or memory makes it revert) or the node reports gas or execution trouble. Anything else
    /// (unknown block, bad request) would fail the same way for every half, so it is thrown at once.
    /// </summary>
    public static bool IsSplittable(JsonRpcException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var m = e.NodeMessage;
        return EthClient.RevertData(e) is not null
            || m.Contains("gas", StringComparison.OrdinalIgnoreCase)
            || m.Contains("execution", StringComparison.OrdinalIgnoreCase)
            || m.Contains("memory", StringComparison.OrdinalIgnoreCase)
            || m.Contains("stack", StringComparison.OrdinalIgnoreCase)
            || m.Contains("timeout", StringComparison.OrdinalIgnoreCase)
            || m.Contains("invalid opcode", StringComparison.OrdinalIgnoreCase);
    }

    public static byte[] EncodeAggregate3(IReadOnlyList<EthCall> calls, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var items = new object[count];
        for (var i = 0; i < count; i++)
        {
            var c = calls[start + i];
            items[i] = new object[] { c.To, true, c.Data };
        }

        return [.. Aggregate3Selector, .. AbiCodec.Encode(Aggregate3Input, [items])];
    }

    public static EthCallResult[] DecodeAggregate3(byte[] returnData, int expectedCount)
    {
        ArgumentNullException.ThrowIfNull(returnData);
        object[] items;
        try
        {
            items = (object[])AbiCodec.Decode(Aggregate3Output, returnData)[0];
        }
        catch (AbiException e)
        {
            throw new FormatException($"Multicall3.aggregate3 answered {returnData.Length} bytes that are not (bool,bytes)[]: {e.Message}", e);
        }

        if (items.Length != expectedCount)
        {
            throw new FormatException($"Multicall3.aggregate3 answered {items.Length} results for {expectedCount} calls");
        }

        return items.Select(o => (object[])o).Select(r => new EthCallResult((bool)r[0], (byte[])r[1])).ToArray();
    }

    private async Task<bool> IsDeployedAsync(ulong block, CancellationToken ct)
    {
        if (_deployedAt.TryGetValue(block, out var known))
        {
            return known;
        }

        var code = await _rpc.CallAsync("eth_getCode", ct, Address.Hex, BlockParameter.At(block).ToRpc()).ConfigureAwait(false);
        var deployed = code.GetString() is { Length: > 2 };
        _deployedAt[block] = deployed;
        return deployed;
    }

    private async Task RunGroupAsync(
        IReadOnlyList<EthCall> calls, ulong block, List<(int Start, int Count)> group, EthCallResult[] results, List<(int Start, int Count)> next, CancellationToken ct)
    {
        var at = BlockParameter.At(block).ToRpc();
        var requests = new RpcRequest[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var tx = new Dictionary<string, string> { ["to"] = Address.Hex, ["data"] = Hex.Encode(EncodeAggregate3(calls, group[i].Start, group[i].Count)) };
            if (_options.GasPerAggregate is { } gas)
            {
                tx["gas"] = Hex.EncodeQuantity(gas);
            }

            requests[i] = new RpcRequest("eth_call", tx, at);
        }

        Interlocked.Add(ref _aggregates, group.Count);
        var outcomes = await _rpc.CallBatchOutcomesAsync(requests, ct).ConfigureAwait(false);
        for (var i = 0; i < group.Count; i++)
        {
            var (start, count) = group[i];
            if (outcomes[i].Error is { } error)
            {
                if (!IsSplittable(error))
                {
                    throw error;
                }

                if (count == 1)
                {
                    // the call fails inside aggregate3 even alone: its direct eth_call gives the reference answer.
                    results[start] = (await _direct.CallAsync([calls[start]], block, ct).ConfigureAwait(false))[0];
                    continue;
                }

                Interlocked.Increment(ref _splits);
                next.Add((start, count / 2));
                next.Add((start + (count / 2), count - (count / 2)));
                continue;
            }

            var decoded = DecodeAggregate3(Hex.Decode(outcomes[i].Result.GetString() ?? string.Empty), count);
            decoded.CopyTo(results, start);
        }
    }
}
