using System.Numerics;

namespace DefiCascade.Simulation.MonteCarlo;

/// <summary>
/// Tail estimators over a sample of path outcomes (USD, 8 decimals). Quantiles are nearest-rank
/// (Hyndman and Fan type 1, the inverse of the empirical distribution): the p-quantile of n sorted
/// values x(1) &lt;= ... &lt;= x(n) is x(ceil(p*n)), always an outcome some path produced, computed
/// in integers so 0.95 * 100 is exactly rank 95. Expected shortfall at level p is the mean of the
/// ceil((1-p)*n) largest values (at least one), rounded down to the unit.
/// </summary>
public static class Estimators
{
    private const int Whole = 10_000;

    /// <summary>Nearest-rank quantile at <paramref name="levelBps"/> (9,500 = 95th percentile).</summary>
    public static BigInteger Quantile(IReadOnlyList<BigInteger> sample, int levelBps)
    {
        var sorted = Sorted(sample, levelBps);
        var rank = Math.Max(1, CeilDiv((long)levelBps * sorted.Length, Whole));
        return sorted[rank - 1];
    }

    /// <summary>Mean of the worst ceil((1 - level) * n) outcomes (at least one), rounded down.</summary>
    public static BigInteger ExpectedShortfall(IReadOnlyList<BigInteger> sample, int levelBps)
    {
        var sorted = Sorted(sample, levelBps);
        var tail = Math.Max(1, CeilDiv((long)(Whole - levelBps) * sorted.Length, Whole));
        var sum = BigInteger.Zero;
        for (var k = sorted.Length - tail; k < sorted.Length; k++)
        {
            sum += sorted[k];
        }

        return BigInteger.Divide(sum, tail);
    }

    /// <summary>Share of the sample strictly above zero.</summary>
    public static double ProbabilityPositive(IReadOnlyList<BigInteger> sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return sample.Count == 0 ? 0 : (double)sample.Count(x => x.Sign > 0) / sample.Count;
    }

    private static BigInteger[] Sorted(IReadOnlyList<BigInteger> sample, int levelBps)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(levelBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levelBps, Whole - 1);
        if (sample.Count == 0)
        {
            throw new ArgumentException("a quantile of no outcomes is undefined", nameof(sample));
        }

        var sorted = sample.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static int CeilDiv(long a, long b) => (int)((a + b - 1) / b);
}
