using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Benchmarks.Cascade;

/// <summary>
/// One 300-block cascade (ETH -30% in a straight line, no settle blocks) on synthetic books of
/// 10k, 100k and 1M positions (DefaultMarketGenerator, default seed: the pools stay the default
/// market's, so a larger book is a deeper cascade), by the scaled engine on one and on two threads
/// and by the naive reference that rescreens and re-examines every position every block, in the same run. The
/// engine is built in the iteration setup: the measured time is the cascade alone. Loading is
/// measured apart (LoadScaleBenchmark). A naive
/// 1M run takes minutes, so every case runs twice without warm-up (monitoring strategy): the first
/// iteration is a cold process, as one `simulate` is. Every case runs with the CLI's runtime settings
/// (<see cref="CliRuntimeAttribute"/>): on a 1M book the workstation GC's small first generation alone
/// costs seconds, and the default tier-up delay ~0.5 s of the cold iteration. The naive cases run after all
/// the engine's (<see cref="NaiveLastAttribute"/>): the process after a naive 1M case started on a machine still
/// giving its ~30 GB back.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 2)]
[CliRuntime]
[NaiveLast]
[MemoryDiagnoser]
public class CascadeScaleBenchmark
{
    public const string CrashYaml = """
        name: crash-300-blocks
        description: ETH -30% in 300 blocks (1 hour), WBTC beta 0.7, no settle blocks
        durationBlocks: 300
        path:
          - { block: 300, multiplier: 0.7 }
        betas: { wstETH: 1.0, WBTC: 0.7 }
        maxSettleBlocks: 0
        """;

    private MarketSnapshot _snapshot = null!;
    private Scenario _scenario = null!;
    private CascadeEngine _engine = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Positions { get; set; }

    // The naive reference (one thread); the scaled engine on one thread; the same with its per-account
    // passes split between two threads (CascadeOptions.Workers), as the CLI runs one simulation; the scaled
    // engine on one thread after an EngineWarmUp ran to its end in the iteration setup, as `simulate` runs
    // one while a large snapshot loads (its first iteration is the cascade phase of such a `simulate`).
    [Params("scaled", "scaled-2-threads", "scaled-warmed-up", "naive")]
    public string Engine { get; set; } = "scaled";

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = Positions });
        _scenario = ScenarioLoader.Parse(CrashYaml, "crash-300-blocks.yaml", _snapshot.Tokens.Select(t => t.Symbol).ToHashSet());
    }

    [IterationSetup(Target = nameof(Cascade))]
    public void BuildEngine()
    {
        if (Engine == "scaled-warmed-up")
        {
            using var warmUp = EngineWarmUp.Start();
            if (!warmUp.Wait(TimeSpan.FromMinutes(5)) || !warmUp.Finished)
            {
                throw new InvalidOperationException($"the warm-up did not finish: {warmUp.Failure}");
            }
        }

        _engine = new CascadeEngine(_snapshot, _scenario, seed: 1, new CascadeOptions(Engine == "naive") { Workers = Engine == "scaled-2-threads" ? 2 : 1 });
    }

    [Benchmark(Description = "cascade: 300 blocks, ETH -30%")]
    public int Cascade() => _engine.Run().Liquidations.Count;
}
