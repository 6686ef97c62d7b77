using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.Snapshots;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Cli.Commands.Rpc;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// <c>defi-cascade snapshot</c>: reads an Aave V3 market, Morpho Blue markets and Uniswap pools at one pinned block into
/// a snapshot file that <c>simulate --snapshot</c> runs on. Reads are batched (Multicall3, JSON-RPC batches), retried
/// within a budget, and checkpointed so an interrupted run resumes. The output appears only complete (temp + rename).
/// </summary>
public static class SnapshotCommand
{
    public static Command Create(CliIo io)
    {
        var o = new SnapshotOptions();
        var command = new Command(
            "snapshot",
            "Read lending positions, reserves, oracle prices and AMM pool books from an Ethereum node at one block into a snapshot file for 'simulate --snapshot'. "
            + "Prints a coverage report: what share of the protocol the snapshot holds.");
        o.AddTo(command);
        command.SetAction(parse => Task.Run(() => RunAsync(io, o.Read(parse))).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> RunAsync(CliIo io, SnapshotInput input)
    {
        Uri? url = null;
        string? checkpointPath = null;
        var log = new RunLog(input.LogPath);
        try
        {
            url = input.Replay is null ? RpcOptions.ParseUrl(input.RpcUrl) : null;
            // every option is checked before the first read: a bad --block must not wait for (or blame) the node.
            var pinned = RpcOptions.ParseBlock(input.Block);
            var request = input.ToRequest(pinned ?? 0);
            var record = input.Record is null ? null : Path.GetFullPath(input.Record);
            if (record is not null && File.Exists(record) && !input.Force)
            {
                throw new BadInputException($"--record: {input.Record} exists; pass --force to replace it (nothing was read)");
            }

            if (input.Replay is not null && !File.Exists(input.Replay))
            {
                throw new BadInputException($"--replay: {input.Replay} does not exist");
            }

            var outPath = Path.GetFullPath(input.Out);
            if (File.Exists(outPath) && !input.Force)
            {
                throw new BadInputException($"--out: {input.Out} exists; pass --force to replace it (nothing was read)");
            }

            if (Directory.Exists(outPath))
            {
                throw new BadInputException($"--out: {input.Out} is a folder; give a file name");
            }

            checkpointPath = input.Checkpoint ?? outPath + ".checkpoint.json";
            var settings = new RpcSessionSettings
            {
                Timeout = TimeSpan.FromSeconds(input.TimeoutSeconds),
                Retry = new RpcRetryPolicy { MaxAttempts = input.MaxAttempts, MaxTotalRetries = input.RetryBudget, BaseDelay = TimeSpan.FromMilliseconds(input.RetryBaseMs), MaxDelay = TimeSpan.FromMilliseconds(Math.Max(input.RetryBaseMs, 10_000)) },
                Multicall = !input.NoMulticall,
                CallsPerMulticall = input.CallsPerMulticall,
                RequestsPerBatch = input.RequestsPerBatch,
                LogChunkBlocks = input.LogChunk,
                RecordPath = record,
                ReplayPath = input.Replay,
            };
            using var session = new RpcSession(url, settings);
            var clock = Stopwatch.StartNew();
            var chainId = await Read("eth_chainId", () => session.Eth.GetChainIdAsync()).ConfigureAwait(false);
            var block = pinned ?? await Read("eth_blockNumber", () => session.Eth.GetBlockNumberAsync()).ConfigureAwait(false);
            request = input.ToRequest(block);
            log.Write($"snapshot of {request.Describe(chainId)}");
            if (input.Restart && File.Exists(checkpointPath))
            {
                File.Delete(checkpointPath);
                log.Write($"--restart: removed checkpoint {checkpointPath}");
            }

            var checkpoint = SnapshotCheckpoint.Open(checkpointPath, SnapshotCheckpoint.KeyOf(request.Identity(chainId)));
            if (checkpoint.Resumed)
            {
                io.Error.WriteLine($"resuming from checkpoint {checkpointPath} (stages done: {string.Join(", ", checkpoint.Stages)})");
                log.Write($"resuming from {checkpointPath}: {string.Join(", ", checkpoint.Stages)}");
            }

            var builder = new SnapshotBuilder(session.Eth, session.Caller, session.Logs);
            var result = await SnapshotProgressView.RunAsync(io, input.Json, p => builder.BuildAsync(request, chainId, checkpoint, p), log).ConfigureAwait(false);
            var text = SnapshotJson.Serialize(result.Snapshot);
            AtomicFile.Write(outPath, text);
            session.SaveRecording();
            checkpoint.Complete();
            clock.Stop();
            var stats = new RpcStats(session.Counter.RoundTrips, session.Retrying.Retries, session.Counter.RequestBytes + session.Counter.ResponseBytes, clock.Elapsed, session.Caller is Ethereum.Calls.Multicall3Caller { UsedFallback: false });
            log.Write($"wrote {outPath}: {text.Length} bytes; {stats.RoundTrips} round trips, {stats.Retries} retries, {stats.Elapsed.TotalSeconds:0.0} s");
            SnapshotReportView.Render(io, input.Json, input.Out, result, stats);
            return CliApp.Ok;
        }
        catch (BadInputException e)
        {
            return Fail(io, log, "error: " + e.Message, url, input.RpcUrl);
        }
        catch (SnapshotCheckpointException e)
        {
            return Fail(io, log, "error: " + e.Message, url, input.RpcUrl);
        }
        catch (ChainReadException e)
        {
            return Fail(io, log, $"error: reading the chain failed: {e.Message}. Nothing was written to --out; {Kept(checkpointPath)}", url, input.RpcUrl);
        }
        catch (AaveV3CrossCheckException e)
        {
            return Fail(io, log, "error: the snapshot does not reproduce the pool's own account data, so it was not written: " + e.Message, url, input.RpcUrl);
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException)
        {
            return Fail(io, log, $"error: {e.Message}. Nothing was written to --out; {Kept(checkpointPath)}", url, input.RpcUrl);
        }
        catch (FormatException e) when (input.Replay is not null)
        {
            return Fail(io, log, $"error: --replay {input.Replay}: {e.Message}", url, input.RpcUrl);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or SnapshotFormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return Fail(io, log, "error: the snapshot could not be built: " + e.Message, url, input.RpcUrl);
        }
    }

    /// <summary>Where the progress is, so the user knows what a rerun resumes from (or that nothing was read yet).</summary>
    private static string Kept(string? checkpointPath) =>
        checkpointPath is not null && File.Exists(checkpointPath)
            ? $"the progress so far is kept in {checkpointPath} and the next run resumes from it."
            : "no progress was saved yet.";

    private static int Fail(CliIo io, RunLog log, string message, Uri? url, string? option)
    {
        var scrubbed = RpcOptions.Scrub(message, url, option);
        io.Error.WriteLine(scrubbed);
        log.Write(scrubbed);
        return CliApp.BadInput;
    }

    private static async Task<T> Read<T>(string call, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException or FormatException)
        {
            throw new ChainReadException(call, e.Message, e);
        }
    }
}

/// <summary>How the reads went: for the report only, never in the snapshot (it must not depend on them).</summary>
internal sealed record RpcStats(long RoundTrips, int Retries, long Bytes, TimeSpan Elapsed, bool Multicall);

/// <summary>A file that appears complete or not at all: written beside its final name, then renamed over it.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

/// <summary>The optional --log file: one timestamped line per stage and failure, appended (never the RPC URL: callers scrub).</summary>
internal sealed class RunLog(string? path)
{
    public void Write(string line)
    {
        if (path is not null)
        {
            File.AppendAllText(path, $"{DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)} {line}{Environment.NewLine}");
        }
    }
}
