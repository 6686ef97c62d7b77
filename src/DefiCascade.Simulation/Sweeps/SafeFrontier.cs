using System.Numerics;

namespace DefiCascade.Simulation.Sweeps;

/// <summary>What the frontier reads of a cell: its values by axis and its bad-debt VaR99 (null: the cell is invalid).</summary>
public sealed record FrontierCell(int Index, IReadOnlyList<decimal> Values, BigInteger? BadDebtVaR99Usd);

/// <summary>
/// The safe frontier of one asset at one liquidation bonus: <see cref="SafeThresholdBps"/> is the highest swept
/// threshold whose bad-debt VaR99 is at most the budget, with every lower swept threshold at that bonus also within
/// it (null: none is). VaR99 is the worst over every other axis at that (threshold, bonus). <see cref="FailingThresholdBps"/>
/// is the lowest threshold over budget; <see cref="NonMonotone"/> says a higher threshold passed again after it.
/// </summary>
public sealed record FrontierPoint(
    string Asset,
    decimal BonusBps,
    bool BonusSwept,
    decimal? SafeThresholdBps,
    BigInteger? SafeVaR99Usd,
    decimal? FailingThresholdBps,
    BigInteger? FailingVaR99Usd,
    bool NonMonotone,
    bool Recommended);

/// <summary>
/// Reads the recommended safe frontier off a finished grid. For each asset whose liquidation threshold is swept:
/// at each bonus (swept, or the reserve's own), the highest safe threshold as <see cref="FrontierPoint"/> defines it;
/// the recommendation is the point with the highest safe threshold, ties to the lowest bonus (the cheapest for
/// borrowers that is still safe). Worst case over the other axes, because a setting is safe only if it is safe under
/// every swept condition (shock, gas, depth, another asset's settings). Invalid cells are configurations Aave refuses
/// and take no part.
/// </summary>
public static class SafeFrontier
{
    public static bool IsThresholdAxis(SweepAxis axis) =>
        axis is { Parameter: { Target: SweepTarget.Reserve, Name: "liquidationThreshold" } };

    public static IReadOnlyList<FrontierPoint> Find(
        IReadOnlyList<SweepAxis> axes, IReadOnlyList<FrontierBase> bases, BigInteger budgetUsd, IReadOnlyList<FrontierCell> cells)
    {
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(cells);
        var points = new List<FrontierPoint>();
        for (var a = 0; a < axes.Count; a++)
        {
            if (!IsThresholdAxis(axes[a]))
            {
                continue;
            }

            var asset = axes[a].Subject!;
            var bonusAxis = axes.ToList().FindIndex(x => x.Parameter is { Target: SweepTarget.Reserve, Name: "liquidationBonus" } && x.Subject == asset);
            var baseBonus = bases.First(b => b.Asset == asset).LiquidationBonusBps;
            var worst = new Dictionary<(decimal Bonus, decimal Lt), BigInteger>();
            foreach (var cell in cells)
            {
                if (cell.BadDebtVaR99Usd is not { } var99)
                {
                    continue;
                }

                var key = (bonusAxis >= 0 ? cell.Values[bonusAxis] : baseBonus, cell.Values[a]);
                worst[key] = worst.TryGetValue(key, out var old) ? BigInteger.Max(old, var99) : var99;
            }

            var assetPoints = worst.Keys.Select(k => k.Bonus).Distinct().Order()
                .Select(bonus => Point(asset, bonus, bonusAxis >= 0, budgetUsd,
                    worst.Where(kv => kv.Key.Bonus == bonus).OrderBy(kv => kv.Key.Lt).Select(kv => (kv.Key.Lt, kv.Value)).ToList()))
                .ToList();
            var best = assetPoints.Where(p => p.SafeThresholdBps is not null)
                .OrderByDescending(p => p.SafeThresholdBps).ThenBy(p => p.BonusBps).FirstOrDefault();
            points.AddRange(assetPoints.Select(p => ReferenceEquals(p, best) ? p with { Recommended = true } : p));
        }

        return points;
    }

    private static FrontierPoint Point(string asset, decimal bonus, bool swept, BigInteger budget, List<(decimal Lt, BigInteger VaR99)> ascending)
    {
        (decimal Lt, BigInteger VaR99)? safe = null;
        (decimal Lt, BigInteger VaR99)? failing = null;
        var nonMonotone = false;
        foreach (var point in ascending)
        {
            if (point.VaR99 > budget)
            {
                failing ??= point;
            }
            else if (failing is null)
            {
                safe = point;
            }
            else
            {
                nonMonotone = true;
            }
        }

        return new FrontierPoint(asset, bonus, swept, safe?.Lt, safe?.VaR99, failing?.Lt, failing?.VaR99, nonMonotone, false);
    }
}
