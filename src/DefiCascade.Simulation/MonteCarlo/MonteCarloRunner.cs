using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.MonteCarlo;

/// <summary>
/// N paths of a scenario on one parsed snapshot, in parallel. Path i runs with seed
/// <see cref="PathSeeds.ForPath"/>(seed, i) on its own engine (its own market state, pools, books
/// and bot, built from the shared read-only snapshot), and its outcome is stored at index i, so
/// the result is the same whatever the thread count or the order paths finish in. The critical
/// shock bisection and the R0 run are two more jobs in the same pool.
/// </summary>
public static class MonteCarloRunner
{
    /// <summary>
    /// The engine as it is: one fresh <see cref="CascadeEngine"/> per run. Paths need no mitigation
    /// comparison (their metrics are totals), so a mitigated scenario is not run twice per path.
    /// </summary>
    public static readonly PathRunner Engine = (snapshot, scenario, seed, cancellation) =>
        new CascadeEngine(snapshot, scenario, seed, new CascadeOptions(CompareWithoutMitigations: false)).Run(cancellation: cancellation);

    /// <summary>
    /// Only the paths (no critical-shock or R0 probes), on <paramref name="threads"/> workers, in path order: what
    /// "paths per minute" measures. <see cref="Run"/> runs the same path jobs beside the probes.
    /// </summary>
    public static PathOutcome[] RunPaths(MarketSnapshot snapshot, Scenario scenario, int seed, int paths, int threads, PathRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(scenario);
        var run = runner ?? Engine;
        var outcomes = new PathOutcome[paths];
        Parallel.For(0, paths, new ParallelOptions { MaxDegreeOfParallelism = threads }, path =>
        {
            outcomes[path] = RunPath(snapshot, scenario, seed, path, run, CancellationToken.None).Outcome;
        });
        return outcomes;
    }

    /// <summary>Path <paramref name="path"/>: its seed from (seed, path), one run, and what it left behind.</summary>
    private static (SimulationResult Result, PathOutcome Outcome) RunPath(
        MarketSnapshot snapshot, Scenario scenario, int seed, int path, PathRunner run, CancellationToken cancellation)
    {
        var pathSeed = PathSeeds.ForPath(seed, path);
        var result = run(snapshot, scenario, pathSeed, cancellation);
        return (result, Outcome(path, pathSeed, result, scenario.Driver));
    }

    public static MonteCarloResult Run(
        MarketSnapshot snapshot,
        Scenario scenario,
        int seed,
        MonteCarloOptions options,
        IProgress<MonteCarloProgress>? progress = null,
        PathRunner? runner = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Paths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Threads);
        var run = runner ?? Engine;
        var outcomes = new PathOutcome[options.Paths];
        SimulationResult? first = null;
        CriticalShockResult? critical = null;
        BranchingResult? branching = null;
        var total = options.Paths + 2;
        var done = 0;
        void Finished(string what) => progress?.Report(new MonteCarloProgress(Interlocked.Increment(ref done), total, what));

        // The two sequential probes go first so that they overlap the paths instead of trailing them.
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, job =>
        {
            switch (job)
            {
                case 0:
                    critical = CriticalShock.Find(snapshot, scenario, seed, options.BadDebtThresholdUsd, options.ShockToleranceBps, run, cancellation);
                    Finished($"critical shock: {Describe(critical)}");
                    break;
                case 1:
                    branching = BranchingRatio.Measure(snapshot, scenario, seed, options.MaterialityFloorUsd, cancellation);
                    Finished($"branching ratio R0: {(branching.OverallR0 is { } r0 ? r0.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "too small to rate")}");
                    break;
                default:
                    var path = job - 2;
                    var (result, outcome) = RunPath(snapshot, scenario, seed, path, run, cancellation);
                    outcomes[path] = outcome;
                    if (path == 0)
                    {
                        first = result;
                    }

                    Finished($"path {path} (seed {outcome.Seed}): bad debt {outcomes[path].BadDebtUsd / 100_000_000:N0} USD, {outcomes[path].Liquidations:N0} liquidations");
                    break;
            }
        });

        return new MonteCarloResult(
            scenario.Name, seed, scenario.BlockSeconds, scenario.DurationBlocks, scenario.MaxSettleBlocks,
            RiskMetrics.From(outcomes), critical!, branching!, outcomes, first!);
    }

    public static PathOutcome Outcome(int path, int seed, SimulationResult result, string driver)
    {
        ArgumentNullException.ThrowIfNull(result);
        var amplification = result.Prices.FirstOrDefault(p => p.Asset == driver)?.AmplificationPoints ?? 0;
        return new PathOutcome(path, seed, result.Totals.BadDebtUsd, result.Totals.DebtRepaidUsd, result.Totals.LiquidationEvents,
            amplification, result.Status.Outcome, result.Status.BlocksSimulated);
    }

    private static string Describe(CriticalShockResult c) => (c.AbsorbedBps, c.FailedBps) switch
    {
        (null, _) => "bad debt over the threshold even without a shock",
        (_, null) => "a 99% fall stays under the threshold",
        var (lo, hi) => $"absorbs {lo / 100.0:0.##}%, fails at {hi / 100.0:0.##}%",
    };
}
