using System.Numerics;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// Reads a scenario from YAML or JSON text (JSON is read as YAML flow syntax). Every field is
/// checked; an error names the file and the field. See README "Writing a scenario".
/// </summary>
public static class ScenarioLoader
{
    public static Scenario Parse(string text, string source, IReadOnlySet<string>? knownAssets = null) =>
        Parse(text, source, knownAssets, null);

    /// <summary>Reads against a snapshot: assets must be its tokens, and reserve-changing mitigations must fit its reserves.</summary>
    public static Scenario Parse(string text, string source, Core.Snapshot.MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Parse(text, source, snapshot.Tokens.Select(t => t.Symbol).ToHashSet(StringComparer.Ordinal), snapshot.AaveV3Markets);
    }

    private static Scenario Parse(string text, string source, IReadOnlySet<string>? knownAssets, IReadOnlyList<Core.Snapshot.AaveV3MarketSnapshot>? markets)
    {
        var root = ScenarioNode.LoadDocument(text, source, string.Empty);
        var defaults = Scenario.Default;
        var blockSeconds = root.Optional("blockSeconds")?.AsInt(1, 3600) ?? defaults.BlockSeconds;
        var duration = ReadDuration(root, blockSeconds) ?? defaults.DurationBlocks;
        var driver = root.Optional("driver")?.AsString() ?? defaults.Driver;
        CheckAsset(root, "driver", driver, knownAssets);

        var reader = new PathReader(blockSeconds, duration);
        var diffusions = new Dictionary<string, JumpDiffusionSpec>();
        var path = ScaleDefaultPath(defaults, duration);
        if (root.Optional("path") is { } pathNode)
        {
            var read = reader.Read(pathNode, driver, allowDiffusion: true);
            path = [.. read.Points];
            AddDiffusion(diffusions, driver, read.Diffusion);
        }

        var betas = new Dictionary<string, BigInteger>(defaults.BetasWad.Where(kv => knownAssets?.Contains(kv.Key) ?? true));
        var fileBetas = new HashSet<string>(StringComparer.Ordinal);
        if (root.Optional("betas") is { } betasNode)
        {
            foreach (var (asset, value) in betasNode.Entries())
            {
                CheckAsset(betasNode, asset, asset, knownAssets);
                betas[asset] = value.AsWad("-5", "5");
                fileBetas.Add(asset);
            }
        }

        var assetPaths = new Dictionary<string, IReadOnlyList<PathPoint>>();
        if (root.Optional("assetPaths") is { } assetPathsNode)
        {
            foreach (var (asset, value) in assetPathsNode.Entries())
            {
                CheckAsset(assetPathsNode, asset, asset, knownAssets);
                var read = reader.Read(value, asset, allowDiffusion: true);
                assetPaths[asset] = read.Points;
                AddDiffusion(diffusions, asset, read.Diffusion);
            }
        }

        var depegsNode = root.Optional("depegs");
        var depegs = ReadDepegs(depegsNode, reader, driver, knownAssets);
        foreach (var (asset, depeg) in depegs)
        {
            if (assetPaths.ContainsKey(asset) || fileBetas.Contains(asset))
            {
                throw depegsNode!.Error($"a depegged asset follows its peg; remove its {(assetPaths.ContainsKey(asset) ? "assetPaths" : "betas")} entry", asset);
            }

            // The engine passes the driver's liquidation impact on by beta: a depegged asset moves with its peg.
            betas[asset] = depeg.Peg == DepegSpec.Usd || assetPaths.ContainsKey(depeg.Peg) ? BigInteger.Zero
                : depeg.Peg == driver ? betas.GetValueOrDefault(driver, Wad.One) : betas.GetValueOrDefault(depeg.Peg, BigInteger.Zero);
        }

        var idiosyncratic = new Dictionary<string, BigInteger>();
        if (root.Optional("idiosyncraticVolAnnual") is { } idioNode)
        {
            foreach (var (asset, value) in idioNode.Entries())
            {
                CheckAsset(idioNode, asset, asset, knownAssets);
                idiosyncratic[asset] = asset != driver ? value.AsWad("0", "10")
                    : throw idioNode.Error("the driver is the factor: give it a gbm path for its own noise", asset);
            }
        }

        var noise = root.Optional("noiseBpsPerBlock")?.AsInt(0, 1000) ?? 0;
        var market = ReadMarket(root.Optional("market"), knownAssets);
        var oracles = ReadOracles(root.Optional("oracles"), knownAssets);
        var mitigations = ReadMitigations(root.Optional("mitigations"), knownAssets, markets, duration);
        var settle = root.Optional("maxSettleBlocks")?.AsInt(0, 100_000) ?? defaults.MaxSettleBlocks;
        var name = root.Optional("name")?.AsString() ?? Path.GetFileNameWithoutExtension(source);
        var description = root.Optional("description")?.AsString() ?? string.Empty;
        root.RejectUnknownKeys();

        return new Scenario(name, description, blockSeconds, duration, driver, path, betas, assetPaths, noise, market, oracles, settle)
        {
            Diffusions = diffusions,
            IdiosyncraticVolWad = idiosyncratic,
            Depegs = depegs,
            Mitigations = mitigations,
        };
    }

