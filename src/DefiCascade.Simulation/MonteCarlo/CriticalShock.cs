using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.MonteCarlo;

/// <summary>
/// The critical shock: the largest instant fall of the scenario's driver that the market absorbs
/// with bad debt under a threshold, found by bisection over the shock size in basis points.
/// Bisection assumes bad debt grows with the shock; every trial is kept so a reader can check that.
/// </summary>
public static class CriticalShock
{
    /// <summary>
    /// The scenario with its driver falling by <paramref name="shockBps"/> in block 1 and flat after,
    /// other assets following by their betas. Assets with their own paths or depegs and every random
    /// term (noise, jump-diffusions, idiosyncratic moves) are dropped: the variant isolates the
    /// driver's shock. Market, oracle and settle settings are kept.
    /// </summary>
    public static Scenario InstantVariant(Scenario scenario, int shockBps)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfNegative(shockBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shockBps, MonteCarloOptions.MaxShockBps);
        var multiplier = WadRayMath.Wad * (10_000 - shockBps) / 10_000;
        return scenario with
        {
            Name = $"{scenario.Name} (instant {shockBps / 100.0:0.##}% {scenario.Driver} shock)",
            Description = $"{scenario.Driver} falls {shockBps / 100.0:0.##}% in block 1 and stays there; other assets follow by their betas.",
            DurationBlocks = 1,
            DriverPath = [new PathPoint(0, WadRayMath.Wad), new PathPoint(1, multiplier)],
            AssetPaths = new Dictionary<string, IReadOnlyList<PathPoint>>(),
            NoiseBpsPerBlock = 0,
            Diffusions = new Dictionary<string, JumpDiffusionSpec>(),
            IdiosyncraticVolWad = new Dictionary<string, BigInteger>(),
            Depegs = new Dictionary<string, DepegSpec>(),
        };
    }

    /// <summary>The largest fall of the driver along the scenario's path, in bps of its start price (0 when it never falls).</summary>
    public static int LargestDriverFallBps(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        // Piecewise linear: the lowest point is a waypoint.
        var lowest = scenario.DriverPath.Min(p => p.MultiplierWad);
        var fall = (WadRayMath.Wad - lowest) * 10_000 / WadRayMath.Wad;
        return (int)BigInteger.Clamp(fall, 0, MonteCarloOptions.MaxShockBps);
    }

    public static CriticalShockResult Find(
        MarketSnapshot snapshot, Scenario scenario, int seed, BigInteger thresholdUsd, int toleranceBps, PathRunner run, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toleranceBps);
        var trials = new List<ShockTrial>();
        var horizon = 0;
        bool Absorbs(int shockBps)
        {
            var result = run(snapshot, InstantVariant(scenario, shockBps), seed, cancellation);
            horizon = Math.Max(horizon, result.Status.BlocksSimulated);
            var trial = new ShockTrial(shockBps, result.Totals.BadDebtUsd, result.Totals.BadDebtUsd < thresholdUsd);
            trials.Add(trial);
            return trial.Absorbed;
        }

        CriticalShockResult Done(int? absorbed, int? failed) =>
            new(scenario.Driver, thresholdUsd, toleranceBps, absorbed, failed, horizon, trials);

        if (!Absorbs(0))
        {
            return Done(null, 0);
        }

        if (Absorbs(MonteCarloOptions.MaxShockBps))
        {
            return Done(MonteCarloOptions.MaxShockBps, null);
        }

        var (lo, hi) = (0, MonteCarloOptions.MaxShockBps);
        while (hi - lo > toleranceBps)
        {
            var mid = lo + (hi - lo) / 2;
            if (Absorbs(mid))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Done(lo, hi);
    }
}
