using System.Numerics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// Reads a scenario from YAML or JSON text (JSON is read as YAML flow syntax). Every field is
/// checked; an error names the file and the field. See README "Writing a scenario".
/// </summary>
public static class ScenarioLoader
{
    public static Scenario Parse(string text, string source, IReadOnlySet<string>? knownAssets = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ScenarioFormatException(source, string.Empty,
                $"not valid YAML/JSON at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count != 1)
        {
            throw new ScenarioFormatException(source, string.Empty, "must hold exactly one document");
        }

        var root = new ScenarioNode(stream.Documents[0].RootNode, source, string.Empty);
        var defaults = Scenario.Default;
        var blockSeconds = root.Optional("blockSeconds")?.AsInt(1, 3600) ?? defaults.BlockSeconds;
        var duration = ReadDuration(root, blockSeconds) ?? defaults.DurationBlocks;
        var driver = root.Optional("driver")?.AsString() ?? defaults.Driver;
        CheckAsset(root, "driver", driver, knownAssets);

        var pathNode = root.Optional("path");
        var path = pathNode is null ? ScaleDefaultPath(defaults, duration) : ReadPath(pathNode, blockSeconds, duration);

        var betas = new Dictionary<string, BigInteger>(defaults.BetasWad.Where(kv => knownAssets?.Contains(kv.Key) ?? true));
        if (root.Optional("betas") is { } betasNode)
        {
            foreach (var (asset, value) in betasNode.Entries())
            {
                CheckAsset(betasNode, asset, asset, knownAssets);
                betas[asset] = value.AsWad("-5", "5");
            }
        }

        var assetPaths = new Dictionary<string, IReadOnlyList<PathPoint>>();
        if (root.Optional("assetPaths") is { } assetPathsNode)
        {
            foreach (var (asset, value) in assetPathsNode.Entries())
            {
                CheckAsset(assetPathsNode, asset, asset, knownAssets);
                assetPaths[asset] = ReadPath(value, blockSeconds, duration);
            }
        }

        var noise = root.Optional("noiseBpsPerBlock")?.AsInt(0, 1000) ?? 0;
        var market = ReadMarket(root.Optional("market"), knownAssets);
        var oracles = ReadOracles(root.Optional("oracles"), knownAssets);
        var settle = root.Optional("maxSettleBlocks")?.AsInt(0, 100_000) ?? defaults.MaxSettleBlocks;
        var name = root.Optional("name")?.AsString() ?? Path.GetFileNameWithoutExtension(source);
        var description = root.Optional("description")?.AsString() ?? string.Empty;
        root.RejectUnknownKeys();

        return new Scenario(name, description, blockSeconds, duration, driver, path, betas, assetPaths, noise, market, oracles, settle);
    }

    private static int? ReadDuration(ScenarioNode root, int blockSeconds)
    {
        var blocks = root.Optional("durationBlocks")?.AsInt(1, 1_000_000);
        var hours = root.Optional("durationHours")?.AsWad("0.000001", "10000");
        if (blocks is not null && hours is not null)
        {
            throw root.Error("give durationBlocks or durationHours, not both", "durationHours");
        }

        return blocks ?? (hours is { } h ? HoursToBlocks(h, blockSeconds, root, "durationHours") : null);
    }

    private static int HoursToBlocks(BigInteger hoursWad, int blockSeconds, ScenarioNode node, string field)
    {
        var blocks = hoursWad * 3600 / (blockSeconds * Wad.One);
        if (blocks < 1 && hoursWad > 0)
        {
            throw node.Error("is shorter than one block", field);
        }

        return (int)blocks;
    }

    private static List<PathPoint> ScaleDefaultPath(Scenario defaults, int duration) =>
        defaults.DriverPath.Select(p => p with { Block = (int)((long)p.Block * duration / defaults.DurationBlocks) }).ToList();

    private static List<PathPoint> ReadPath(ScenarioNode node, int blockSeconds, int duration)
    {
        var points = new List<PathPoint>();
        foreach (var item in node.Items())
        {
            var hours = item.Optional("hours")?.AsWad("0", "10000");
            var block = item.Optional("block")?.AsInt(0, 10_000_000);
            if ((hours is null) == (block is null))
            {
                throw item.Error("each point needs exactly one of 'hours' or 'block'");
            }

            var at = block ?? (hours!.Value.IsZero ? 0 : HoursToBlocks(hours.Value, blockSeconds, item, "hours"));
            var multiplier = item.Required("multiplier").AsWad("0.000001", "100");
            item.RejectUnknownKeys();
            if (points.Count > 0 && at <= points[^1].Block)
            {
                throw item.Error($"points must be in increasing time order (block {at} after block {points[^1].Block})");
            }

            if (at > duration)
            {
                throw item.Error($"lies after the scenario's end (block {at} > duration {duration} blocks)");
            }

            points.Add(new PathPoint(at, multiplier));
        }

        if (points.Count == 0)
        {
            throw node.Error("needs at least one point");
        }

        if (points[0].Block != 0)
        {
            points.Insert(0, new PathPoint(0, Wad.One));
        }

        return points;
    }

    private static MarketAssumptions ReadMarket(ScenarioNode? node, IReadOnlySet<string>? knownAssets)
    {
        var d = MarketAssumptions.Default;
        if (node is null)
        {
            return d;
        }

        var depth = new Dictionary<string, BigInteger>(d.OffChainDepthUsdPerPercent.Where(kv => knownAssets?.Contains(kv.Key) ?? true));
        if (node.Optional("offChainDepthUsdPerPercent") is { } depthNode)
        {
            foreach (var (asset, value) in depthNode.Entries())
            {
                CheckAsset(depthNode, asset, asset, knownAssets);
                depth[asset] = value.AsInteger(1, long.MaxValue);
            }
        }

        var result = new MarketAssumptions(
            GasPriceGwei: node.Optional("gasPriceGwei")?.AsInt(0, 100_000) ?? d.GasPriceGwei,
            LiquidationGas: node.Optional("liquidationGas")?.AsInteger(21_000, 30_000_000) ?? d.LiquidationGas,
            SwapGasPerHop: node.Optional("swapGasPerHop")?.AsInteger(0, 30_000_000) ?? d.SwapGasPerHop,
            GasPerTickCrossed: node.Optional("gasPerTickCrossed")?.AsInteger(0, 1_000_000) ?? d.GasPerTickCrossed,
            ArbitrageGas: node.Optional("arbitrageGas")?.AsInteger(0, 30_000_000) ?? d.ArbitrageGas,
            LiquidationGasBudgetPerBlock: node.Optional("liquidationGasBudgetPerBlock")?.AsInteger(21_000, 1_000_000_000) ?? d.LiquidationGasBudgetPerBlock,
            FlashLoanFeeBps: node.Optional("flashLoanFeeBps")?.AsInt(0, 10_000) ?? d.FlashLoanFeeBps,
            OffChainDepthUsdPerPercent: depth,
            ImpactHalfLifeBlocks: node.Optional("impactHalfLifeBlocks")?.AsInt(0, 10_000_000) ?? d.ImpactHalfLifeBlocks);
        node.RejectUnknownKeys();
        return result;
    }

    private static Dictionary<string, OracleOverride> ReadOracles(ScenarioNode? node, IReadOnlySet<string>? knownAssets)
    {
        var result = new Dictionary<string, OracleOverride>();
        if (node is null)
        {
            return result;
        }

        foreach (var (asset, value) in node.Entries())
        {
            CheckAsset(node, asset, asset, knownAssets);
            result[asset] = new OracleOverride(
                value.Optional("deviationBps")?.AsInt(0, 10_000),
                value.Optional("heartbeatSeconds")?.AsInt(1, 10_000_000),
                value.Optional("delayBlocks")?.AsInt(0, 10_000));
            value.RejectUnknownKeys();
        }

        return result;
    }

    private static void CheckAsset(ScenarioNode node, string field, string asset, IReadOnlySet<string>? knownAssets)
    {
        if (knownAssets is not null && !knownAssets.Contains(asset))
        {
            throw node.Error($"asset '{asset}' is not in the snapshot (known: {string.Join(", ", knownAssets.Order(StringComparer.Ordinal))})", field);
        }
    }
}
