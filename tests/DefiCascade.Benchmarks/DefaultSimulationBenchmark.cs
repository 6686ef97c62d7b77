using BenchmarkDotNet.Attributes;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Benchmarks;

/// <summary>
/// One default simulation (the embedded 20,000-account market, ETH -35% over 6 h), end to end
/// from a parsed snapshot, and the snapshot parse itself. A full run takes tens of seconds, so
/// the job is short: one launch, one warm-up, three measured iterations.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class DefaultSimulationBenchmark
{
    private string _json = string.Empty;
    private MarketSnapshot _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = File.ReadAllText(Path.Combine(RepoRoot(), "fixtures", "default-market.json"));
        _snapshot = SnapshotJson.Parse(_json, "fixtures/default-market.json");
    }

    [Benchmark(Description = "parse default-market.json (20k accounts)")]
    public MarketSnapshot ParseSnapshot() => SnapshotJson.Parse(_json, "fixtures/default-market.json");

    [Benchmark(Description = "default simulation: ETH -35% / 6 h on 20k accounts")]
    public int DefaultSimulation() => new CascadeEngine(_snapshot, Scenario.Default, seed: 1).Run().Liquidations.Count;

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DefiCascade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the benchmarks from inside the repository (DefiCascade.sln not found)");
    }
}
