using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using static DefiCascade.Simulation.Synthetic.MarketCatalog;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>
/// Draws Aave accounts: a size bucket (Kaiko's user mix), an archetype, a target health factor,
/// then the collateral amounts; the debt is solved from the health factor with integers and
/// capped at the borrow capacity (LTV). Floating point only draws sizes; every amount is an integer.
/// </summary>
internal sealed class PositionGenerator(Random random, AccountValuation valuation)
{
    /// <summary>Prefix of synthetic account addresses (0xdefca5ca...), so they never collide with real ones.</summary>
    public const ulong AddressPrefix = 0xdefca5ca;

    // Kaiko 2025-08-18: ~1/3 below $10k (3% of all accounts are dust < $100), 26% $100k-1M, 11% above $1M.
    public static readonly SizeBucket[] Buckets =
    [
        new("dust", 0.03, 5, 100),
        new("small", 0.30, 100, 10_000),
        new("mid", 0.30, 10_000, 100_000),
        new("large", 0.26, 100_000, 1_000_000),
        new("whale", 0.11, 1_000_000, 40_000_000),
    ];

    public enum Archetype
    {
        EthLong,
        BtcLong,
        MixedLong,
        StableShort,
        StakingLoop,
    }

    // Archetype weights per bucket: larger accounts loop more (loops are numerous in USD, MARKET-FACTS §2 wstETH supply).
    private static readonly double[][] ArchetypeWeights =
    [
        [0.52, 0.15, 0.10, 0.13, 0.10],
        [0.52, 0.15, 0.10, 0.13, 0.10],
        [0.45, 0.15, 0.12, 0.10, 0.18],
        [0.40, 0.13, 0.12, 0.08, 0.27],
        [0.35, 0.12, 0.10, 0.06, 0.37],
    ];

    /// <summary>
    /// Lowest loop HF: the e-mode LT/LTV (95/93) plus a hair, since borrowing above the LTV is
    /// forbidden. Loops spread up to 1.25: they are insensitive to ETH/USD (both sides are priced
    /// off it), so their HF shapes only the histogram and the loop debt, not the static curve.
    /// </summary>
    private const double LoopMinHealthFactor = (9_500.0 / 9_300) + 0.0001;

    public AavePositionSnapshot Next(ulong index)
    {
        var bucket = Pick(Buckets.Select(b => b.Share).ToArray());
        var sizeUsd = DrawSize(Buckets[bucket]);
        var archetype = (Archetype)Pick(ArchetypeWeights[bucket]);
        var hf = archetype == Archetype.StakingLoop ? LogUniform(LoopMinHealthFactor, 1.25) : DrawHealthFactor(bucket);
        return Build(index, archetype, sizeUsd, hf);
    }

    /// <summary>The named whales (MARKET-FACTS §2 concentration), at stated scale.</summary>
    public IEnumerable<AavePositionSnapshot> Whales()
    {
        var eth = (decimal)EthUsd / 1e8m;
        var wst = (decimal)WstEthUsd / 1e8m;
        // Trend Research-like long at 1/10 of its 601k ETH peak, USDT+USDC debt. HF 1.22 sits in the
        // ~1.1-1.2 reported while it unwound and puts its liquidation at ETH -18%, between two curve points.
        yield return Build(1, Archetype.EthLong, 60_100m * eth, 1.22, debt: [(Usdt, 6_000), (Usdc, 4_000)]);
        yield return Build(2, Archetype.StakingLoop, 40_000m * wst, 1.03);
        yield return Build(3, Archetype.StakingLoop, 25_000m * wst, 1.05);
        // HF 1.60: WBTC collateral-at-risk stayed < $20M down to a -32% BTC move (MARKET-FACTS §2, 2024-11-21).
        yield return Build(4, Archetype.BtcLong, 1_500m * (decimal)BtcUsd / 1e8m, 1.60, debt: [(Usdc, 10_000)]);
        yield return Build(5, Archetype.StableShort, 60_000_000m, 1.20, collateral: [(Usdc, 10_000)]);
    }

    private AavePositionSnapshot Build(
        ulong index,
        Archetype archetype,
        decimal sizeUsd,
        double hf,
        (string Asset, int Bps)[]? debt = null,
        (string Asset, int Bps)[]? collateral = null)
    {
        var eMode = archetype == Archetype.StakingLoop ? 1 : 0;
        collateral ??= CollateralMix(archetype);
        debt ??= DebtMix(archetype);
        var cents = (long)decimal.Round(sizeUsd * 100m, MidpointRounding.AwayFromZero);
        var collateralBalances = new List<AssetBalance>();
        foreach (var (asset, bps) in collateral)
        {
            // cents * bps / 10000 in USD base (8 decimals) = cents * 1e6 * bps / 1e4.
            var baseValue = UInt256.MulDiv(new BigInteger(cents) * 1_000_000, bps, 10_000, Rounding.Down);
            var amount = BigInteger.Max(BigInteger.One, valuation.AmountFor(asset, baseValue));
            collateralBalances.Add(new AssetBalance(asset, amount));
        }

        // hf at 4 decimals: draws are rounded once so that the integer chain below is platform independent.
        var hfWad = new BigInteger(System.Math.Round(hf * 10_000)) * 100_000_000_000_000;
        var fromHf = UInt256.MulDiv(valuation.ThresholdBase(collateralBalances, eMode), WadRayMath.Wad, hfWad, Rounding.Down);
        var debtBase = BigInteger.Min(fromHf, valuation.BorrowCapacityBase(collateralBalances, eMode));
        var debtBalances = new List<AssetBalance>();
        foreach (var (asset, bps) in debt)
        {
            var amount = valuation.AmountFor(asset, UInt256.MulDiv(debtBase, bps, 10_000, Rounding.Down));
            if (!amount.IsZero)
            {
                debtBalances.Add(new AssetBalance(asset, amount));
            }
        }

        return new AavePositionSnapshot(Address.FromNumber(AddressPrefix, index), eMode, collateralBalances, debtBalances);
    }

