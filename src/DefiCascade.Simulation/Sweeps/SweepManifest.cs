using System.Numerics;

namespace DefiCascade.Simulation.Sweeps;

/// <summary>
/// Everything that makes two runs parts of the same sweep: inputs (by hash), grid, seed, paths, budget, and the
/// base values the frontier needs when a bonus is not swept. Every shard file carries it; merge refuses shards
/// whose manifests differ. Nothing in it depends on threads, timing or the shard.
/// </summary>
public sealed record SweepManifest(
    string Scenario,
    string ScenarioSha256,
    string SnapshotSha256,
    long ChainId,
    long SnapshotBlock,
    string SnapshotKind,
    int Seed,
    int Paths,
    int BlockSeconds,
    int HorizonBlocks,
    int MaxSettleBlocks,
    BigInteger BudgetUsd,
    IReadOnlyList<SweepAxis> Axes,
    IReadOnlyList<FrontierBase> Bases)
{
    /// <summary>The reserve's own threshold and bonus for every asset whose threshold is swept.</summary>
    public static IReadOnlyList<FrontierBase> BasesFor(Core.Snapshot.MarketSnapshot snapshot, IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(axes);
        return axes.Where(SafeFrontier.IsThresholdAxis)
            .Select(a => snapshot.AaveV3Markets.SelectMany(m => m.Reserves).First(r => r.Asset == a.Subject))
            .Select(r => new FrontierBase(r.Asset, r.LiquidationThresholdBps, r.LiquidationBonusBps))
            .ToList();
    }
}

/// <summary>A reserve's configured threshold and bonus before the sweep changes them (bps).</summary>
public sealed record FrontierBase(string Asset, int LiquidationThresholdBps, int LiquidationBonusBps);
