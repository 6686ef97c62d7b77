using System.Globalization;
using System.Numerics;
using System.Text;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>Depth of one pool: USD of each token sold to move its pool price down 1% and 2% (before fees).</summary>
public sealed record PoolDepthSummary(string Address, string Pair, string Kind, int Fee, double TvlUsd, double Sell0At1, double Sell0At2, double Sell1At1, double Sell1At2);

/// <summary>
/// Report-side statistics of a snapshot (doubles, for the README and test output; never fed back
/// into the simulation).
/// </summary>
public sealed record MarketSummary(
    int Accounts,
    IReadOnlyDictionary<string, double> CollateralUsd,
    IReadOnlyDictionary<string, double> DebtUsd,
    IReadOnlyDictionary<string, double> BucketShares,
    IReadOnlyDictionary<string, double> HealthFactorShares,
    double LoopDebtShare,
    IReadOnlyList<CurvePoint> Curve,
    IReadOnlyList<PoolDepthSummary> Pools)
{
    public static readonly (string Label, double Upper)[] HfBands =
        [("1.00-1.05", 1.05), ("1.05-1.10", 1.10), ("1.10-1.25", 1.25), ("1.25-1.50", 1.5), ("1.50-2.00", 2.0), (">= 2.00", double.PositiveInfinity)];

    public static MarketSummary Of(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var market = snapshot.AaveV3Markets[0];
        var v = new AccountValuation(snapshot, market);
        var collateral = market.Reserves.ToDictionary(r => r.Asset, _ => 0.0);
        var debt = market.Reserves.ToDictionary(r => r.Asset, _ => 0.0);
        var buckets = PositionGenerator.Buckets.ToDictionary(b => b.Name, _ => 0.0);
        var hf = HfBands.ToDictionary(b => b.Label, _ => 0.0);
        double loopDebt = 0, totalDebt = 0;
        foreach (var p in market.Positions)
        {
            var c = Usd(v.CollateralBase(p.Collateral));
            foreach (var b in p.Collateral)
            {
                collateral[b.Asset] += Usd(v.ValueDown(b.Asset, b.Amount));
            }

            foreach (var b in p.Debt)
            {
                debt[b.Asset] += Usd(v.ValueUp(b.Asset, b.Amount));
            }

            buckets[PositionGenerator.Buckets.First(b => c < b.MaxUsd || b == PositionGenerator.Buckets[^1]).Name]++;
            if (v.HealthFactorWad(p) is { } wad)
            {
                var h = (double)wad / 1e18;
                hf[HfBands.First(b => h < b.Upper).Label]++;
                var d = Usd(v.DebtBase(p.Debt));
                totalDebt += d;
                loopDebt += p.EMode != 0 ? d : 0;
            }
        }

        var n = System.Math.Max(1, market.Positions.Count);
        return new MarketSummary(
            market.Positions.Count,
            collateral,
            debt,
            buckets.ToDictionary(kv => kv.Key, kv => kv.Value / n),
            hf.ToDictionary(kv => kv.Key, kv => kv.Value / n),
            totalDebt > 0 ? loopDebt / totalDebt : 0,
            StaticLiquidationCurve.Of(snapshot),
            snapshot.Pools.Select(pool => Depth(snapshot, pool)).ToList());
    }

    private static PoolDepthSummary Depth(MarketSnapshot s, PoolSnapshot pool)
    {
        var price = s.Prices.ToDictionary(p => p.Asset);
        double UsdOf(string asset, double raw) =>
            raw * (double)price[asset].UsdAnswer / System.Math.Pow(10, price[asset].Decimals + s.Token(asset).Decimals);
        var pair = $"{pool.Token0}/{pool.Token1}";
        if (pool is UniswapV2PoolSnapshot v2)
        {
            // x*y = k: selling into reserve R moves that token's price down f with R * (1/sqrt(1-f) - 1).
            double SellV2(BigInteger reserve, double f) => (double)reserve * ((1 / System.Math.Sqrt(1 - f)) - 1);
            return new PoolDepthSummary(
                pool.Address.Hex, pair, pool.Kind, 3000, UsdOf(pool.Token0, (double)v2.Reserve0) + UsdOf(pool.Token1, (double)v2.Reserve1),
                UsdOf(pool.Token0, SellV2(v2.Reserve0, 0.01)), UsdOf(pool.Token0, SellV2(v2.Reserve0, 0.02)),
                UsdOf(pool.Token1, SellV2(v2.Reserve1, 0.01)), UsdOf(pool.Token1, SellV2(v2.Reserve1, 0.02)));
        }

        var v3 = (UniswapV3PoolSnapshot)pool;
        var book = v3.Ticks.Select(t => (t.Index, (double)t.LiquidityNet)).ToList();
        var (a0, a1) = V3BookMath.Holdings(book, v3.SqrtPriceX96);
        double Sell(bool zero, double f) => UsdOf(zero ? pool.Token0 : pool.Token1, V3BookMath.SellToMove(book, v3.SqrtPriceX96, v3.Tick, f, zero));
        return new PoolDepthSummary(
            pool.Address.Hex, pair, pool.Kind, v3.Fee, UsdOf(pool.Token0, a0) + UsdOf(pool.Token1, a1),
            Sell(true, 0.01), Sell(true, 0.02), Sell(false, 0.01), Sell(false, 0.02));
    }

    private static double Usd(BigInteger base8) => (double)base8 / 1e8;

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        string M(double usd) => (usd / 1e6).ToString("N1", CultureInfo.InvariantCulture);
        string P(double share) => (share * 100).ToString("N1", CultureInfo.InvariantCulture) + "%";
        string P2(double share) => (share * 100).ToString("N2", CultureInfo.InvariantCulture) + "%";
        sb.Append(CultureInfo.InvariantCulture, $"Accounts: {Accounts:N0}\n\n| Reserve | Collateral $M | Debt $M |\n|---|---:|---:|\n");
        foreach (var asset in CollateralUsd.Keys)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {asset} | {M(CollateralUsd[asset])} | {M(DebtUsd[asset])} |\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"| **Total** | {M(CollateralUsd.Values.Sum())} | {M(DebtUsd.Values.Sum())} |\n\n| Size bucket | Share of accounts |\n|---|---:|\n");
        foreach (var (name, share) in BucketShares)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {P(share)} |\n");
        }

        sb.Append("\n| Health factor | Share of accounts |\n|---|---:|\n");
        foreach (var (band, share) in HealthFactorShares)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {band} | {P(share)} |\n");
        }

        var stable = DebtUsd.Where(kv => kv.Key is MarketCatalog.Usdc or MarketCatalog.Usdt or MarketCatalog.Dai).Sum(kv => kv.Value) / DebtUsd.Values.Sum();
        sb.Append(CultureInfo.InvariantCulture, $"\nStablecoin debt {P(stable)} of all debt; e-mode loop debt {P(LoopDebtShare)}.\n\n");
        sb.Append("| ETH move (BTC 0.7x) | Debt HF < 1 | Target | Band | Accounts HF < 1 |\n|---:|---:|---:|---|---:|\n");
        foreach (var point in Curve)
        {
            var target = StaticLiquidationCurve.Targets.SingleOrDefault(t => t.EthMoveBps == point.EthMoveBps);
            var band = target is null ? "-" : $"{P2(target.Low)} - {P2(target.High)}";
            sb.Append(CultureInfo.InvariantCulture, $"| {point.EthMoveBps / 100}% | {P2(point.DebtShare)} | {(target is null ? "-" : P2(target.Share))} | {band} | {P2(point.AccountShare)} |\n");
        }

        sb.Append('\n');
        sb.Append("| Pool | Kind | Fee | TVL $M | sell token0 -1% $M | -2% $M | sell token1 -1% $M | -2% $M |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var p in Pools)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {p.Pair} `{p.Address}` | {p.Kind} | {p.Fee} | {M(p.TvlUsd)} | {M(p.Sell0At1)} | {M(p.Sell0At2)} | {M(p.Sell1At1)} | {M(p.Sell1At2)} |\n");
        }

        return sb.ToString();
    }
}
