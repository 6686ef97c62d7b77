using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefiCascade.Chain.Testing.Faults;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests.Snapshot;

/// <summary>
/// `defi-cascade snapshot` through <see cref="FaultProxy"/>: whatever a provider does (429, 5xx, answers held past the
/// timeout, cut-off or mis-addressed JSON, dropped connections, refused eth_getLogs ranges), a run that finishes writes
/// the very bytes of the fault-free run; a run that cannot finish writes nothing but its checkpoint, and the next run
/// resumes from it; the URL's key shows up in no output, log or file.
/// </summary>
[Collection(SnapshotFaultCollection.Name)]
public sealed class SnapshotFaultTests(SnapshotFaultWorld world, ITestOutputHelper output) : IDisposable
{
    private const string Secret = "sNaPsHoT-fAkE-kEy-9c41d2e7";
    private const int Runs = 100;

    /// <summary>Small backoff and a one-second timeout (the proxy holds a Timeout fault's answer 1.5 s) keep runs short.</summary>
    private static readonly string[] Fast = ["--timeout", "1", "--retry-base-ms", "1", "--max-attempts", "12", "--retry-budget", "400", "--log-chunk", "64", "--json"];

    private static readonly FaultKind[] RandomKinds = Enum.GetValues<FaultKind>().Where(k => k != FaultKind.LogRangeRefused).ToArray();

    /// <summary>
    /// Blocks per eth_getLogs in the runs that fail midway: the proxy refuses more, so the scan takes some 300 requests
    /// and the switch to failing (from another thread, see <see cref="RunFailingMidway"/>) lands inside it.
    /// </summary>
    private const int ScanChunk = 1;

    /// <summary>No random faults; eth_getLogs over more than <see cref="ScanChunk"/> blocks refused.</summary>
    private static readonly FaultPlan Ranges = FaultPlan.None with { MaxLogBlockRange = ScanChunk };

    private static readonly string Chunk = ScanChunk.ToString(CultureInfo.InvariantCulture);

    private readonly string _dir = Directory.CreateTempSubdirectory("defi-cascade-snapshot-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// About 15% of requests fail; a timeout costs the client a whole second, so it is the rarest. Ranges over 16 blocks
    /// are refused, so the scanner (starting at 64) must halve and grow back; the two providers' wordings alternate.
    /// </summary>
    private static FaultPlan Plan(int seed, double scale = 1) => new()
    {
        Seed = seed,
        Probabilities = new Dictionary<FaultKind, double>
        {
            [FaultKind.TooManyRequests] = 0.03 * scale,
            [FaultKind.InternalServerError] = 0.02 * scale,
            [FaultKind.BadGateway] = 0.02 * scale,
            [FaultKind.ServiceUnavailable] = 0.02 * scale,
            [FaultKind.Timeout] = 0.005 * scale,
            [FaultKind.TruncatedJson] = 0.025 * scale,
            [FaultKind.WrongId] = 0.025 * scale,
            [FaultKind.DroppedConnection] = 0.02 * scale,
        },
        MaxLogBlockRange = 16,
        LogRangeError = seed % 2 == 0 ? LogRangeRefusal.TooManyResults : LogRangeRefusal.RangeTooLarge,
        TimeoutHold = TimeSpan.FromSeconds(1.5),
    };

    [Fact]
    public async Task Hundred_runs_through_random_faults_all_write_the_fault_free_bytes_with_and_without_multicall()
    {
        var reference = SnapshotFaultWorld.Sha256(await world.Reference());
        AssertReferenceHoldsTheWorld(await world.Reference());
        // batching is no part of the snapshot: plain JSON-RPC batches of eth_call give the same bytes as Multicall3.
        var plain = Path.Combine(_dir, "plain.json");
        var (plainCode, _, plainErr) = SnapshotFaultWorld.Cli(world.Args(world.Node.Url, plain, multicall: false));
        Assert.True(plainCode == 0, plainErr);
        Assert.Equal(reference, SnapshotFaultWorld.Sha256(File.ReadAllBytes(plain)));
        File.Delete(plain);

        await using var proxy = await FaultProxy.StartAsync(world.Node.Url, secret: Secret);
        var (retries, roundTrips, requests) = (0L, 0L, new long[2]);
        var wrong = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < Runs; run++)
        {
            proxy.Plan = Plan(run + 1);
            var multicall = run % 2 == 0;
            var before = proxy.Requests;
            var outFile = Path.Combine(_dir, $"run-{run}.json");

            var (code, stdout, stderr) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, outFile, multicall, Fast));

