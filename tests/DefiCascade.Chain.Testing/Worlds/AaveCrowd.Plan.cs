using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Testing;

/// <summary>One reserve's amount in a crowd account, in the token's base units.</summary>
public sealed record AaveCrowdPosition(int Asset, BigInteger Amount);

/// <summary>
/// One crowd account as planned: supplied collateral (supplied for it by the funder), variable debt it borrowed itself,
/// its e-mode, and the health factor the debt was sized for at <see cref="AaveCrowd.Prices"/>. Suppliers without debt
/// have an empty <see cref="Debt"/> and an infinite target.
/// </summary>
public sealed record AaveCrowdUser(
    int Index,
    Address Address,
    int EMode,
    IReadOnlyList<AaveCrowdPosition> Collateral,
    IReadOnlyList<AaveCrowdPosition> Debt,
    double TargetHealthFactor)
{
    public bool IsBorrower => Debt.Count > 0;
}

/// <summary>What a crowd looks like: how many accounts and the seed every amount and choice is drawn from.</summary>
public sealed record AaveCrowdSpec(int Users, int Seed)
{
    /// <summary>The crowd the chain tests build once per run.</summary>
    public static AaveCrowdSpec Ci { get; } = new(2_000, 20_260_601);

    /// <summary>The benchmark's crowd: the same code and seed, five times the accounts. Not built by CI tests.</summary>
    public static AaveCrowdSpec Benchmark { get; } = new(10_000, 20_260_601);
}

/// <summary>
/// Draws a crowd from a seed, with no chain involved: the same spec always gives the same accounts and amounts. Mix:
/// ~12% suppliers without debt; borrowers with 1-4 collateral reserves (mostly 1-2) and debt in 1-2; ~22% of borrowers
/// in e-mode 1 (stables, borrowing only USDC/DAI, sometimes with WETH or WBTC collateral on top); collateral of $50 to
/// $1M per reserve, log-uniform, with 2% whales twenty times bigger; health factors from 1.02 to 3.
/// </summary>
public static class AaveCrowdPlanner
{
    /// <summary>Crowd accounts are Address.FromNumber(UserPrefix, index + 1): apart from AaveWorld's 0xAAAE0000 users.</summary>
    public const ulong UserPrefix = 0xC40D0000;

    private const double EModeShare = 0.22;
    private const double SupplierShare = 0.12;

    public static Address UserAddress(int index) => Address.FromNumber(UserPrefix, checked((ulong)index + 1));

