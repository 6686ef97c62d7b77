using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.MonteCarlo;

/// <summary>One engine run: (snapshot, scenario, seed) to result. The seam a faster engine or a test double plugs into.</summary>
public delegate SimulationResult PathRunner(MarketSnapshot snapshot, Scenario scenario, int seed, CancellationToken cancellation);

/// <summary>
/// How a Monte Carlo run is made. Threads change only the speed: every number is the same for any
/// thread count. USD amounts are integers with 8 decimals.
/// </summary>
public sealed record MonteCarloOptions(
    int Paths,
    int Threads,
    BigInteger BadDebtThresholdUsd,
    BigInteger MaterialityFloorUsd,
    int ShockToleranceBps = MonteCarloOptions.DefaultShockToleranceBps)
{
    public const int DefaultShockToleranceBps = 25;

    /// <summary>Largest instant shock the bisection tries: a 99% fall.</summary>
    public const int MaxShockBps = 9_900;
}

/// <summary>What one path left behind. USD 8 decimals at the protocol's oracle prices.</summary>
public sealed record PathOutcome(
    int Path,
    int Seed,
    BigInteger BadDebtUsd,
    BigInteger LiquidationVolumeUsd,
    int Liquidations,
    double AmplificationPp,
    string Outcome,
    int BlocksSimulated);

/// <summary>Tail metrics over the paths' bad debt and liquidation volume (see <see cref="Estimators"/>).</summary>
public sealed record RiskMetrics(
    BigInteger BadDebtVaR95Usd,
    BigInteger BadDebtEVaR99Usd,
    BigInteger BadDebtExpectedShortfall95Usd,
    BigInteger BadDebtMeanUsd,
    BigInteger LiquidationVolumeLaR95Usd,
    int PathsWithBadDebt,
    double ProbabilityOfBadDebt)
{
    public static RiskMetrics From(IReadOnlyList<PathOutcome> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var bad = paths.Select(p => p.BadDebtUsd).ToList();
        var volume = paths.Select(p => p.LiquidationVolumeUsd).ToList();
        return new RiskMetrics(
            Estimators.Quantile(bad, 9_500),
            Estimators.Quantile(bad, 9_900),
            Estimators.ExpectedShortfall(bad, 9_500),
            BigInteger.Divide(bad.Aggregate(BigInteger.Zero, (s, x) => s + x), bad.Count),
            Estimators.Quantile(volume, 9_500),
            bad.Count(x => x.Sign > 0),
            Estimators.ProbabilityPositive(bad));
    }
}

/// <summary>One instant-shock run of the bisection.</summary>
public sealed record ShockTrial(int ShockBps, BigInteger BadDebtUsd, bool Absorbed);

/// <summary>
/// Largest instant driver shock (bps of its price) whose bad debt stays under the threshold:
/// <see cref="AbsorbedBps"/> passed, <see cref="FailedBps"/> did not, and they are at most the
/// tolerance apart. Null bounds: even no shock fails (Absorbed null) or a 99% fall passes (Failed null).
/// </summary>
public sealed record CriticalShockResult(
    string Driver,
    BigInteger ThresholdUsd,
    int ToleranceBps,
    int? AbsorbedBps,
    int? FailedBps,
    int HorizonBlocks,
    IReadOnlyList<ShockTrial> Trials);

/// <summary>Branching ratio of one block: triggered over sold; null when sold is under the floor ("too small to rate").</summary>
public sealed record BlockBranching(int Block, BigInteger SoldUsd, BigInteger TriggeredUsd, double? R0);

/// <summary>R0 per block on the instant-shock variant of the scenario at <see cref="ShockBps"/>.</summary>
public sealed record BranchingResult(
    int ShockBps,
    BigInteger FloorUsd,
    BigInteger ShockGenerationUsd,
    IReadOnlyList<BlockBranching> Blocks,
    double? OverallR0,
    int HorizonBlocks);

/// <summary>Everything a Monte Carlo run reports; identical for any thread count.</summary>
public sealed record MonteCarloResult(
    string Scenario,
    int Seed,
    int BlockSeconds,
    int HorizonBlocks,
    int MaxSettleBlocks,
    RiskMetrics Metrics,
    CriticalShockResult CriticalShock,
    BranchingResult Branching,
    IReadOnlyList<PathOutcome> Paths,
    SimulationResult FirstPath)
{
    /// <summary>True when every path ended the same: the scenario has no random component.</summary>
    public bool Degenerate => Paths.All(p => p.BadDebtUsd == Paths[0].BadDebtUsd && p.LiquidationVolumeUsd == Paths[0].LiquidationVolumeUsd && p.Liquidations == Paths[0].Liquidations);
}

/// <summary>Progress of a Monte Carlo run: which job finished, out of how many (paths plus the two probes).</summary>
public readonly record struct MonteCarloProgress(int Done, int Total, string Finished);
