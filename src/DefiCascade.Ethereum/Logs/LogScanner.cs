using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Logs;

/// <summary>Chunk sizes of a <see cref="LogScanner"/>, in blocks.</summary>
public sealed record LogScannerOptions
{
    /// <summary>The first range tried. Many hosted nodes cap eth_getLogs near 10,000 blocks or 10,000 results.</summary>
    public ulong InitialChunk { get; init; } = 5_000;

    /// <summary>After successes the range doubles, up to this.</summary>
    public ulong MaxChunk { get; init; } = 10_000;

    /// <summary>
    /// Consecutive successful ranges after a refusal before the range doubles again. Against a fixed node limit each
    /// growth costs one refused request, so waiting a few ranges keeps refusals to a fraction of the requests.
    /// </summary>
    public int GrowAfterSuccesses { get; init; } = 4;
}

/// <summary>
/// <see cref="ILogSource"/> over eth_getLogs. Ranges the node refuses as too large (<see cref="RpcErrors.IsLogRangeRefusal"/>)
/// are halved and retried; successful ranges let the chunk grow back. Each completed range goes to the callback once, in
/// block order, with its logs sorted by (block, log index): a caller that stores ScannedThrough resumes exactly there.
/// </summary>
public sealed class LogScanner : ILogSource
{
    private readonly JsonRpcClient _rpc;
    private readonly LogScannerOptions _options;
    private long _requests;
    private long _refusals;

    public LogScanner(JsonRpcClient rpc, LogScannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
        _options = options ?? new LogScannerOptions();
        if (_options.InitialChunk < 1 || _options.MaxChunk < _options.InitialChunk || _options.GrowAfterSuccesses < 0)
        {
            throw new ArgumentException($"log scanner chunks: initial {_options.InitialChunk} must be at least 1 and at most the max {_options.MaxChunk}; grow-after {_options.GrowAfterSuccesses} must not be negative", nameof(options));
        }
    }

    /// <summary>Starts at <paramref name="initialChunk"/> blocks and grows to the default max (or stays, if above it).</summary>
    public LogScanner(JsonRpcClient rpc, ulong initialChunk)
        : this(rpc, new LogScannerOptions { InitialChunk = initialChunk, MaxChunk = Math.Max(initialChunk, new LogScannerOptions().MaxChunk) })
    {
    }

    /// <summary>eth_getLogs requests sent, refused ones included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Ranges the node refused as too large (each one was halved).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    public async Task ScanAsync(LogFilter filter, ulong fromBlock, ulong toBlock, Func<LogChunk, CancellationToken, Task> onChunk, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(onChunk);
        if (fromBlock > toBlock)
        {
            throw new ArgumentException($"eth_getLogs range is empty: from block {fromBlock} is after to block {toBlock}", nameof(fromBlock));
        }

        var chunk = _options.InitialChunk;
        var cursor = fromBlock;
        var successes = _options.GrowAfterSuccesses; // no refusal yet: grow freely
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            // toBlock - cursor cannot overflow; cursor + chunk - 1 could near ulong.MaxValue.
            var end = toBlock - cursor < chunk ? toBlock : cursor + chunk - 1;
            IReadOnlyList<ChainLog> logs;
            try
            {
                Interlocked.Increment(ref _requests);
                logs = await GetLogsAsync(filter, cursor, end, ct).ConfigureAwait(false);
            }
            catch (JsonRpcException e) when (RpcErrors.IsLogRangeRefusal(e.Code, e.NodeMessage))
            {
                Interlocked.Increment(ref _refusals);
                if (end == cursor)
                {
                    throw new LogScanException(
                        $"eth_getLogs refused even the single block {cursor} (node error {e.Code}: {e.NodeMessage}); the node will not return that block's logs for this filter in one answer", e);
                }

                chunk = Math.Max(1, (end - cursor + 1) / 2);
                successes = 0;
                continue;
            }

            await onChunk(new LogChunk(logs, end), ct).ConfigureAwait(false);
            if (end == toBlock)
            {
                return;
            }

            cursor = end + 1;
            successes = Math.Min(successes + 1, _options.GrowAfterSuccesses);
            if (successes >= _options.GrowAfterSuccesses)
            {
                chunk = chunk > _options.MaxChunk / 2 ? _options.MaxChunk : chunk * 2;
            }
        }
    }

    private async Task<IReadOnlyList<ChainLog>> GetLogsAsync(LogFilter filter, ulong from, ulong to, CancellationToken ct)
    {
        var query = new Dictionary<string, object>
        {
            ["fromBlock"] = Hex.EncodeQuantity(from),
            ["toBlock"] = Hex.EncodeQuantity(to),
        };

        // an empty list would mean "no address" to some nodes and "any address" to others: leave it out instead.
        if (filter.Addresses.Count > 0)
        {
            query["address"] = filter.Addresses.Select(a => a.Hex).ToArray();
        }

        if (filter.Topic0.Count > 0)
        {
            // one position, OR-ed alternatives: [[t0a, t0b, ...]].
            query["topics"] = new[] { filter.Topic0.Select(t => Hex.Encode(t)).ToArray() };
        }

        var result = await _rpc.CallAsync("eth_getLogs", ct, query).ConfigureAwait(false);
        var logs = ChainLogParser.ParseAll(result, from, to);
        return logs;
    }
}

/// <summary>A log scan cannot go on: the node refused a range that cannot be made smaller, or answered malformed logs.</summary>
public sealed class LogScanException : Exception
{
    public LogScanException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
