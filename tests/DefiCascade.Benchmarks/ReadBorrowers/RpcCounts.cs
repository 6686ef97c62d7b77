using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Benchmarks.ReadBorrowers;

/// <summary>
/// What one read cost on the wire: HTTP round trips (a JSON-RPC batch is one), JSON-RPC requests inside them (an
/// aggregate3 eth_call is one request however many reads it packs), and contract reads the reader asked for.
/// </summary>
public readonly record struct RpcCounts(long RoundTrips, long Requests, long Reads)
{
    public static RpcCounts operator -(RpcCounts a, RpcCounts b) =>
        new(a.RoundTrips - b.RoundTrips, a.Requests - b.Requests, a.Reads - b.Reads);

    public override string ToString() => $"round-trips={RoundTrips} requests={Requests} reads={Reads}";
}

/// <summary>
/// Counts the JSON-RPC requests each POST carries. <see cref="CountingRpcTransport"/> counts the POSTs; this tells a
/// batch of 100 eth_calls from 8 aggregate3 calls of 400 reads each.
/// </summary>
internal sealed class RequestCountingTransport(IRpcTransport inner) : IRpcTransport
{
    // JsonRpcClient writes every request with Utf8JsonWriter, which puts no space after the colon.
    private const string MethodKey = "\"method\":";
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requestJson);
        Interlocked.Add(ref _requests, Occurrences(requestJson));
        return inner.SendAsync(requestJson, ct);
    }

    private static int Occurrences(string json)
    {
        var count = 0;
        for (var at = json.IndexOf(MethodKey, StringComparison.Ordinal); at >= 0; at = json.IndexOf(MethodKey, at + MethodKey.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>Counts the contract reads handed to the wrapped caller: the same for every caller over the same users.</summary>
internal sealed class ReadCountingCaller(IBatchCaller inner) : IBatchCaller
{
    private long _reads;

    public long Reads => Interlocked.Read(ref _reads);

    public Task<EthCallResult[]> CallAsync(IReadOnlyList<EthCall> calls, ulong block, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        Interlocked.Add(ref _reads, calls.Count);
        return inner.CallAsync(calls, block, ct);
    }
}
