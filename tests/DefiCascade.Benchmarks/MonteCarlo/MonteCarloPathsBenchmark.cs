using BenchmarkDotNet.Attributes;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Benchmarks.MonteCarlo;

/// <summary>
/// Monte Carlo paths on the embedded default market (20,000 accounts), the default scenario with 10 bps of price
/// noise per block so every path differs: 8 paths per operation on 1 and on 2 worker threads, side by side in one run.
/// Paths per minute = 8 / (mean seconds / 60). The critical-shock and R0 probes of a full `simulate --paths` run are
/// not in this number. With the CLI's runtime settings (<see cref="CliRuntimeAttribute"/>: server GC among them).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
[CliRuntime]
public class MonteCarloPathsBenchmark
{
    public const int Paths = 8;

    private MarketSnapshot _snapshot = null!;
    private Scenario _scenario = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = SnapshotJson.Parse(File.ReadAllText(Path.Combine(DefaultSimulationBenchmark.RepoRoot(), "fixtures", "default-market.json")), "fixtures/default-market.json");
        _scenario = Scenario.Default with { NoiseBpsPerBlock = 10 };
    }

    [Benchmark(Description = "8 Monte Carlo paths, default market")]
    public long Paths8() => MonteCarloRunner.RunPaths(_snapshot, _scenario, seed: 1, Paths, Threads).Sum(p => (long)p.Liquidations);
}
