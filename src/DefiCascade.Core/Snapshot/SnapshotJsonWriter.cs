using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// Hand-written so the layout is ours: a 20,000-position book stays diffable (one line per
/// position) instead of one line per number as an indented serializer would print it.
/// </summary>
internal sealed class SnapshotJsonWriter
{
    private readonly StringBuilder _out = new();

    public static string Write(MarketSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var w = new SnapshotJsonWriter();
        w.Root(s);
        return w._out.ToString();
    }

    private void Root(MarketSnapshot s)
    {
        Line("{");
        Line($"  \"schema\": {Str(s.Schema)},");
        Line($"  \"chainId\": {Num(s.ChainId)},");
        Line($"  \"blockNumber\": {Num(s.BlockNumber)},");
        Line($"  \"blockTimestamp\": {Num(s.BlockTimestamp)},");
        Line("  \"origin\": {");
        Line($"    \"kind\": {Str(s.Origin.Kind)},");
        Line($"    \"description\": {Str(s.Origin.Description)},");
        Line($"    \"coverage\": {Str(s.Origin.Coverage)},");
        Line("    \"sources\": {");
        var sources = s.Origin.Sources.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < sources.Count; i++)
        {
            Line($"      {Str(sources[i].Key)}: {Str(sources[i].Value)}{Comma(i, sources.Count)}");
        }

        Line("    }");
        Line("  },");
        Array("  ", "tokens", s.Tokens, t => $"{{\"symbol\": {Str(t.Symbol)}, \"address\": {Str(t.Address.Hex)}, \"decimals\": {Num(t.Decimals)}, \"source\": {Str(t.Source)}}}", true);
        Array("  ", "prices", s.Prices, p => $"{{\"asset\": {Str(p.Asset)}, \"usdAnswer\": {Big(p.UsdAnswer)}, \"decimals\": {Num(p.Decimals)}, \"source\": {Str(p.Source)}}}", true);
        Array("  ", "oracles", s.Oracles, Oracle, true);
        Line("  \"aaveV3Markets\": [");
        for (var i = 0; i < s.AaveV3Markets.Count; i++)
        {
            Market(s.AaveV3Markets[i], Comma(i, s.AaveV3Markets.Count));
        }

        Line("  ],");

        // Optional: written only when present, so a snapshot without Morpho markets reads as it did before the section existed.
        if (s.MorphoBlueMarkets.Count > 0)
        {
            Line("  \"morphoBlueMarkets\": [");
            for (var i = 0; i < s.MorphoBlueMarkets.Count; i++)
            {
                MorphoMarket(s.MorphoBlueMarkets[i], Comma(i, s.MorphoBlueMarkets.Count));
            }

            Line("  ],");
        }

        Line("  \"pools\": [");
        for (var i = 0; i < s.Pools.Count; i++)
        {
            Pool(s.Pools[i], Comma(i, s.Pools.Count));
        }

