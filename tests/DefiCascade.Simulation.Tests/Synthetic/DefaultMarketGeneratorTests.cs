using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Simulation.Tests.Synthetic;

public class DefaultMarketGeneratorTests
{
    private static readonly Lazy<MarketSnapshot> Default = new(() => DefaultMarketGenerator.Generate(new MarketGeneratorOptions()));

    private static AaveV3MarketSnapshot Market => Default.Value.AaveV3Markets[0];

    [Fact]
    public void Size_buckets_match_the_readme_within_one_and_a_half_points()
    {
        // Bucket edges in USD (README table, Kaiko 2025-08-18): dust < 100, small < 10k, mid < 100k, large < 1M, whale >= 1M.
        double[] edges = [100, 10_000, 100_000, 1_000_000];
        double[] expected = [0.03, 0.30, 0.30, 0.26, 0.11];
        var counts = new int[5];
        foreach (var p in Market.Positions)
        {
            var usd = (double)CollateralUsd8(p) / 1e8;
            counts[edges.Count(e => usd >= e)]++;
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.InRange((double)counts[i] / Market.Positions.Count, expected[i] - 0.015, expected[i] + 0.015);
        }
    }

    [Fact]
    public void No_account_starts_liquidatable_or_above_its_ltv_exactly()
    {
        foreach (var p in Market.Positions)
        {
            Assert.NotEmpty(p.Debt);
            // Exact rationals on a common denominator of 1e18 / unit: sum(c * price * LT / 1e4) >= sum(d * price).
            BigInteger threshold = 0, capacity = 0, debt = 0;
            foreach (var c in p.Collateral)
            {
                var (ltv, lt) = Thresholds(c.Asset, p.EMode);
                threshold += Scaled(c) * lt;
                capacity += Scaled(c) * ltv;
            }

            foreach (var d in p.Debt)
            {
                debt += Scaled(d) * 10_000;
            }

            Assert.True(threshold >= debt, $"{p.User} starts with HF < 1");
            Assert.True(capacity >= debt, $"{p.User} borrows above its LTV");
        }
    }

    [Fact]
    public void Health_factor_distribution_has_a_thin_near_one_tail_and_careful_small_accounts()
    {
        var v = new AccountValuation(Default.Value, Market);
        var hfs = Market.Positions.Select(p => (double)v.HealthFactorWad(p)!.Value / 1e18).ToList();
        Assert.True(hfs.Min() >= 1.0);
        // A tail exists (small moves liquidate someone) but is no longer a quarter of the book (README table).
        Assert.InRange(hfs.Count(h => h < 1.05) / (double)hfs.Count, 0.015, 0.06);
        Assert.InRange(hfs.Count(h => h < 1.10) / (double)hfs.Count, 0.04, 0.15);
        var small = Market.Positions.Where(p => (double)CollateralUsd8(p) / 1e8 < 10_000 && p.EMode == 0).ToList();
        var careful = small.Count(p => (double)v.HealthFactorWad(p)!.Value / 1e18 >= 1.5);
        Assert.True(careful >= 0.70 * small.Count, $"{careful} of {small.Count} small non-loop accounts keep HF >= 1.5");
    }

    [Fact]
    public void Protocol_rules_are_respected()
    {
        Assert.DoesNotContain(Market.Positions, p => p.Debt.Any(d => d.Asset == "wstETH"));
        Assert.DoesNotContain(Market.Positions, p => p.Collateral.Any(c => c.Asset == "DAI"));
        Assert.All(Market.Positions.Where(p => p.EMode == 1), p => Assert.All(p.Debt, d => Assert.Equal("WETH", d.Asset)));
        Assert.Equal(Market.Positions.Count, Market.Positions.Select(p => p.User).Distinct().Count());
        Assert.Contains(Market.Positions, p => (double)CollateralUsd8(p) / 1e8 < 100);
    }

