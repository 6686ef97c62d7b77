using DefiCascade.Core.Snapshot;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// Reads <c>mitigations.dynamicThreshold</c> and <c>mitigations.parameterChanges</c>. With the snapshot's
/// Aave markets at hand, every asset must be a collateral reserve and every configuration the run would
/// set must pass configureReserveAsCollateral (<see cref="CollateralRules"/>); the error names the field.
/// Without them (a scenario read against asset names only) the engine checks the same when it starts.
/// </summary>
internal static class ReserveMitigationReader
{
    public static DynamicThresholdSpec? ReadDynamicThreshold(ScenarioNode? node, IReadOnlySet<string>? knownAssets)
    {
        if (node is null)
        {
            return null;
        }

        var assets = new List<string>();
        if (node.Optional("assets") is { } list)
        {
            foreach (var item in list.Items())
            {
                var asset = item.AsString();
                if (knownAssets is not null && !knownAssets.Contains(asset))
                {
                    throw item.Error($"asset '{asset}' is not in the snapshot (known: {string.Join(", ", knownAssets.Order(StringComparer.Ordinal))})");
                }

                assets.Add(!assets.Contains(asset) ? asset : throw item.Error($"'{asset}' is listed twice"));
            }
        }

        var window = node.Required("windowBlocks").AsInt(2, 100_000);
        var baseline = node.Optional("baselineVolPercent")?.AsInt(0, 100_000) ?? 0;
        var sensitivity = node.Required("sensitivityBps").AsInt(1, 10_000);
        var maxCut = node.Required("maxCutBps").AsInt(1, 9_999);
        var stepNode = node.Optional("stepBps");
        var step = stepNode?.AsInt(1, 9_999) ?? 25;
        if (maxCut % step != 0)
        {
            throw node.Error($"maxCutBps {maxCut} must be a multiple of stepBps {step}: the threshold moves on that grid", "maxCutBps");
        }

        var every = node.Optional("updateEveryBlocks")?.AsInt(1, 100_000) ?? 1;
        node.RejectUnknownKeys();
        return new DynamicThresholdSpec(assets, window, baseline, sensitivity, maxCut, step, every);
    }

    public static List<ReserveParameterChange> ReadParameterChanges(ScenarioNode? node, IReadOnlySet<string>? knownAssets, int durationBlocks)
    {
        var result = new List<ReserveParameterChange>();
        if (node is null)
        {
            return result;
        }

        foreach (var item in node.Items())
        {
            var assetNode = item.Required("asset");
            var asset = assetNode.AsString();
            if (knownAssets is not null && !knownAssets.Contains(asset))
            {
                throw assetNode.Error($"asset '{asset}' is not in the snapshot (known: {string.Join(", ", knownAssets.Order(StringComparer.Ordinal))})");
            }

            var change = new ReserveParameterChange(
                asset,
                item.Optional("ltvBps")?.AsInt(0, 10_000),
                // 0 would disable the asset as collateral, which the contract allows only with no suppliers.
                item.Optional("liquidationThresholdBps")?.AsInt(1, 10_000),
                item.Optional("liquidationBonusBps")?.AsInt(10_001, 20_000),
                item.Optional("fromBlock")?.AsInt(0, durationBlocks) ?? 0);
            item.RejectUnknownKeys();
            if (change is { LtvBps: null, LiquidationThresholdBps: null, LiquidationBonusBps: null })
            {
                throw item.Error("changes nothing: give ltvBps, liquidationThresholdBps or liquidationBonusBps");
            }

            if (result.Any(c => c.Asset == asset && c.FromBlock == change.FromBlock))
            {
                throw item.Error($"{asset} is already changed at block {change.FromBlock}; merge the two entries");
            }

            result.Add(change);
        }

        return result;
    }

    /// <summary>The checks that need the snapshot's reserves; <paramref name="mitigations"/> is the node both were read from.</summary>
    public static void Check(ScenarioNode mitigations, Mitigations read, IReadOnlyList<AaveV3MarketSnapshot> markets)
    {
        if (ReserveSchedule.Problem(read, markets) is { } problem)
        {
            throw mitigations.Error(problem.Message, problem.Field);
        }
    }
}

