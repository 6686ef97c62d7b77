using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Sweeps;

/// <summary>How a sweep is run: paths per cell, worker threads (speed only), the seed and which shard (1-based) of how many.</summary>
public sealed record SweepOptions(int Paths, int Threads, int Seed, int Shard = 1, int Shards = 1, bool RunBase = true);

/// <summary>
/// One cell's outcome over its paths. <see cref="Invalid"/> is set, and nothing else is, when Aave would refuse the
/// cell's configuration. USD 8 decimals at oracle prices, measured at each path's end.
/// </summary>
public sealed record CellResult(SweepCell Cell, string? Invalid, RiskMetrics? Metrics, BigInteger LiquidationVolumeMeanUsd, long Liquidations, int TruncatedPaths, int Paths);

/// <summary>A sweep's cells (this shard's, in cell order) and the base run: path 0's seed on the unchanged inputs.</summary>
public sealed record SweepRun(IReadOnlyList<CellResult> Cells, SimulationResult? Base);

/// <summary>Progress: a cell finished (its result), out of how many cells this run has.</summary>
public readonly record struct SweepProgress(int Done, int Total, string Cell, CellResult Result);

/// <summary>
/// Runs every valid cell of a grid (or of one shard) over the same N paths. Common random numbers: path i of
/// every cell runs with <see cref="PathSeeds.ForPath"/>(seed, i), so two cells differ by their parameters and not
/// by their draws. Cells and paths are one pool of jobs; each outcome is stored at (cell, path), so the result is
/// the same for any thread count.
/// </summary>
public static class SweepRunner
{
    public static SweepRun Run(
        MarketSnapshot snapshot,
        Scenario scenario,
        SweepGrid grid,
        SweepOptions options,
        IProgress<SweepProgress>? progress = null,
        PathRunner? runner = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Paths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Threads);
        var run = runner ?? MonteCarloRunner.Engine;
        var cells = grid.Cells(options.Shard, options.Shards).ToList();
        var inputs = cells.Select(c => CellBuilder.Build(snapshot, scenario, grid, c)).ToList();
        var results = new CellResult?[cells.Count];
        var outcomes = new PathOutcome[cells.Count][];
        var remaining = new int[cells.Count];
        var jobs = new List<(int Cell, int Path)>();
        var done = 0;
        void Finished(int c)
        {
            progress?.Report(new SweepProgress(Interlocked.Increment(ref done), cells.Count, grid.Describe(cells[c]), results[c]!));
        }

        for (var c = 0; c < cells.Count; c++)
        {
            if (inputs[c].Invalid is { } reason)
            {
                results[c] = new CellResult(cells[c], reason, null, 0, 0, 0, 0);
                Finished(c);
                continue;
            }

            outcomes[c] = new PathOutcome[options.Paths];
            remaining[c] = options.Paths;
            for (var p = 0; p < options.Paths; p++)
            {
                jobs.Add((c, p));
            }
        }

        SimulationResult? baseRun = null;
        var offset = options.RunBase ? 1 : 0;
        Parallel.For(0, jobs.Count + offset, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, job =>
        {
            if (job < offset)
            {
                baseRun = run(snapshot, scenario, PathSeeds.ForPath(options.Seed, 0), cancellation);
                return;
            }

            var (c, p) = jobs[job - offset];
            var seed = PathSeeds.ForPath(options.Seed, p);
            var result = run(inputs[c].Snapshot!, inputs[c].Scenario!, seed, cancellation);
            outcomes[c][p] = MonteCarloRunner.Outcome(p, seed, result, scenario.Driver);
            if (Interlocked.Decrement(ref remaining[c]) == 0)
            {
                results[c] = Summarize(cells[c], outcomes[c]);
                Finished(c);
            }
        });

        return new SweepRun(results.Select(r => r!).ToList(), baseRun);
    }

    public static CellResult Summarize(SweepCell cell, IReadOnlyList<PathOutcome> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var volume = paths.Aggregate(BigInteger.Zero, (s, p) => s + p.LiquidationVolumeUsd);
        return new CellResult(cell, null, RiskMetrics.From(paths), volume / paths.Count,
            paths.Sum(p => (long)p.Liquidations), paths.Count(p => p.Outcome == "truncated"), paths.Count);
    }
}
