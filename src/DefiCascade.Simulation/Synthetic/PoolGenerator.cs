using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using static DefiCascade.Simulation.Synthetic.MarketCatalog;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>
/// One synthetic V3 pool: LP positions of log-uniform width (in ticks) in a narrow and a wide
/// group, centred near the price with a symmetric jitter (Kaiko: v3 liquidity is roughly symmetric).
/// The two groups are scaled so the book hits a TVL and, where a depth is cited, that depth too.
/// </summary>
internal sealed record V3PoolSpec(
    string Address, string Token0, string Token1, int Fee, int Spacing,
    int NarrowMin, int NarrowMax, int WideMin, int WideMax, double NarrowShare,
    double TvlUsd, double? DepthUsd, double DepthFraction, string Source);

internal sealed class PoolGenerator(Random random, IReadOnlyDictionary<string, (BigInteger UsdAnswer, int Decimals)> prices)
{
    // ETH pools other than the cited one keep its depth-to-TVL ratio ($5M at 0.5% per $100M), halved for the 0.3% tier whose LPs run wider.
    private const string V3Common = "pool-addresses,mf-uniswap-fees,mf-kaiko-symmetry,generator";

    public static readonly V3PoolSpec[] V3Specs =
    [
        new("0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640", Usdc, Weth, 500, 10, 10, 600, 600, 30_000, 0.6, 100e6, 5e6, 0.005, V3Common + ",mf-uniswap-tvl,mf-uniswap-depth"),
        new("0x8ad599c3A0ff1De082011EFDDc58f1908eb6e6D8", Usdc, Weth, 3000, 60, 60, 1_200, 1_200, 60_000, 0.5, 30e6, 0.75e6, 0.005, V3Common + ",assumption-pool-tvl,mf-uniswap-depth"),
        new("0x11b815efB8f581194ae79006d24E0d814B7697F6", Weth, Usdt, 500, 10, 10, 600, 600, 30_000, 0.6, 40e6, 2e6, 0.005, V3Common + ",assumption-pool-tvl,mf-uniswap-depth"),
        new("0x4585FE77225b41b697C938B018E2Ac67Ac5a20c0", Wbtc, Weth, 500, 10, 10, 800, 800, 20_000, 0.6, 40e6, 2e6, 0.005, V3Common + ",assumption-pool-tvl,mf-uniswap-depth"),
        new("0x109830a1AAaD605BbF02a9dFA7B0B92EC2FB7dAa", WstEth, Weth, 100, 1, 2, 40, 40, 1_500, 0.7, 40e6, null, 0, V3Common + ",assumption-pool-tvl"),
        new("0x3416cF6C708Da44DB2624D63ea0AAef7113527C6", Usdc, Usdt, 100, 1, 1, 12, 12, 200, 0.85, 30e6, null, 0, V3Common + ",assumption-pool-tvl,mf-stable-ticks"),
        new("0x5777d92f208679DB4b9778590Fa3CAB3aC9e2168", Dai, Usdc, 100, 1, 1, 12, 12, 200, 0.85, 15e6, null, 0, V3Common + ",assumption-pool-tvl,mf-stable-ticks"),
    ];

    public const string V2UsdcWeth = "0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc";
    public const double V2SideUsd = 15e6;

    public UniswapV2PoolSnapshot V2(IReadOnlyDictionary<string, int> decimals)
    {
        ArgumentNullException.ThrowIfNull(decimals);
        var side = new BigInteger(V2SideUsd) * 100_000_000;
        BigInteger Amount(string asset) => UInt256.MulDiv(side, UInt256.Pow10(decimals[asset]), prices[asset].UsdAnswer, Rounding.Down);
        return new UniswapV2PoolSnapshot(Address.Parse(V2UsdcWeth), Usdc, Weth, Amount(Usdc), Amount(Weth), "pool-addresses,assumption-v2-reserves");
    }

    /// <summary>sqrt(P) in Q64.96 where P is token1 base units per token0 base unit at the market prices, floored.</summary>
    public BigInteger SqrtPriceX96(string token0, string token1, IReadOnlyDictionary<string, int> decimals)
    {
        ArgumentNullException.ThrowIfNull(decimals);
        var numerator = prices[token0].UsdAnswer * UInt256.Pow10(decimals[token1]) << 192;
        var denominator = prices[token1].UsdAnswer * UInt256.Pow10(decimals[token0]);
        return UInt256.Sqrt(numerator / denominator);
    }

    public UniswapV3PoolSnapshot V3(V3PoolSpec spec, int lpCount, IReadOnlyDictionary<string, int> decimals)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sqrtPrice = SqrtPriceX96(spec.Token0, spec.Token1, decimals);
        var tick = TickMath.GetTickAtSqrtRatio(sqrtPrice);
        var lps = Enumerable.Range(0, lpCount).Select(_ => DrawLp(spec, tick)).ToList();

