using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Ethereum.Rpc.Fixtures;

namespace DefiCascade.Cli.Commands.Rpc;

/// <summary>
/// One connection to a node as the reading commands use it: HTTP, retried with backoff and jitter within a budget,
/// optionally recorded to a fixture, counted (round trips for the coverage report), batched through Multicall3 where
/// it is deployed. With a replay fixture there is no node at all: the same reads are answered from the file.
/// </summary>
internal sealed class RpcSession : IDisposable
{
    private readonly HttpRpcTransport? _http;
    private readonly RecordingRpcTransport? _recording;

    public RpcSession(Uri? url, RpcSessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IRpcTransport transport;
        if (settings.ReplayPath is { } replay)
        {
            transport = ReplayRpcTransport.FromFile(replay);
            Retrying = new RetryingRpcTransport(transport, settings.Retry);
        }
        else
        {
            _http = new HttpRpcTransport(url ?? throw new ArgumentNullException(nameof(url)), settings.Timeout);
            Retrying = new RetryingRpcTransport(_http, settings.Retry);
        }

        // the recording sits above the retries: it keeps the answers the reads were built from, not the failures.
        _recording = settings.RecordPath is { } record ? new RecordingRpcTransport(Retrying, record) : null;
        Counter = new CountingRpcTransport((IRpcTransport?)_recording ?? Retrying);
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

    /// <summary>Writes the recording (complete, atomically) when the run succeeded.</summary>
    public void SaveRecording() => _recording?.Flush();

    public void Dispose() => _http?.Dispose();
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

    /// <summary>Record every request and its final answer to this fixture (JSONL; never the URL).</summary>
    public string? RecordPath { get; init; }

    /// <summary>Answer every request from this fixture instead of a node.</summary>
    public string? ReplayPath { get; init; }

    /// <summary>For one-shot commands (quote, liquidation): a few quick retries, not a snapshot's minutes-long budget.</summary>
    public static RpcSessionSettings OneShot { get; } = new()
    {
        Retry = new RpcRetryPolicy { MaxAttempts = 3, MaxDelay = TimeSpan.FromSeconds(2), MaxTotalDelay = TimeSpan.FromSeconds(20) },
    };
}