    [Fact]
    public void V3_books_are_consistent()
    {
        var tokens = Default.Value.Tokens.ToDictionary(t => t.Symbol);
        foreach (var pool in Default.Value.Pools)
        {
            Assert.True(string.CompareOrdinal(tokens[pool.Token0].Address.Hex, tokens[pool.Token1].Address.Hex) < 0, $"{pool.Address} token order");
            if (pool is not UniswapV3PoolSnapshot v3)
            {
                continue;
            }

            Assert.Equal(BigInteger.Zero, v3.Ticks.Aggregate(BigInteger.Zero, (s, t) => s + t.LiquidityNet));
            Assert.Equal(v3.Liquidity, v3.Ticks.Where(t => t.Index <= v3.Tick).Aggregate(BigInteger.Zero, (s, t) => s + t.LiquidityNet));
            Assert.Equal(v3.Tick, TickMath.GetTickAtSqrtRatio(v3.SqrtPriceX96));
            Assert.All(v3.Ticks, t => Assert.Equal(0, t.Index % v3.TickSpacing));
            Assert.True(v3.Ticks.Count >= 20, $"{v3.Address} has only {v3.Ticks.Count} initialized ticks");
            Assert.True(v3.Liquidity > 0);
        }
    }

    [Fact]
    public void Flagship_pool_moves_half_a_percent_on_five_million_dollars_of_eth()
    {
        var pool = Default.Value.Pools.OfType<UniswapV3PoolSnapshot>().Single(p => p.Address.Hex == "0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640");
        var book = pool.Ticks.Select(t => (t.Index, (double)t.LiquidityNet)).ToList();
        var weth = V3BookMath.SellToMove(book, pool.SqrtPriceX96, pool.Tick, 0.005, sellToken0: false) / 1e18;
        Assert.InRange(weth * 2_150, 4.9e6, 5.1e6);
    }

    [Fact]
    public void Another_seed_gives_another_book_and_the_same_seed_the_same()
    {
        var a = SnapshotJson.Serialize(DefaultMarketGenerator.Generate(new MarketGeneratorOptions(Positions: 1_000)));
        var b = SnapshotJson.Serialize(DefaultMarketGenerator.Generate(new MarketGeneratorOptions(Positions: 1_000, Seed: 7)));
        Assert.NotEqual(a, b);
        Assert.Equal(a, SnapshotJson.Serialize(DefaultMarketGenerator.Generate(new MarketGeneratorOptions(Positions: 1_000))));
    }

    [Fact]
    public void Generated_snapshot_passes_the_parser_and_round_trips()
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions(Positions: 1_000, Seed: 11));
        var text = SnapshotJson.Serialize(snapshot);
        Assert.Equal(text, SnapshotJson.Serialize(SnapshotJson.Parse(text, "generated.json")));
    }

    private static BigInteger Price(string asset) => Default.Value.Oracles.Single(o => o.Asset == asset).Answer;

    private static BigInteger Unit(string asset) => BigInteger.Pow(10, Default.Value.Token(asset).Decimals);

    /// <summary>amount * price * (1e18 / unit): USD (8 decimals) times 1e18, exact.</summary>
    private static BigInteger Scaled(AssetBalance b) => b.Amount * Price(b.Asset) * (BigInteger.Pow(10, 18) / Unit(b.Asset));

    internal static BigInteger CollateralUsd8(AavePositionSnapshot p) =>
        p.Collateral.Aggregate(BigInteger.Zero, (s, c) => s + (c.Amount * Price(c.Asset) / Unit(c.Asset)));

    private static (int Ltv, int Lt) Thresholds(string asset, int eMode)
    {
        var reserve = Market.Reserves.Single(r => r.Asset == asset);
        var category = Market.EModes.SingleOrDefault(e => e.Id == eMode);
        return category is not null && reserve.EModeCategory == eMode
            ? (category.LtvBps, category.LiquidationThresholdBps)
            : (reserve.LtvBps, reserve.LiquidationThresholdBps);
    }
}