        // Depth and TVL are linear in liquidity: measure each group at unit scale, then solve the scales.
        var narrow = lps.Where(lp => lp.Narrow).ToList();
        var wide = lps.Where(lp => !lp.Narrow).ToList();
        var (tvlN, tvlW) = (TvlUsd(spec, narrow, sqrtPrice, decimals), TvlUsd(spec, wide, sqrtPrice, decimals));
        double scaleN, scaleW;
        if (spec.DepthUsd is { } depth)
        {
            var (dN, dW) = (DepthUsd(spec, narrow, sqrtPrice, tick, decimals), DepthUsd(spec, wide, sqrtPrice, tick, decimals));
            var det = (dN * tvlW) - (dW * tvlN);
            scaleN = ((depth * tvlW) - (dW * spec.TvlUsd)) / det;
            scaleW = ((dN * spec.TvlUsd) - (depth * tvlN)) / det;
            if (scaleN <= 0 || scaleW <= 0)
            {
                throw new InvalidOperationException($"pool {spec.Address}: depth and TVL targets cannot both be met by this width mix");
            }
        }
        else
        {
            scaleN = scaleW = spec.TvlUsd / (tvlN + tvlW);
        }

        var book = new SortedDictionary<int, (BigInteger Net, BigInteger Gross)>();
        foreach (var lp in lps)
        {
            var liquidity = new BigInteger(System.Math.Round(lp.Weight * (lp.Narrow ? scaleN : scaleW)));
            if (liquidity.IsZero)
            {
                continue;
            }

            Add(book, lp.Lower, liquidity);
            Add(book, lp.Upper, -liquidity);
        }

        var ticks = book.Select(kv => new TickSnapshot(kv.Key, kv.Value.Net, kv.Value.Gross)).ToList();
        var active = ticks.Where(t => t.Index <= tick).Aggregate(BigInteger.Zero, (sum, t) => sum + t.LiquidityNet);
        return new UniswapV3PoolSnapshot(
            Address.Parse(spec.Address), spec.Token0, spec.Token1, spec.Fee, spec.Spacing, sqrtPrice, tick, active, ticks, null, null, spec.Source);
    }

    private static void Add(SortedDictionary<int, (BigInteger Net, BigInteger Gross)> book, int tick, BigInteger net)
    {
        var (n, g) = book.TryGetValue(tick, out var entry) ? entry : (BigInteger.Zero, BigInteger.Zero);
        book[tick] = (n + net, g + BigInteger.Abs(net));
    }

    private Lp DrawLp(V3PoolSpec spec, int tick)
    {
        var narrow = random.NextDouble() < spec.NarrowShare;
        var (min, max) = narrow ? (spec.NarrowMin, spec.NarrowMax) : (spec.WideMin, spec.WideMax);
        var width = System.Math.Max(spec.Spacing, (int)System.Math.Round(min * System.Math.Pow((double)max / min, random.NextDouble())));
        // Irwin-Hall(4) - 2: a symmetric bell without transcendental functions (sd ~0.58), times 0.3 of the width.
        var jitter = (int)System.Math.Round((random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2) * 0.3 * width);
        var lower = FloorTo(tick + jitter - (width / 2), spec.Spacing);
        var upper = System.Math.Max(lower + spec.Spacing, CeilTo(tick + jitter + (width / 2), spec.Spacing));
        (lower, upper) = (System.Math.Max(lower, CeilTo(TickMath.MinTick, spec.Spacing)), System.Math.Min(upper, FloorTo(TickMath.MaxTick, spec.Spacing)));
        // Capital in whole units, spread over the width: liquidity per unit of capital falls as 1/width.
        var capital = System.Math.Round(System.Math.Pow(1000, random.NextDouble()));
        return new Lp(narrow, lower, upper, capital / (upper - lower));
    }

    private double TvlUsd(V3PoolSpec spec, List<Lp> lps, BigInteger sqrtPrice, IReadOnlyDictionary<string, int> decimals)
    {
        var (a0, a1) = V3BookMath.Holdings(Aggregate(lps), sqrtPrice);
        return Usd(spec.Token0, a0, decimals) + Usd(spec.Token1, a1, decimals);
    }

    /// <summary>USD of token1 sold to move token1's pool price down by the spec's fraction (the cited trade sells ETH).</summary>
    private double DepthUsd(V3PoolSpec spec, List<Lp> lps, BigInteger sqrtPrice, int tick, IReadOnlyDictionary<string, int> decimals) =>
        Usd(spec.Token1, V3BookMath.SellToMove(Aggregate(lps), sqrtPrice, tick, spec.DepthFraction, sellToken0: false), decimals);

    public double Usd(string asset, double raw, IReadOnlyDictionary<string, int> decimals) =>
        raw * (double)prices[asset].UsdAnswer / System.Math.Pow(10, prices[asset].Decimals + decimals[asset]);

    private static List<(int Tick, double Net)> Aggregate(List<Lp> lps)
    {
        var book = new SortedDictionary<int, double>();
        foreach (var lp in lps)
        {
            book[lp.Lower] = book.GetValueOrDefault(lp.Lower) + lp.Weight;
            book[lp.Upper] = book.GetValueOrDefault(lp.Upper) - lp.Weight;
        }

        return book.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static int FloorTo(int tick, int spacing) => (int)System.Math.Floor((double)tick / spacing) * spacing;

    private static int CeilTo(int tick, int spacing) => (int)System.Math.Ceiling((double)tick / spacing) * spacing;

    private sealed record Lp(bool Narrow, int Lower, int Upper, double Weight);
}
