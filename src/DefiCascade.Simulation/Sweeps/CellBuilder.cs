using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Sweeps;

/// <summary>A cell's market and scenario, or why Aave would refuse its configuration (<see cref="Invalid"/>).</summary>
public sealed record CellInputs(MarketSnapshot? Snapshot, Scenario? Scenario, string? Invalid);

/// <summary>
/// Applies a cell's values to copies of the snapshot and scenario (records copied with <c>with</c>; the shared
/// position list is copied only when a cap rescales it) and checks the result against Aave V3.0.2's
/// PoolConfigurator rules, so a cell the protocol could not be set to is flagged, never simulated.
/// </summary>
public static class CellBuilder
{
    public static CellInputs Build(MarketSnapshot snapshot, Scenario scenario, SweepGrid grid, SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(cell);
        var markets = snapshot.AaveV3Markets.ToList();
        var changedReserves = new HashSet<string>(StringComparer.Ordinal);
        var changedEModes = new HashSet<int>();
        var caps = new List<(string Asset, bool Supply, BigInteger Cap)>();
        var market = scenario.Market;
        var oracles = new Dictionary<string, OracleOverride>(scenario.Oracles);
        var driverPath = scenario.DriverPath;

        for (var a = 0; a < grid.Axes.Count; a++)
        {
            var axis = grid.Axes[a];
            var value = cell.Values[a];
            var whole = (long)value;
            var name = axis.Parameter.Name;
            switch (axis.Parameter.Target)
            {
                case SweepTarget.Reserve when name is "supplyCap" or "borrowCap":
                    caps.Add((axis.Subject!, name == "supplyCap", whole));
                    markets = markets.Select(m => m with { Reserves = m.Reserves.Select(r => r.Asset != axis.Subject ? r
                        : name == "supplyCap" ? r with { SupplyCap = whole } : r with { BorrowCap = whole }).ToList() }).ToList();
                    break;
                case SweepTarget.Reserve:
                    changedReserves.Add(axis.Subject!);
                    markets = markets.Select(m => m with { Reserves = m.Reserves.Select(r => r.Asset != axis.Subject ? r : name switch
                    {
                        "ltv" => r with { LtvBps = (int)whole },
                        "liquidationThreshold" => r with { LiquidationThresholdBps = (int)whole },
                        _ => r with { LiquidationBonusBps = (int)whole },
                    }).ToList() }).ToList();
                    break;
                case SweepTarget.EMode:
                    var id = int.Parse(axis.Subject!, CultureInfo.InvariantCulture);
                    changedEModes.Add(id);
                    markets = markets.Select(m => m with { EModes = m.EModes.Select(e => e.Id != id ? e : name switch
                    {
                        "ltv" => e with { LtvBps = (int)whole },
                        "liquidationThreshold" => e with { LiquidationThresholdBps = (int)whole },
                        _ => e with { LiquidationBonusBps = (int)whole },
                    }).ToList() }).ToList();
                    break;
                case SweepTarget.Scenario:
                    switch (name)
                    {
                        case "shockPercent":
                            driverPath = ScaleShock(scenario, value, out var problem);
                            if (problem is not null)
                            {
                                return new CellInputs(null, null, problem);
                            }

                            break;
                        case "gasPriceGwei":
                            market = market with { GasPriceGwei = (int)whole };
                            break;
                        case "offChainDepthUsdPerPercent":
                            market = market with { OffChainDepthUsdPerPercent = new Dictionary<string, BigInteger>(market.OffChainDepthUsdPerPercent) { [axis.Subject!] = whole } };
                            break;
                        default:
                            var old = oracles.GetValueOrDefault(axis.Subject!) ?? new OracleOverride(null, null, null);
                            oracles[axis.Subject!] = name switch
                            {
                                "oracleDeviationBps" => old with { DeviationBps = (int)whole },
                                "oracleHeartbeatSeconds" => old with { HeartbeatSeconds = (int)whole },
                                _ => old with { DelayBlocks = (int)whole },
                            };
                            break;
                    }

                    break;
            }
        }

        if (Invalid(markets, changedReserves, changedEModes) is { } reason)
        {
            return new CellInputs(null, null, reason);
        }

        // The scenario's own reserve changes must still be settable on the cell's reserves.
        if (scenario.Mitigations.ChangesReserves && ReserveSchedule.Problem(scenario.Mitigations, markets) is { } clash)
        {
            return new CellInputs(null, null, $"mitigations.{clash.Field}: {clash.Message}");
        }

        foreach (var (asset, supply, cap) in caps)
        {
            var decimals = snapshot.Token(asset).Decimals;
            markets = markets.Select(m => m with { Positions = ScaleToCap(m.Positions, asset, supply, cap * BigInteger.Pow(10, decimals)) }).ToList();
        }

        return new CellInputs(
            snapshot with { AaveV3Markets = markets },
            scenario with { Market = market, Oracles = oracles, DriverPath = driverPath },
            null);
    }

