using System.Globalization;
using System.Numerics;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// A random position aimed at a health factor at the round's prices: 1-4 collateral and 1-3 debt reserves (e-mode
/// users borrow only the category's assets and hold at least one collateral outside it). The debt is sized from the
/// target in doubles (the chain then says exactly where it landed); <see cref="Inflated"/> collateral is priced up by
/// <see cref="OpenFactorPercent"/> while the position opens, so that the LTV check lets it borrow that much.
/// </summary>
public sealed record AavePlan(
    int EMode,
    IReadOnlyList<(int Asset, BigInteger Amount)> Collateral,
    IReadOnlyList<(int Asset, BigInteger Amount)> Debt,
    IReadOnlySet<int> Inflated,
    BigInteger OpenFactorPercent,
    string Target)
{
    public static AavePlan Create(Random random, IReadOnlyList<BigInteger> p1)
    {
        var config = AaveWorld.Config;
        var n = config.Length;
        var source = Array.FindIndex(config, c => c.Symbol == AaveWorld.EMode.PriceSource);
        var eMode = random.NextDouble() < 0.25 ? AaveWorld.EModeId : 0;
        bool InCategory(int i) => eMode != 0 && config[i].EMode == eMode;
        int[] coll, debt;
        while (true)
        {
            coll = Pick(random, Enumerable.Range(0, n).ToArray(), random.Next(1, 5));
            var borrowable = Enumerable.Range(0, n).Where(i => eMode == 0 || config[i].EMode == eMode).ToArray();
            debt = Pick(random, borrowable, Math.Min(random.Next(1, 4), borrowable.Length));
            // a price move must be able to hurt: some collateral is neither borrowed nor priced like the e-mode debt.
            if (coll.Any(c => !debt.Contains(c) && !InCategory(c)))
            {
                break;
            }
        }

        double Usd(int i) => (double)(InCategory(i) ? p1[source] : p1[i]) / 1e8;
        double Lt(int i) => (InCategory(i) ? AaveWorld.EMode.Lt : config[i].Lt) / 1e4;
        double Ltv(int i) => (InCategory(i) ? AaveWorld.EMode.Ltv : config[i].Ltv) / 1e4;

        // collateral values log-uniform from $30 to $300k: small ones make the collateral cap bind.
        var values = coll.Select(_ => Math.Pow(10, 1.5 + (4 * random.NextDouble()))).ToArray();
        var pick = random.NextDouble();
        var (target, label) = pick switch
        {
            < 0.30 => (0.96 + (0.0399 * random.NextDouble()), "just under 1"),
            < 0.55 => (0.93 + (0.04 * random.NextDouble()), "around 0.95"),
            < 0.85 => (0.3 + (0.6 * random.NextDouble()), "far below"),
            _ => (1.001 + (0.2 * random.NextDouble()), "healthy"),
        };
        var debtUsd = coll.Select((c, k) => values[k] * Lt(c)).Sum() / target;
        var weights = debt.Select(_ => 0.05 + random.NextDouble()).ToArray();
        var sum = weights.Sum();

        // price the inflatable collateral up until the LTV check passes with 5% to spare.
        var inflated = coll.Where(c => !debt.Contains(c) && !InCategory(c)).ToHashSet();
        var fixedBorrowable = coll.Select((c, k) => inflated.Contains(c) ? 0 : values[k] * Ltv(c)).Sum();
        var inflatable = coll.Select((c, k) => inflated.Contains(c) ? values[k] * Ltv(c) : 0).Sum();
        var factor = Math.Max(1, ((1.05 * debtUsd) - fixedBorrowable) / inflatable) * 1.02;

        return new AavePlan(
            eMode,
            coll.Select((c, k) => (c, Units(random, values[k] / Usd(c), config[c].Decimals))).ToArray(),
            debt.Select((d, k) => (d, Units(random, debtUsd * weights[k] / sum / Usd(d), config[d].Decimals))).ToArray(),
            inflated,
            new BigInteger(Math.Ceiling(factor * 100)),
            $"{label} {target.ToString("0.0000", CultureInfo.InvariantCulture)}{(eMode != 0 ? ", e-mode" : "")}");
    }

    public override string ToString() =>
        $"{Target}: supplies {string.Join(" + ", Collateral.Select(c => $"{c.Amount} {AaveWorld.Config[c.Asset].Symbol}"))}, borrows {string.Join(" + ", Debt.Select(d => $"{d.Amount} {AaveWorld.Config[d.Asset].Symbol}"))}";

    private static int[] Pick(Random random, int[] from, int count) => from.OrderBy(_ => random.Next()).Take(count).OrderBy(i => i).ToArray();

    /// <summary>Whole tokens to base units, with random low digits (a double has only 53 bits).</summary>
    private static BigInteger Units(Random random, double tokens, int decimals)
    {
        var units = new BigInteger(tokens * Math.Pow(10, decimals));
        return BigInteger.Max(BigInteger.One, units + (decimals > 12 ? random.NextInt64(0, 1_000_000_000) : 0));
    }
}