    public static IReadOnlyList<AaveCrowdUser> Plan(AaveCrowdSpec spec, IReadOnlyList<BigInteger> prices)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Users, 1);
        var random = new Random(spec.Seed);
        var users = new AaveCrowdUser[spec.Users];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = Draw(random, i, prices);
        }

        return users;
    }

    /// <summary>
    /// The account's collateral and debt in the base currency (8 decimals) and its collateral weighted by liquidation
    /// threshold (base currency times basis points, not yet divided: the pool divides the sum once), as the pool prices them: e-mode reserves at the category's price source and threshold, amount * price / 10^decimals
    /// rounded down (GenericLogic._getUserBalanceInBaseCurrency).
    /// </summary>
    public static (BigInteger Collateral, BigInteger Weighted, BigInteger Debt) Value(AaveCrowdUser user, IReadOnlyList<BigInteger> prices)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(prices);
        BigInteger collateral = 0, weighted = 0, debt = 0;
        foreach (var c in user.Collateral)
        {
            var value = BaseValue(user.EMode, c.Asset, c.Amount, prices);
            collateral += value;
            weighted += value * Lt(user.EMode, c.Asset);
        }

        foreach (var d in user.Debt)
        {
            debt += BaseValue(user.EMode, d.Asset, d.Amount, prices);
        }

        return (collateral, weighted, debt);
    }

    private static bool InCategory(int eMode, int asset) => eMode != 0 && AaveWorld.Config[asset].EMode == eMode;

    private static int Lt(int eMode, int asset) => InCategory(eMode, asset) ? AaveWorld.EMode.Lt : AaveWorld.Config[asset].Lt;

    private static BigInteger Price(int eMode, int asset, IReadOnlyList<BigInteger> prices) =>
        prices[InCategory(eMode, asset) ? Array.FindIndex(AaveWorld.Config, c => c.Symbol == AaveWorld.EMode.PriceSource) : asset];

    private static BigInteger BaseValue(int eMode, int asset, BigInteger amount, IReadOnlyList<BigInteger> prices) =>
        amount * Price(eMode, asset, prices) / BigInteger.Pow(10, AaveWorld.Config[asset].Decimals);

    private static AaveCrowdUser Draw(Random random, int index, IReadOnlyList<BigInteger> prices)
    {
        var n = AaveWorld.Config.Length;
        var all = Enumerable.Range(0, n).ToArray();
        var stables = all.Where(a => AaveWorld.Config[a].EMode == AaveWorld.EModeId).ToArray();
        var volatiles = all.Except(stables).ToArray();
        var supplierOnly = random.NextDouble() < SupplierShare;
        var eMode = !supplierOnly && random.NextDouble() < EModeShare ? AaveWorld.EModeId : 0;

        int[] collateral;
        if (eMode != 0)
        {
            // stablecoin loops, and now and then a volatile asset alongside (its own threshold and price apply).
            collateral = Pick(random, stables, random.NextDouble() < 0.7 ? 1 : 2);
            if (random.NextDouble() < 0.3)
            {
                collateral = [.. collateral, volatiles[random.Next(volatiles.Length)]];
            }
        }
        else
        {
            var roll = random.NextDouble();
            collateral = Pick(random, all, roll < 0.55 ? 1 : roll < 0.85 ? 2 : roll < 0.97 ? 3 : 4);
        }

        var positions = collateral
            .Select(a => new AaveCrowdPosition(a, Amount(random, CollateralUsd(random), a, eMode, prices)))
            .ToArray();
        var address = UserAddress(index);
        if (supplierOnly)
        {
            return new AaveCrowdUser(index, address, 0, positions, [], double.PositiveInfinity);
        }

        var debtCount = random.NextDouble() < 0.7 ? 1 : 2;
        var borrowable = eMode != 0 ? stables : all;
        // mostly borrow what is not supplied; the rest borrow against their own asset, as loops do.
        var others = borrowable.Except(collateral).ToArray();
        var debtAssets = others.Length >= debtCount && random.NextDouble() < 0.85 ? Pick(random, others, debtCount) : Pick(random, borrowable, debtCount);

        var target = TargetHealthFactor(random);
        var draft = new AaveCrowdUser(index, address, eMode, positions, [], target);
        var (_, weighted, _) = Value(draft, prices);
        // the debt in base currency the target asks for, split by random weights; the planned HF is what the pool computes.
        var debtBase = new BigInteger((double)weighted / 10_000 / target);
        var weights = debtAssets.Select(_ => 0.2 + random.NextDouble()).ToArray();
        var debt = debtAssets.Select((a, k) =>
        {
            var share = new BigInteger((double)debtBase * weights[k] / weights.Sum());
            var units = share * BigInteger.Pow(10, AaveWorld.Config[a].Decimals) / Price(eMode, a, prices);
            return new AaveCrowdPosition(a, BigInteger.Max(BigInteger.One, units));
        }).ToArray();
        return draft with { Debt = debt };
    }

    /// <summary>A few accounts just above liquidation, most between 1.1 and 2.2, a tail of safe ones up to 3.</summary>
    private static double TargetHealthFactor(Random random) => random.NextDouble() switch
    {
        < 0.08 => Uniform(random, 1.02, 1.10),
        < 0.40 => Uniform(random, 1.10, 1.50),
        < 0.80 => Uniform(random, 1.50, 2.20),
        _ => Uniform(random, 2.20, 3.00),
    };

    private static double CollateralUsd(Random random)
    {
        var usd = Math.Pow(10, Uniform(random, 1.7, 6.0));
        return random.NextDouble() < 0.02 ? usd * 20 : usd;
    }

    private static double Uniform(Random random, double from, double to) => from + ((to - from) * random.NextDouble());

    /// <summary>Dollars to base units at the pool's price, with random low digits so amounts are not round numbers.</summary>
    private static BigInteger Amount(Random random, double usd, int asset, int eMode, IReadOnlyList<BigInteger> prices)
    {
        var decimals = AaveWorld.Config[asset].Decimals;
        var cents = new BigInteger(usd * 100);
        var units = cents * BigInteger.Pow(10, decimals + 6) / Price(eMode, asset, prices);
        var jitter = decimals > 9 ? random.NextInt64(0, 1_000_000_000) : random.Next(0, 100);
        return BigInteger.Max(BigInteger.One, units + jitter);
    }

    private static int[] Pick(Random random, int[] from, int count) =>
        from.OrderBy(_ => random.Next()).Take(count).OrderBy(a => a).ToArray();
}
