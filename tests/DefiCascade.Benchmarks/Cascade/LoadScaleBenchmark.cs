using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Benchmarks.Cascade;

/// <summary>
/// What a large book costs before its cascade starts: parsing the snapshot JSON's UTF-8 bytes (the 1M file of
/// `generate-market --positions 1000000` is ~155 MB) and building the engine's state from the
/// parsed snapshot (exact Aave accounts, the screen, the first full screen is in the cascade). With the
/// `defi-cascade` executable's runtime settings (<see cref="CliRuntimeAttribute"/>), as the cascade benchmark.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 2)]
[CliRuntime]
[MemoryDiagnoser]
public class LoadScaleBenchmark
{
    private MarketSnapshot _snapshot = null!;
    private Scenario _scenario = null!;
    private byte[] _utf8 = [];

    [Params(10_000, 100_000, 1_000_000)]
    public int Positions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = Positions });
        _scenario = ScenarioLoader.Parse(CascadeScaleBenchmark.CrashYaml, "crash-300-blocks.yaml", _snapshot.Tokens.Select(t => t.Symbol).ToHashSet());
        _utf8 = System.Text.Encoding.UTF8.GetBytes(SnapshotJson.Serialize(_snapshot));
    }

    // From the file's bytes, as the CLI reads it (until the eleventh session: from the decoded text).
    [Benchmark(Description = "load: parse snapshot JSON")]
    public int Parse() => SnapshotJson.Parse(_utf8, "bench.json").AaveV3Markets[0].Positions.Count;

    [Benchmark(Description = "load: build engine state")]
    public int Build() => new CascadeEngine(_snapshot, _scenario, seed: 1).State.Books[0].Accounts.Length;
}
