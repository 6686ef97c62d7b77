using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

internal sealed partial class SnapshotJsonReader
{
    private AaveV3MarketSnapshot ReadAaveMarket(JsonNodeReader node)
    {
        node.AllowOnly("name", "version", "pool", "positionsSource", "reserves", "eModes", "positions");
        var eModes = ReadEModes(node.Child("eModes"));
        var eModeIds = eModes.Select(e => e.Id).ToHashSet();
        var reserves = ReadReserves(node.Child("reserves"), eModeIds);
        var reserveAssets = reserves.Select(r => r.Asset).ToHashSet(StringComparer.Ordinal);
        var positionsSourceNode = node.Child("positionsSource");
        var positionsSource = positionsSourceNode.NonEmptyString();
        if (!_sources.ContainsKey(positionsSource))
        {
            throw positionsSourceNode.Error($"'{positionsSource}' is not a key of origin.sources");
        }

        return new AaveV3MarketSnapshot(
            node.Child("name").NonEmptyString(),
            node.Child("version").NonEmptyString(),
            node.Child("pool").Address(),
            reserves,
            eModes,
            ReadPositions(node.Child("positions"), eModeIds, reserveAssets),
            positionsSource);
    }

    private List<EModeCategorySnapshot> ReadEModes(JsonNodeReader list)
    {
        var result = new List<EModeCategorySnapshot>();
        foreach (var node in list.Items())
        {
            node.AllowOnly("id", "label", "ltvBps", "liquidationThresholdBps", "liquidationBonusBps", "priceSourceAsset", "source");
            var idNode = node.Child("id");
            var id = idNode.Int(1, 255);
            if (result.Any(e => e.Id == id))
            {
                throw idNode.Error($"duplicate e-mode category {id}");
            }

            var (ltv, lt, bonus) = ReadThresholds(node);
            var priceSource = node.Optional("priceSourceAsset") is { } p ? Asset(p) : null;
            result.Add(new EModeCategorySnapshot(id, node.Child("label").NonEmptyString(), ltv, lt, bonus, priceSource, ReadSource(node)));
        }

        return result;
    }

    private List<AaveReserveSnapshot> ReadReserves(JsonNodeReader list, HashSet<int> eModeIds)
    {
        var result = new List<AaveReserveSnapshot>();
        foreach (var node in list.Items())
        {
            node.AllowOnly(
                "asset", "ltvBps", "liquidationThresholdBps", "liquidationBonusBps", "liquidationProtocolFeeBps", "reserveFactorBps",
                "eModeCategory", "usageAsCollateralEnabled", "borrowingEnabled", "active", "frozen", "paused", "supplyCap", "borrowCap", "liquidityIndex", "variableBorrowIndex", "source");
            var assetNode = node.Child("asset");
            var asset = Asset(assetNode);
            if (result.Any(r => r.Asset == asset))
            {
                throw assetNode.Error($"duplicate reserve '{asset}'");
            }

            // A missing price is an error, never a default: the simulator would value the reserve at 0.
            if (!_fed.Contains(asset))
            {
                throw assetNode.Error($"reserve '{asset}' has no oracle feed");
            }

            if (!_priced.Contains(asset))
            {
                throw assetNode.Error($"reserve '{asset}' has no market price");
            }

            var (ltv, lt, bonus) = ReadThresholds(node);
            var eModeNode = node.Child("eModeCategory");
            var eMode = eModeNode.Int(0, 255);
            if (eMode != 0 && !eModeIds.Contains(eMode))
            {
                throw eModeNode.Error($"e-mode category {eMode} is not defined in eModes");
            }

            result.Add(new AaveReserveSnapshot(
                asset,
                ltv,
                lt,
                bonus,
                node.Child("liquidationProtocolFeeBps").Int(0, 10_000),
                node.Child("reserveFactorBps").Int(0, 10_000),
                eMode,
                node.Child("usageAsCollateralEnabled").Bool(),
                node.Child("borrowingEnabled").Bool(),
                node.Child("active").Bool(),
                node.Child("frozen").Bool(),
                node.Child("paused").Bool(),
                node.Child("supplyCap").Unsigned(),
                node.Child("borrowCap").Unsigned(),
                ReadSource(node))
            {
                LiquidityIndex = ReadIndex(node, "liquidityIndex"),
                VariableBorrowIndex = ReadIndex(node, "variableBorrowIndex"),
            });
        }

        return result;
    }