    /// <summary>PoolConfigurator.configureReserveAsCollateral and setEModeCategory (aave-v3-core 1.19.3), on the cell's final configuration.</summary>
    public static string? Invalid(IReadOnlyList<AaveV3MarketSnapshot> markets, IReadOnlySet<string> changedReserves, IReadOnlySet<int> changedEModes)
    {
        ArgumentNullException.ThrowIfNull(markets);
        ArgumentNullException.ThrowIfNull(changedReserves);
        ArgumentNullException.ThrowIfNull(changedEModes);
        foreach (var m in markets)
        {
            foreach (var r in m.Reserves.Where(r => changedReserves.Contains(r.Asset)))
            {
                if (Collateral($"{r.Asset}", r.LtvBps, r.LiquidationThresholdBps, r.LiquidationBonusBps) is { } problem)
                {
                    return problem;
                }

                // Threshold 0 disables the asset as collateral, which the contract allows only with no suppliers.
                if (r.LiquidationThresholdBps == 0 && m.Positions.Any(p => p.Collateral.Any(c => c.Asset == r.Asset && c.Amount.Sign > 0)))
                {
                    return $"{r.Asset} liquidationThreshold 0 needs a reserve with no suppliers (_checkNoSuppliers)";
                }
            }

            foreach (var e in m.EModes.Where(e => changedEModes.Contains(e.Id)))
            {
                var label = $"e-mode {e.Id}";
                if (e.LtvBps == 0 || e.LiquidationThresholdBps == 0)
                {
                    return $"{label} ltv and liquidationThreshold must not be 0";
                }

                if (Collateral(label, e.LtvBps, e.LiquidationThresholdBps, e.LiquidationBonusBps) is { } problem)
                {
                    return problem;
                }

                foreach (var r in m.Reserves.Where(r => r.EModeCategory == e.Id))
                {
                    if (e.LtvBps <= r.LtvBps || e.LiquidationThresholdBps <= r.LiquidationThresholdBps)
                    {
                        return $"{label} ltv {e.LtvBps} / liquidationThreshold {e.LiquidationThresholdBps} must exceed its reserve {r.Asset}'s ({r.LtvBps} / {r.LiquidationThresholdBps})";
                    }
                }
            }
        }

        return null;
    }

    private static string? Collateral(string what, int ltv, int lt, int bonus) => CollateralRules.Problem(what, ltv, lt, bonus);

    /// <summary>
    /// The driver's path with its end fall set to <paramref name="shockPercent"/>: every point's deviation from
    /// the start (1 - multiplier) scaled by the same factor, so the path keeps its shape. Integer wad math,
    /// rounded toward the start price.
    /// </summary>
    private static IReadOnlyList<PathPoint> ScaleShock(Scenario scenario, decimal shockPercent, out string? problem)
    {
        problem = null;
        var path = scenario.DriverPath;
        var endFall = Wad.One - path[^1].MultiplierWad;
        if (endFall.Sign <= 0)
        {
            problem = $"shockPercent scales the driver's fall at the end of its path, and {scenario.Driver} ends at or above its start in this scenario";
            return path;
        }

        var target = Wad.FromDecimal(SweepAxis.Format(shockPercent)) / 100;
        var scaled = path.Select(p => p with { MultiplierWad = Wad.One - (Wad.One - p.MultiplierWad) * target / endFall }).ToList();
        if (scaled.Any(p => p.MultiplierWad.Sign <= 0))
        {
            problem = $"shockPercent {SweepAxis.Format(shockPercent)} scales a point of {scenario.Driver}'s path to a price at or below 0";
        }

        return scaled;
    }

    /// <summary>
    /// The hypothetical book under a cap: when the accounts hold more of the asset (as collateral for a supply cap,
    /// as debt for a borrow cap) than the cap, every account holding it is shrunk by cap / total, collateral rounded
    /// down and debt up so no health factor improves. Cap 0 is Aave's "no cap".
    /// </summary>
    private static IReadOnlyList<AavePositionSnapshot> ScaleToCap(IReadOnlyList<AavePositionSnapshot> positions, string asset, bool supply, BigInteger cap)
    {
        IReadOnlyList<AssetBalance> Side(AavePositionSnapshot p) => supply ? p.Collateral : p.Debt;
        var total = positions.SelectMany(Side).Where(b => b.Asset == asset).Aggregate(BigInteger.Zero, (s, b) => s + b.Amount);
        if (cap.IsZero || total <= cap)
        {
            return positions;
        }

        List<AssetBalance> Scale(IReadOnlyList<AssetBalance> balances, bool up) =>
            balances.Select(b => b with { Amount = up ? (b.Amount * cap + total - 1) / total : b.Amount * cap / total }).ToList();
        return positions.Select(p => Side(p).Any(b => b.Asset == asset)
            ? p with { Collateral = Scale(p.Collateral, up: false), Debt = Scale(p.Debt, up: true) }
            : p).ToList();
    }
}
