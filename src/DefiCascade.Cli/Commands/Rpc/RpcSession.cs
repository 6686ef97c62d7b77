using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Cli.Commands.Rpc;

/// <summary>
/// One connection to a node as the reading commands use it: HTTP, retried with backoff and jitter within a budget,
/// counted (round trips for the coverage report), batched through Multicall3 where it is deployed.
/// </summary>
internal sealed class RpcSession : IDisposable
{
    private readonly HttpRpcTransport _http;

    public RpcSession(Uri url, RpcSessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _http = new HttpRpcTransport(url, settings.Timeout);
        Retrying = new RetryingRpcTransport(_http, settings.Retry);
        Counter = new CountingRpcTransport(Retrying);
        Rpc = new JsonRpcClient(Counter);
        Eth = new EthClient(Rpc);
        Caller = settings.Multicall
            ? new Multicall3Caller(Rpc, settings.CallsPerMulticall, settings.RequestsPerBatch)
            : new RpcBatchCaller(Rpc, settings.RequestsPerBatch);
        Logs = new LogScanner(Rpc, settings.LogChunkBlocks);
    }

    public RetryingRpcTransport Retrying { get; }

    public CountingRpcTransport Counter { get; }

    public JsonRpcClient Rpc { get; }

    public EthClient Eth { get; }

    public IBatchCaller Caller { get; }

    public ILogSource Logs { get; }

    public void Dispose() => _http.Dispose();
}

/// <summary>How a reading command talks to its node; the defaults suit public providers' rate limits.</summary>
internal sealed record RpcSessionSettings
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public RpcRetryPolicy Retry { get; init; } = new();

    public bool Multicall { get; init; } = true;

    public int CallsPerMulticall { get; init; } = 400;

    public int RequestsPerBatch { get; init; } = 8;

    public ulong LogChunkBlocks { get; init; } = 5_000;
}
