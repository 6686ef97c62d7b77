using System.Numerics;
using DefiCascade.Simulation.MonteCarlo;

namespace DefiCascade.Simulation.Tests.MonteCarlo;

public class EstimatorsTests
{
    // 1^2, 2^2, ..., 100^2 in a scrambled order (37 is coprime with 100, so i*37 mod 100 visits every value once).
    private static readonly BigInteger[] Squares = Enumerable.Range(0, 100).Select(i => new BigInteger(((i * 37 % 100) + 1) * ((i * 37 % 100) + 1))).ToArray();

    [Fact]
    public void Nearest_rank_quantiles_of_the_first_hundred_squares()
    {
        // n = 100: rank ceil(0.95 * 100) = 95 -> 95^2 = 9,025; rank ceil(0.99 * 100) = 99 -> 99^2 = 9,801.
        Assert.Equal(new BigInteger(9_025), Estimators.Quantile(Squares, 9_500));
        Assert.Equal(new BigInteger(9_801), Estimators.Quantile(Squares, 9_900));
        // rank ceil(0.5 * 100) = 50 -> 2,500 (type 7 would interpolate to 2,550.5).
        Assert.Equal(new BigInteger(2_500), Estimators.Quantile(Squares, 5_000));
    }

    [Fact]
    public void Expected_shortfall_is_the_mean_of_the_worst_five_percent()
    {
        // worst ceil(0.05 * 100) = 5: (96^2 + 97^2 + 98^2 + 99^2 + 100^2) / 5 = (9216 + 9409 + 9604 + 9801 + 10000) / 5 = 48030 / 5 = 9,606.
        Assert.Equal(new BigInteger(9_606), Estimators.ExpectedShortfall(Squares, 9_500));
    }

    [Fact]
    public void Twenty_outcomes_take_rank_19_and_a_single_worst_outcome_for_the_tail()
    {
        // 100, 200, ..., 2000: rank ceil(19.0) = 19 -> 1,900 (type 7: 1,905); 99%: ceil(19.8) = 20 -> 2,000;
        // ES95 over ceil(0.05 * 20) = 1 outcome: 2,000.
        var sample = Enumerable.Range(1, 20).Reverse().Select(i => new BigInteger(i * 100)).ToList();
        Assert.Equal(new BigInteger(1_900), Estimators.Quantile(sample, 9_500));
        Assert.Equal(new BigInteger(2_000), Estimators.Quantile(sample, 9_900));
        Assert.Equal(new BigInteger(2_000), Estimators.ExpectedShortfall(sample, 9_500));
    }

    [Fact]
    public void A_small_sample_with_ties_and_a_fractional_mean_rounds_down()
    {
        // sorted 0, 0, 0, 3, 5, 7, 10 (n = 7). 80%: rank ceil(5.6) = 6 -> 7. ES80 over ceil(1.4) = 2 worst: (7 + 10) / 2 = 8.5 -> 8.
        // 95%: rank ceil(6.65) = 7 -> 10. Any bad debt: 4 of 7.
        BigInteger[] sample = [0, 7, 0, 3, 10, 0, 5];
        Assert.Equal(new BigInteger(7), Estimators.Quantile(sample, 8_000));
        Assert.Equal(new BigInteger(8), Estimators.ExpectedShortfall(sample, 8_000));
        Assert.Equal(new BigInteger(10), Estimators.Quantile(sample, 9_500));
        Assert.Equal(4.0 / 7.0, Estimators.ProbabilityPositive(sample));
    }

    [Fact]
    public void Risk_metrics_take_var_evar_es_from_bad_debt_and_lar_from_liquidation_volume()
    {
        // Bad debt = the squares, volume = 10x the path number (10..1000): LaR95 rank 95 -> 950.
        var paths = Squares.Select((x, i) => new PathOutcome(i, i, x, new BigInteger((i + 1) * 10), 1, 0, "converged", 1)).ToList();
        var m = RiskMetrics.From(paths);
        Assert.Equal(new BigInteger(9_025), m.BadDebtVaR95Usd);
        Assert.Equal(new BigInteger(9_801), m.BadDebtEVaR99Usd);
        Assert.Equal(new BigInteger(9_606), m.BadDebtExpectedShortfall95Usd);
        Assert.Equal(new BigInteger(950), m.LiquidationVolumeLaR95Usd);
        // Mean of the squares 1..100: 100 * 101 * 201 / 6 / 100 = 3,383.5 -> 3,383.
        Assert.Equal(new BigInteger(3_383), m.BadDebtMeanUsd);
        Assert.Equal(1.0, m.ProbabilityOfBadDebt);
    }

    [Fact]
    public void An_empty_sample_or_a_level_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Estimators.Quantile([], 9_500));
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimators.Quantile(Squares, 10_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimators.Quantile(Squares, 0));
    }
}