    private (string, int)[] CollateralMix(Archetype archetype)
    {
        switch (archetype)
        {
            case Archetype.EthLong:
                return [(Weth, 10_000)];
            case Archetype.BtcLong:
                return [(Wbtc, 10_000)];
            case Archetype.MixedLong:
                var eth = random.Next(3_000, 8_001);
                // A third of mixed accounts hold their ETH as wstETH outside e-mode.
                return [(random.Next(3) == 0 ? WstEth : Weth, eth), (Wbtc, 10_000 - eth)];
            case Archetype.StableShort:
                // No DAI: its LTV is 0, so DAI collateral supports no borrowing.
                var usdc = random.Next(2) == 0 ? 10_000 : random.Next(2_000, 8_001);
                return usdc == 10_000 ? [(Usdc, 10_000)] : [(Usdc, usdc), (Usdt, 10_000 - usdc)];
            default:
                // A fifth of loops also post some plain WETH.
                var wst = random.Next(5) == 0 ? random.Next(6_000, 9_501) : 10_000;
                return wst == 10_000 ? [(WstEth, 10_000)] : [(WstEth, wst), (Weth, 10_000 - wst)];
        }
    }

    private (string, int)[] DebtMix(Archetype archetype)
    {
        if (archetype == Archetype.StakingLoop)
        {
            // ETH-correlated e-mode may borrow WETH only (since 2025-05-19).
            return [(Weth, 10_000)];
        }

        if (archetype == Archetype.StableShort)
        {
            return random.Next(5) == 0 ? [(Wbtc, 10_000)] : [(Weth, 10_000)];
        }

        // USDT:USDC:DAI borrows ~ 5.0B : 2.5B : small (MARKET-FACTS §2); a fifth split USDT/USDC.
        if (random.Next(5) == 0)
        {
            var usdt = random.Next(4_000, 8_001);
            return [(Usdt, usdt), (Usdc, 10_000 - usdt)];
        }

        return Pick([0.64, 0.32, 0.04]) switch
        {
            0 => [(Usdt, 10_000)],
            1 => [(Usdc, 10_000)],
            _ => [(Dai, 10_000)],
        };
    }

    /// <summary>
    /// (near-one tail probability, body median, body log-sd) per bucket. Calibrated so that the
    /// static liquidatable-debt curve matches the public liquidation volumes (fixtures/README.md):
    /// large accounts sit lower and tighter than small ones (Kaiko: large users run nearer LT, and
    /// are actively managed), small ones spread high (&gt; 70% keep a high HF), and the tail near
    /// HF 1 is thin in debt, because -17% and -30% ETH moves liquidated only ~1-4% of Core's stablecoin debt.
    /// </summary>
    private static readonly (double Tail, double Median, double Sigma)[] HealthFactorShape =
    [
        (0.040, 3.0, 0.50),
        (0.040, 3.0, 0.50),
        (0.025, 2.6, 0.40),
        (0.010, 2.2, 0.20),
        (0.006, 2.1, 0.18),
    ];

    /// <summary>Lowest HF of the lognormal body; below it only the thin tail.</summary>
    private const double BodyFloor = 1.15;

    private double DrawHealthFactor(int bucket)
    {
        var (tail, median, sigma) = HealthFactorShape[bucket];
        if (random.NextDouble() < tail)
        {
            return Uniform(1.02, BodyFloor);
        }

        // Redraw below the floor (and absurd highs) instead of clamping, so no HF value piles up at an edge.
        while (true)
        {
            var hf = median * System.Math.Exp(sigma * StandardNormal());
            if (hf is >= BodyFloor and <= 20)
            {
                return hf;
            }
        }
    }

    /// <summary>Irwin-Hall(12) - 6: unit variance, bounded at +-6, no Box-Muller log/cos.</summary>
    private double StandardNormal()
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++)
        {
            sum += random.NextDouble();
        }

        return sum - 6;
    }

    private decimal DrawSize(SizeBucket b)
    {
        // Whales: Pareto tail (alpha 1.5) from $1M, capped; others log-uniform within the bucket.
        var usd = b.Name == "whale"
            ? System.Math.Min(b.MaxUsd, b.MinUsd * System.Math.Pow(1 - random.NextDouble(), -1 / 1.5))
            : LogUniform(b.MinUsd, b.MaxUsd);
        return decimal.Round((decimal)usd, 2);
    }

    private int Pick(double[] weights)
    {
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length - 1; i++)
        {
            if (u < weights[i])
            {
                return i;
            }

            u -= weights[i];
        }

        return weights.Length - 1;
    }

    private double Uniform(double min, double max) => min + ((max - min) * random.NextDouble());

    private double LogUniform(double min, double max) => min * System.Math.Pow(max / min, random.NextDouble());
}

/// <summary>A size class of accounts by collateral value in USD, and its share of accounts.</summary>
public sealed record SizeBucket(string Name, double Share, double MinUsd, double MaxUsd);
