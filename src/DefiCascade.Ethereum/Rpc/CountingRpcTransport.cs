namespace DefiCascade.Ethereum.Rpc;

/// <summary>Counts round trips (one per SendAsync, a batch is one) and bytes: what the coverage report and benchmarks print.</summary>
public sealed class CountingRpcTransport : IRpcTransport
{
    private readonly IRpcTransport _inner;
    private long _roundTrips;
    private long _requestBytes;
    private long _responseBytes;

    public CountingRpcTransport(IRpcTransport inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public long RequestBytes => Interlocked.Read(ref _requestBytes);

    public long ResponseBytes => Interlocked.Read(ref _responseBytes);

    public async Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requestJson);
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Add(ref _requestBytes, requestJson.Length);
        var response = await _inner.SendAsync(requestJson, ct).ConfigureAwait(false);
        Interlocked.Add(ref _responseBytes, response.Length);
        return response;
    }
}