    private static void AddDiffusion(Dictionary<string, JumpDiffusionSpec> diffusions, string asset, JumpDiffusionSpec? spec)
    {
        if (spec is not null)
        {
            diffusions[asset] = spec;
        }
    }

    private static Dictionary<string, DepegSpec> ReadDepegs(ScenarioNode? node, PathReader reader, string driver, IReadOnlySet<string>? knownAssets)
    {
        var result = new Dictionary<string, DepegSpec>();
        if (node is null)
        {
            return result;
        }

        foreach (var (asset, value) in node.Entries())
        {
            CheckAsset(node, asset, asset, knownAssets);
            if (asset == driver)
            {
                throw node.Error("the driver cannot be depegged: it is the factor the others follow", asset);
            }

            var peg = value.Required("peg").AsString();
            if (peg != DepegSpec.Usd)
            {
                CheckAsset(value, "peg", peg, knownAssets);
            }

            if (peg == asset)
            {
                throw value.Error("an asset cannot be pegged to itself", "peg");
            }

            var ratio = reader.Read(value.Required("path"), asset, allowDiffusion: false).Points;
            value.RejectUnknownKeys();
            result[asset] = new DepegSpec(peg, ratio);
        }

        foreach (var (asset, depeg) in result)
        {
            if (result.ContainsKey(depeg.Peg))
            {
                throw node.Error($"pegged to {depeg.Peg}, which is itself depegged; peg to a market asset or USD", $"{asset}.peg");
            }
        }

        return result;
    }

    private static int? ReadDuration(ScenarioNode root, int blockSeconds)
    {
        var blocks = root.Optional("durationBlocks")?.AsInt(1, 1_000_000);
        var hours = root.Optional("durationHours")?.AsWad("0.000001", "10000");
        if (blocks is not null && hours is not null)
        {
            throw root.Error("give durationBlocks or durationHours, not both", "durationHours");
        }

        return blocks ?? (hours is { } h ? PathReader.HoursToBlocks(h, blockSeconds, root, "durationHours") : null);
    }

    private static List<PathPoint> ScaleDefaultPath(Scenario defaults, int duration) =>
        defaults.DriverPath.Select(p => p with { Block = (int)((long)p.Block * duration / defaults.DurationBlocks) }).ToList();

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

    private static Mitigations ReadMitigations(ScenarioNode? node, IReadOnlySet<string>? knownAssets, IReadOnlyList<Core.Snapshot.AaveV3MarketSnapshot>? markets, int duration)
    {
        if (node is null)
        {
            return Mitigations.None;
        }

        // Whole dollars in the file; the engine compares USD with 8 decimals (Aave's base currency).
        var cap = node.Optional("liquidationCapPerBlockUsd")?.AsInteger(1, long.MaxValue / 100_000_000) is { } dollars
            ? new BigInteger(dollars) * 100_000_000
            : (BigInteger?)null;
        CircuitBreakerSpec? breaker = null;
        if (node.Optional("circuitBreaker") is { } b)
        {
            var move = b.Required("movePercent").AsWad("0.01", "100");
            var window = b.Required("windowBlocks").AsInt(1, 100_000);
            var pause = b.Required("pause");
            if (pause.AsString() != "liquidations")
            {
                // Borrows are not simulated (no new positions open during a run), so only liquidations can pause.
                throw pause.Error($"'{pause.AsString()}' cannot be paused; the only value is 'liquidations'");
            }

            b.RejectUnknownKeys();
            breaker = new CircuitBreakerSpec(move, window);
        }

        TwapOracleSpec? twap = null;
        if (node.Optional("twapOracle") is { } t)
        {
            var asset = t.Required("asset").AsString();
            CheckAsset(t, "asset", asset, knownAssets);
            var window = t.Required("windowBlocks").AsInt(1, 100_000);
            var pool = t.Optional("pool")?.AsString();
            if (pool is not null && !Core.Primitives.Address.TryParse(pool, out _))
            {
                throw t.Error($"'{pool}' is not a 0x-prefixed 20-byte address", "pool");
            }

            t.RejectUnknownKeys();
            twap = new TwapOracleSpec(asset, window, pool);
        }

        var read = new Mitigations(cap, breaker, twap)
        {
            DynamicThreshold = ReserveMitigationReader.ReadDynamicThreshold(node.Optional("dynamicThreshold"), knownAssets),
            ParameterChanges = ReserveMitigationReader.ReadParameterChanges(node.Optional("parameterChanges"), knownAssets, duration),
        };
        node.RejectUnknownKeys();
        if (markets is not null)
        {
            ReserveMitigationReader.Check(node, read, markets);
        }

        return read;
    }

    private static void CheckAsset(ScenarioNode node, string field, string asset, IReadOnlySet<string>? knownAssets)
    {
        if (knownAssets is not null && !knownAssets.Contains(asset))
        {
            throw node.Error($"asset '{asset}' is not in the snapshot (known: {string.Join(", ", knownAssets.Order(StringComparer.Ordinal))})", field);
        }
    }
}