    /// <summary>An optional index (ray string); Aave indexes start at 1e27 and only grow, so a smaller one is a data error.</summary>
    private static BigInteger? ReadIndex(JsonNodeReader node, string name)
    {
        if (node.Optional(name) is not { } indexNode)
        {
            return null;
        }

        var index = indexNode.Unsigned();
        return index < WadRayMath.Ray ? throw indexNode.Error($"{index} is below 1e27 (an Aave index starts at one ray and only grows)") : index;
    }

    /// <summary>
    /// PoolConfigurator.configureReserveAsCollateral / setEModeCategory: ltv &lt;= lt, bonus above 100%,
    /// and lt.percentMul(bonus) &lt;= 100% so a liquidation cannot seize more than the collateral;
    /// a reserve with lt 0 (not collateral) must have bonus 0.
    /// </summary>
    private static (int Ltv, int Lt, int Bonus) ReadThresholds(JsonNodeReader node)
    {
        var ltv = node.Child("ltvBps").Int(0, 10_000);
        var ltNode = node.Child("liquidationThresholdBps");
        var lt = ltNode.Int(0, 10_000);
        if (lt < ltv)
        {
            throw ltNode.Error($"{lt} is below ltvBps {ltv}");
        }

        var bonusNode = node.Child("liquidationBonusBps");
        var bonus = bonusNode.Int(0, 100_000);
        if (lt == 0)
        {
            return bonus == 0 ? (ltv, lt, bonus) : throw bonusNode.Error($"{bonus} must be 0 when liquidationThresholdBps is 0");
        }

        if (bonus < 10_000)
        {
            throw bonusNode.Error($"{bonus} is out of range (>= 10000, the bonus includes the repaid 100%)");
        }

        if (PercentageMath.PercentMul(lt, bonus) > PercentageMath.PercentageFactor)
        {
            throw bonusNode.Error($"liquidationThresholdBps {lt} x liquidationBonusBps {bonus} / 10000 exceeds 10000");
        }

        return (ltv, lt, bonus);
    }

    private List<AavePositionSnapshot> ReadPositions(JsonNodeReader list, HashSet<int> eModeIds, HashSet<string> reserves)
    {
        // Sized once: a 1M-position list and user set otherwise grow by doubling, rehashing every user each time.
        var count = list.Element.ValueKind == JsonValueKind.Array ? list.Element.GetArrayLength() : 0;
        var result = new List<AavePositionSnapshot>(count);
        var users = new HashSet<Address>(count);
        foreach (var node in list.Items())
        {
            node.AllowOnly("user", "eMode", "collateral", "debt");
            var userNode = node.Child("user");
            var user = userNode.Address();
            if (!users.Add(user))
            {
                throw userNode.Error($"duplicate user {user}");
            }

            var eModeNode = node.Child("eMode");
            var eMode = eModeNode.Int(0, 255);
            if (eMode != 0 && !eModeIds.Contains(eMode))
            {
                throw eModeNode.Error($"e-mode category {eMode} is not defined in eModes");
            }

            result.Add(new AavePositionSnapshot(user, eMode, ReadBalances(node.Child("collateral"), reserves), ReadBalances(node.Child("debt"), reserves)));
        }

        return result;
    }

    // An exact-size array, not a list: a 1M-position book holds two per position (a list is 32 more bytes each).
    private AssetBalance[] ReadBalances(JsonNodeReader node, HashSet<string> reserves)
    {
        var count = node.Element.ValueKind == JsonValueKind.Object ? node.Element.GetPropertyCount() : 0;
        var balances = count == 0 ? [] : new AssetBalance[count];
        var filled = 0;
        foreach (var (symbol, amountNode) in node.Properties(_tokenNames ??= [.. _tokens.Keys.Select(k => (System.Text.Encoding.UTF8.GetBytes(k), k))]))
        {
            if (!_tokens.ContainsKey(symbol))
            {
                throw amountNode.Error($"unknown asset symbol '{symbol}' (not in tokens)");
            }

            if (!reserves.Contains(symbol))
            {
                throw amountNode.Error($"'{symbol}' is not a reserve of this market");
            }

            BigInteger amount = amountNode.Unsigned();
            balances[filled++] = new AssetBalance(symbol, amount);
        }

        return balances;
    }
}