        Line("  ]");
        Line("}");
    }

    private static string Oracle(OracleFeedSnapshot o)
    {
        var derived = o.BaseAsset is null ? string.Empty : $", \"baseAsset\": {Str(o.BaseAsset)}";
        derived += o.RatioWad is { } r ? $", \"ratioWad\": {Big(r)}" : string.Empty;
        return $"{{\"asset\": {Str(o.Asset)}, \"kind\": {Str(o.Kind)}, \"answer\": {Big(o.Answer)}, \"decimals\": {Num(o.Decimals)}, "
            + $"\"deviationBps\": {Num(o.DeviationBps)}, \"heartbeatSeconds\": {Num(o.HeartbeatSeconds)}{derived}, \"source\": {Str(o.Source)}}}";
    }

    private void Market(AaveV3MarketSnapshot m, string trailing)
    {
        Line("    {");
        Line($"      \"name\": {Str(m.Name)},");
        Line($"      \"version\": {Str(m.Version)},");
        Line($"      \"pool\": {Str(m.Pool.Hex)},");
        Line($"      \"positionsSource\": {Str(m.PositionsSource)},");
        Array("      ", "eModes", m.EModes, EMode, true);
        Array("      ", "reserves", m.Reserves, Reserve, true);
        Array("      ", "positions", m.Positions, Position, false);
        Line("    }" + trailing);
    }

    private void MorphoMarket(MorphoBlueMarketSnapshot m, string trailing)
    {
        Line("    {");
        Line($"      \"id\": {Str(m.Id)},");
        Line($"      \"morpho\": {Str(m.Morpho.Hex)},");
        Line($"      \"loanToken\": {Str(m.LoanToken)},");
        Line($"      \"collateralToken\": {Str(m.CollateralToken)},");
        Line($"      \"oracle\": {Str(m.Oracle.Hex)},");
        Line($"      \"irm\": {Str(m.Irm.Hex)},");
        Line($"      \"lltv\": {Big(m.Lltv)},");
        Line($"      \"oraclePrice\": {Big(m.OraclePrice)},");
        Line($"      \"totalSupplyAssets\": {Big(m.TotalSupplyAssets)},");
        Line($"      \"totalSupplyShares\": {Big(m.TotalSupplyShares)},");
        Line($"      \"totalBorrowAssets\": {Big(m.TotalBorrowAssets)},");
        Line($"      \"totalBorrowShares\": {Big(m.TotalBorrowShares)},");
        Line($"      \"lastUpdate\": {Num(m.LastUpdate)},");
        Line($"      \"fee\": {Big(m.Fee)},");
        Line($"      \"source\": {Str(m.Source)},");
        Line($"      \"positionsSource\": {Str(m.PositionsSource)},");
        Array(
            "      ",
            "positions",
            m.Positions,
            p => $"{{\"user\":{Str(p.User.Hex)},\"supplyShares\":{Big(p.SupplyShares)},\"borrowShares\":{Big(p.BorrowShares)},\"collateral\":{Big(p.Collateral)}}}",
            false);
        Line("    }" + trailing);
    }

    private static string EMode(EModeCategorySnapshot e)
    {
        var priceSource = e.PriceSourceAsset is null ? string.Empty : $", \"priceSourceAsset\": {Str(e.PriceSourceAsset)}";
        return $"{{\"id\": {Num(e.Id)}, \"label\": {Str(e.Label)}, \"ltvBps\": {Num(e.LtvBps)}, \"liquidationThresholdBps\": {Num(e.LiquidationThresholdBps)}, "
            + $"\"liquidationBonusBps\": {Num(e.LiquidationBonusBps)}{priceSource}, \"source\": {Str(e.Source)}}}";
    }

    private static string Reserve(AaveReserveSnapshot r) =>
        $"{{\"asset\": {Str(r.Asset)}, \"ltvBps\": {Num(r.LtvBps)}, \"liquidationThresholdBps\": {Num(r.LiquidationThresholdBps)}, "
        + $"\"liquidationBonusBps\": {Num(r.LiquidationBonusBps)}, \"liquidationProtocolFeeBps\": {Num(r.LiquidationProtocolFeeBps)}, "
        + $"\"reserveFactorBps\": {Num(r.ReserveFactorBps)}, \"eModeCategory\": {Num(r.EModeCategory)}, "
        + $"\"usageAsCollateralEnabled\": {Bool(r.UsageAsCollateralEnabled)}, \"borrowingEnabled\": {Bool(r.BorrowingEnabled)}, "
        + $"\"active\": {Bool(r.Active)}, \"frozen\": {Bool(r.Frozen)}, \"paused\": {Bool(r.Paused)}, "
        + $"\"supplyCap\": {Big(r.SupplyCap)}, \"borrowCap\": {Big(r.BorrowCap)}, "
        + (r.LiquidityIndex is { } li ? $"\"liquidityIndex\": {Big(li)}, " : string.Empty)
        + (r.VariableBorrowIndex is { } vi ? $"\"variableBorrowIndex\": {Big(vi)}, " : string.Empty)
        + $"\"source\": {Str(r.Source)}}}";

    private static string Position(AavePositionSnapshot p) =>
        $"{{\"user\":{Str(p.User.Hex)},\"eMode\":{Num(p.EMode)},\"collateral\":{Balances(p.Collateral)},\"debt\":{Balances(p.Debt)}}}";

    private static string Balances(IReadOnlyList<AssetBalance> balances) =>
        "{" + string.Join(",", balances.Select(b => $"{Str(b.Asset)}:{Big(b.Amount)}")) + "}";

    private void Pool(PoolSnapshot pool, string trailing)
    {
        Line("    {");
        Line($"      \"kind\": {Str(pool.Kind)},");
        Line($"      \"address\": {Str(pool.Address.Hex)},");
        Line($"      \"token0\": {Str(pool.Token0)},");
        Line($"      \"token1\": {Str(pool.Token1)},");
        switch (pool)
        {
            case UniswapV2PoolSnapshot v2:
                Line($"      \"reserve0\": {Big(v2.Reserve0)},");
                Line($"      \"reserve1\": {Big(v2.Reserve1)},");
                break;
            case UniswapV3PoolSnapshot v3:
                Line($"      \"fee\": {Num(v3.Fee)},");
                Line($"      \"tickSpacing\": {Num(v3.TickSpacing)},");
                Line($"      \"sqrtPriceX96\": {Big(v3.SqrtPriceX96)},");
                Line($"      \"tick\": {Num(v3.Tick)},");
                Line($"      \"liquidity\": {Big(v3.Liquidity)},");
                if (v3.TickBookLower is { } lower)
                {
                    Line($"      \"tickBookLower\": {Num(lower)},");
                }

                if (v3.TickBookUpper is { } upper)
                {
                    Line($"      \"tickBookUpper\": {Num(upper)},");
                }

                Array("      ", "ticks", v3.Ticks, t => $"{{\"index\": {Num(t.Index)}, \"liquidityNet\": {Big(t.LiquidityNet)}, \"liquidityGross\": {Big(t.LiquidityGross)}}}", true);
                break;
            default:
                throw new ArgumentException($"pool kind {pool.GetType().Name} has no JSON form", nameof(pool));
        }

        Line($"      \"source\": {Str(pool.Source)}");
        Line("    }" + trailing);
    }

    private void Array<T>(string indent, string name, IReadOnlyList<T> items, Func<T, string> item, bool more)
    {
        if (items.Count == 0)
        {
            Line($"{indent}\"{name}\": []{(more ? "," : string.Empty)}");
            return;
        }

        Line($"{indent}\"{name}\": [");
        for (var i = 0; i < items.Count; i++)
        {
            Line(indent + "  " + item(items[i]) + Comma(i, items.Count));
        }

        Line($"{indent}]{(more ? "," : string.Empty)}");
    }

    private void Line(string text) => _out.Append(text).Append('\n');

    private static string Comma(int i, int count) => i < count - 1 ? "," : string.Empty;

    // Relaxed escaping keeps "§" and "+" readable in citations; output stays valid JSON.
    private static string Str(string value) => "\"" + JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    private static string Big(BigInteger value) => "\"" + value.ToString(CultureInfo.InvariantCulture) + "\"";

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";
}
