using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Calls;

/// <summary>
/// eth_calls sent as JSON-RPC batches of at most <see cref="BatchSize"/> requests. With a batch size of 1 this is the
/// one-call-per-read reference the faster callers are measured against.
/// </summary>
public sealed class RpcBatchCaller : IBatchCaller
{
    private readonly JsonRpcClient _rpc;

    public RpcBatchCaller(JsonRpcClient rpc, int batchSize = 100)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _rpc = rpc;
        BatchSize = batchSize;
    }

    public int BatchSize { get; }

    public async Task<EthCallResult[]> CallAsync(IReadOnlyList<EthCall> calls, ulong block, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var results = new EthCallResult[calls.Count];
        var at = BlockParameter.At(block).ToRpc();
        for (var start = 0; start < calls.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, calls.Count - start);
            var requests = new RpcRequest[count];
            for (var i = 0; i < count; i++)
            {
                var call = calls[start + i];
                var tx = new Dictionary<string, string> { ["to"] = call.To.Hex, ["data"] = Hex.Encode(call.Data) };
                requests[i] = new RpcRequest("eth_call", tx, at);
            }

            var outcomes = await _rpc.CallBatchOutcomesAsync(requests, ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                var o = outcomes[i];
                if (o.Error is null)
                {
                    results[start + i] = new EthCallResult(true, Hex.Decode(o.Result.GetString()!));
                }
                else if (EthClient.RevertData(o.Error) is { } revert)
                {
                    results[start + i] = new EthCallResult(false, revert);
                }
                else
                {
                    throw o.Error;
                }
            }
        }

        return results;
    }
}