            Assert.True(code == 0, $"run {run} (seed {run + 1}, multicall {multicall}) exited {code}: {stderr}");
            var hash = SnapshotFaultWorld.Sha256(File.ReadAllBytes(outFile));
            if (hash != reference)
            {
                wrong.Add($"run {run} (seed {run + 1}, multicall {multicall}): sha256 {hash}");
            }

            using var report = JsonDocument.Parse(stdout);
            Assert.Equal(multicall, report.RootElement.GetProperty("multicall").GetBoolean());
            retries += report.RootElement.GetProperty("rpcRetries").GetInt64();
            roundTrips += report.RootElement.GetProperty("rpcRoundTrips").GetInt64();
            requests[multicall ? 0 : 1] += proxy.Requests - before;
            File.Delete(outFile);
            // no checkpoint and no temp file is left behind by a run that finished.
            Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
        }

        clock.Stop();
        var injected = proxy.Injected;
        var randomFaults = RandomKinds.Sum(k => injected[k]);
        output.WriteLine($"{Runs} runs in {clock.Elapsed.TotalSeconds:0.0} s ({clock.Elapsed.TotalMilliseconds / Runs:0} ms each); reference sha256 {reference}");
        output.WriteLine($"HTTP requests at the proxy: {proxy.Requests} ({requests[0]} in Multicall3 runs, {requests[1]} in plain-batch runs); "
            + $"client round trips {roundTrips}, retries {retries}");
        output.WriteLine($"faults injected: {randomFaults} random + {injected[FaultKind.LogRangeRefused]} eth_getLogs ranges refused; "
            + string.Join(", ", injected.Select(p => $"{p.Key} {p.Value}")));

        Assert.True(wrong.Count == 0, $"{wrong.Count} runs wrote other bytes than the reference:\n" + string.Join("\n", wrong));
        // every kind was drawn many times over the runs, and the scanner met refusals in every run.
        Assert.All(RandomKinds, k => Assert.True(injected[k] > 0, $"no {k} was injected in {Runs} runs"));
        Assert.True(injected[FaultKind.LogRangeRefused] >= Runs, $"only {injected[FaultKind.LogRangeRefused]} ranges refused in {Runs} runs");
        // every injected fault cost the client a failed attempt, retried, except that HttpClient may resend a request
        // whose connection was dropped by itself (the client then sees no failure).
        Assert.True(retries >= randomFaults - injected[FaultKind.DroppedConnection], $"{retries} retries for {randomFaults} faults");
        // every HTTP request the proxy saw was a round trip's final answer, a failed attempt, or such a resend.
        Assert.InRange(proxy.Requests - roundTrips - retries, 0, injected[FaultKind.DroppedConnection]);
    }

    [Fact]
    public async Task A_spent_retry_budget_exits_2_naming_the_method_and_leaves_nothing()
    {
        await using var proxy = await FaultProxy.StartAsync(world.Node.Url, FaultPlan.Always(FaultKind.ServiceUnavailable), Secret);
        var outFile = Path.Combine(_dir, "never.json");

        var (code, stdout, stderr) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, outFile, multicall: true, "--timeout", "5", "--retry-base-ms", "1", "--retry-budget", "5"));

        output.WriteLine(stderr);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        // the first call gives up: one attempt and the five retries the budget allows.
        Assert.Contains("gave up on eth_chainId after 6 attempts: the retry budget is used up", stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was written to --out; no progress was saved yet.", stderr, StringComparison.Ordinal);
        Assert.Equal(6, proxy.Requests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task A_run_that_gives_up_midway_leaves_its_checkpoint_and_the_next_run_resumes_to_the_same_bytes()
    {
        var reference = SnapshotFaultWorld.Sha256(await world.Reference());
        await using var proxy = await FaultProxy.StartAsync(world.Node.Url, secret: Secret);
        var outFile = Path.Combine(_dir, "resumed.json");
        var checkpoint = outFile + ".checkpoint.json";

        var (code, stderr) = RunFailingMidway(proxy, outFile);

        output.WriteLine(stderr);
        Assert.Equal(2, code);
        Assert.Contains("the retry budget is used up", stderr, StringComparison.Ordinal);
        Assert.Contains($"Nothing was written to --out; the progress so far is kept in {checkpoint}", stderr, StringComparison.Ordinal);
        Assert.Equal([checkpoint], Directory.GetFiles(_dir));
        var saved = JsonNode.Parse(File.ReadAllText(checkpoint))!["stages"]!["aave-users"]!;
        var through = ulong.Parse(saved["scannedThrough"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(through, world.FromBlock, world.Block - 1);

        proxy.Plan = Ranges;
        var before = proxy.Requests;
        var (again, stdout, stderr2) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, outFile, multicall: true, "--json", "--log-chunk", Chunk));
        var resumedRequests = proxy.Requests - before;

        output.WriteLine(stderr2);
        Assert.True(again == 0, stderr2);
        Assert.Contains($"resuming from checkpoint {checkpoint} (stages done: aave-users)", stderr2, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("resumed").GetBoolean());
        Assert.Equal([outFile], Directory.GetFiles(_dir));
        Assert.Equal(reference, SnapshotFaultWorld.Sha256(File.ReadAllBytes(outFile)));

        // the same run from scratch: the resumed one skipped the blocks it had scanned (ScanChunk a request at most).
        before = proxy.Requests;
        var (fresh, _, freshErr) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, Path.Combine(_dir, "fresh.json"), multicall: true, "--log-chunk", Chunk));
        Assert.True(fresh == 0, freshErr);
        var freshRequests = proxy.Requests - before;
        output.WriteLine($"saved through block {through} of {world.FromBlock}..{world.Block}; HTTP requests: resumed run {resumedRequests}, fresh run {freshRequests}");
        Assert.InRange(resumedRequests, 1, freshRequests - ((long)(through - world.FromBlock + 1) / ScanChunk / 2));
    }

    [Fact]
    public async Task The_url_key_shows_up_in_no_output_log_checkpoint_or_file()
    {
        await using var proxy = await FaultProxy.StartAsync(world.Node.Url, Plan(4242, scale: 2), Secret);
        var outFile = Path.Combine(_dir, "secret-scan.json");
        var log = Path.Combine(_dir, "run.log");
        var texts = new List<string>();

        var (failed, failErr) = RunFailingMidway(proxy, Path.Combine(_dir, "failed.json"), "--log", log);
        Assert.Equal(2, failed);
        texts.Add(failErr);
        var checkpoint = Path.Combine(_dir, "failed.json.checkpoint.json");
        Assert.True(File.Exists(checkpoint), "the failing run left no checkpoint to scan");

        proxy.Plan = Plan(4243, scale: 2);
        var (code, stdout, stderr) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, outFile, multicall: false, [.. Fast, "--log", log]));
        Assert.True(code == 0, stderr);
        texts.AddRange([stdout, stderr]);
        var (plainCode, plainOut, plainErr) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, outFile, multicall: true, "--force", "--log", log, "--timeout", "1", "--retry-base-ms", "1", "--retry-budget", "400"));
        Assert.True(plainCode == 0, plainErr);
        texts.AddRange([plainOut, plainErr]);

        var files = Directory.GetFiles(_dir, "*", SearchOption.AllDirectories);
        Assert.Equal(new[] { checkpoint, outFile, log }.Order(), files.Order());
        var logText = File.ReadAllText(log);
        output.WriteLine(logText);
        // the log saw the retry and failure paths: the give-up of the failing run, and the retries of the others.
        Assert.Contains("the retry budget is used up", logText, StringComparison.Ordinal);
        Assert.Contains("retries", logText, StringComparison.Ordinal);
        texts.Add(SnapshotFaultWorld.ReadAll(files));
        AssertNoSecret(proxy.Url, texts);
    }

    [Fact]
    public async Task A_url_given_only_in_ETH_RPC_URL_works_through_faults_and_is_never_printed()
    {
        var reference = SnapshotFaultWorld.Sha256(await world.Reference());
        await using var proxy = await FaultProxy.StartAsync(world.Node.Url, Plan(99, scale: 2), Secret);
        var outFile = Path.Combine(_dir, "from-env.json");
        var log = Path.Combine(_dir, "env.log");
        var previous = Environment.GetEnvironmentVariable("ETH_RPC_URL");
        Environment.SetEnvironmentVariable("ETH_RPC_URL", proxy.Url.ToString());
        (int Code, string Stdout, string Stderr) run;
        try
        {
            run = SnapshotFaultWorld.Cli(world.Args(null, outFile, multicall: true, [.. Fast, "--log", log]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ETH_RPC_URL", previous);
        }

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(reference, SnapshotFaultWorld.Sha256(File.ReadAllBytes(outFile)));
        Assert.True(proxy.Requests > 0 && RandomKinds.Sum(k => proxy.Injected[k]) > 0, "the run did not go through the faulty proxy");
        AssertNoSecret(proxy.Url, [run.Stdout, run.Stderr, SnapshotFaultWorld.ReadAll(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories))]);
    }

    /// <summary>
    /// A run through <paramref name="proxy"/> whose Aave user scan goes <see cref="ScanChunk"/> blocks a request (the
    /// proxy refuses more, so the scanner cannot grow its range): from the 30th request on every request gets 503 —
    /// by then the market is read and the scan checkpointed — so the run spends its budget of 5 retries there and
    /// stops early in the scan.
    /// </summary>
    private (int Code, string Stderr) RunFailingMidway(FaultProxy proxy, string outFile, params string[] extra)
    {
        proxy.Plan = FaultPlan.Always(FaultKind.ServiceUnavailable) with { MaxLogBlockRange = ScanChunk, AfterRequests = 30 };
        var (code, _, stderr) = SnapshotFaultWorld.Cli(world.Args(proxy.Url, outFile, multicall: true, [.. extra, "--timeout", "5", "--retry-base-ms", "1", "--retry-budget", "5", "--log-chunk", Chunk]));
        return (code, stderr);
    }

    private void AssertReferenceHoldsTheWorld(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal((long)world.Block, root.GetProperty("blockNumber").GetInt64());
        var positions = root.GetProperty("aaveV3Markets")[0].GetProperty("positions").GetArrayLength();
        var pool = root.GetProperty("pools")[0];
        output.WriteLine($"reference: {bytes.Length} bytes, {positions} Aave positions, pool with {pool.GetProperty("ticks").GetArrayLength()} ticks");
        Assert.Equal(world.Borrowers, positions);
        Assert.Equal(12, pool.GetProperty("ticks").GetArrayLength());
    }

    private static void AssertNoSecret(Uri url, IEnumerable<string> texts)
    {
        var all = string.Join("\n", texts);
        Assert.False(string.IsNullOrEmpty(all));
        foreach (var form in new[] { Secret, url.ToString(), url.AbsolutePath, Uri.EscapeDataString(Secret) })
        {
            Assert.DoesNotContain(form, all, StringComparison.OrdinalIgnoreCase);
        }
    }
}