/// <summary>
/// The reserve configurations a scenario's parameter changes lead to, in the order they apply, checked
/// against the snapshot: used by the loader (an error names the field) and by the engine (an error at start).
/// </summary>
public static class ReserveSchedule
{
    /// <summary>The first problem, with the field under <c>mitigations</c> it belongs to; null when every configuration is valid.</summary>
    public static (string Field, string Message)? Problem(Mitigations mitigations, IReadOnlyList<AaveV3MarketSnapshot> markets)
    {
        ArgumentNullException.ThrowIfNull(mitigations);
        ArgumentNullException.ThrowIfNull(markets);
        var changes = mitigations.ParameterChanges;
        for (var k = 0; k < changes.Count; k++)
        {
            if (!IsCollateral(changes[k].Asset, markets))
            {
                return ($"parameterChanges[{k}].asset", $"{changes[k].Asset} is not a collateral reserve (liquidationThreshold > 0) of any Aave market in the snapshot");
            }
        }

        // Each market's reserve in force, change after change in block order (file order within a block).
        var ordered = changes.Select((c, k) => (Change: c, Index: k)).OrderBy(x => x.Change.FromBlock).ThenBy(x => x.Index).ToList();
        var lowest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var market in markets)
        {
            var inForce = market.Reserves.ToDictionary(r => r.Asset, r => (r.LtvBps, r.LiquidationThresholdBps, r.LiquidationBonusBps), StringComparer.Ordinal);
            foreach (var r in market.Reserves.Where(r => r.LiquidationThresholdBps > 0))
            {
                lowest[r.Asset] = System.Math.Min(lowest.GetValueOrDefault(r.Asset, int.MaxValue), r.LiquidationThresholdBps);
            }

            foreach (var (c, k) in ordered)
            {
                // A market that does not accept the asset as collateral keeps it so (the engine leaves it alone).
                if (!inForce.TryGetValue(c.Asset, out var old) || old.LiquidationThresholdBps == 0)
                {
                    continue;
                }

                var now = (c.LtvBps ?? old.LtvBps, c.LiquidationThresholdBps ?? old.LiquidationThresholdBps, c.LiquidationBonusBps ?? old.LiquidationBonusBps);
                if (CollateralRules.Problem($"{c.Asset} in {market.Name} from block {c.FromBlock}:", now.Item1, now.Item2, now.Item3) is { } problem)
                {
                    return ($"parameterChanges[{k}]", problem + " (PoolConfigurator.configureReserveAsCollateral would revert)");
                }

                inForce[c.Asset] = now;
                lowest[c.Asset] = System.Math.Min(lowest[c.Asset], now.Item2);
            }
        }

        if (mitigations.DynamicThreshold is { } dynamic)
        {
            for (var k = 0; k < dynamic.Assets.Count; k++)
            {
                if (!IsCollateral(dynamic.Assets[k], markets))
                {
                    return ($"dynamicThreshold.assets[{k}]", $"{dynamic.Assets[k]} is not a collateral reserve (liquidationThreshold > 0) of any Aave market in the snapshot");
                }
            }

            var watched = dynamic.Assets.Count == 0 ? lowest.Keys.Order(StringComparer.Ordinal) : dynamic.Assets.AsEnumerable();
            foreach (var asset in watched)
            {
                if (dynamic.MaxCutBps >= lowest[asset])
                {
                    return ("dynamicThreshold.maxCutBps", $"{dynamic.MaxCutBps} would cut {asset}'s liquidationThreshold ({lowest[asset]} at its lowest) to 0 or below, which disables it as collateral");
                }
            }
        }

        return null;
    }

    private static bool IsCollateral(string asset, IReadOnlyList<AaveV3MarketSnapshot> markets) =>
        markets.Any(m => m.Reserves.Any(r => r.Asset == asset && r.LiquidationThresholdBps > 0));
}
