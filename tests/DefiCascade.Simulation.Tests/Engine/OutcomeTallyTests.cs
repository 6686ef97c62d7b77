using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// OutcomeTally sums outcomes in 128 bits and carries into a BigInteger: its totals must equal plain BigInteger sums
/// of the same outcomes, across the 128-bit carry and for values past 127 bits, and its per-reason summaries must be
/// what grouping the accounts below HF 1 by reason gives, in the reasons' order.
/// </summary>
public class OutcomeTallyTests
{
    [Fact]
    public void Totals_equal_BigInteger_sums_across_the_carry_and_past_128_bits()
    {
        var random = new Random(11);
        var top = BigInteger.One << 127;
        var reasons = new[] { UnliquidatableReason.NoLiquidity, UnliquidatableReason.Unprofitable, UnliquidatableReason.Dust };
        var outcomes = Enumerable.Range(0, 400).Select(k =>
        {
            // Mostly values just under 2^127 (two of them carry past 2^128), some small, some past 127 bits.
            var size = (k % 7) switch
            {
                0 => new BigInteger(random.Next(1_000_000)),
                1 => (BigInteger.One << 200) + k,
                _ => top - 1 - random.Next(1000),
            };
            var healthFactor = k % 5 == 0 ? WadRayMath.Wad + k : WadRayMath.Wad - 1 - k;
            return new AccountOutcome("core", Address.FromNumber(3, (ulong)k), 0, [], [], size + 3, size + 1, k % 3 == 0 ? BigInteger.Zero : size, healthFactor, reasons[k % 3]);
        }).ToList();

        var tally = new OutcomeTally();
        outcomes.ForEach(tally.Add);

        Assert.Equal(outcomes.Aggregate(BigInteger.Zero, (s, a) => s + a.ShortfallUsd), tally.BadDebt);
        Assert.Equal(outcomes.Count(a => a.ShortfallUsd > 0), tally.WithShortfall);
        Assert.Equal(outcomes.Count(a => a.HealthFactor < WadRayMath.Wad), tally.Below);
        var expected = outcomes.Where(a => a.HealthFactor < WadRayMath.Wad).GroupBy(a => a.Reason).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Count(), g.Aggregate(BigInteger.Zero, (s, a) => s + a.DebtUsd), g.Aggregate(BigInteger.Zero, (s, a) => s + a.CollateralUsd)))
            .ToList();
        var actual = tally.Reasons(r => r.ToString()).Select(s => (s.Reason, s.Accounts, s.DebtUsd, s.CollateralUsd)).ToList();
        Assert.Equal(expected, actual);
        Assert.True(tally.BadDebt > BigInteger.One << 135, "the sample must overflow 128 bits");
    }

    // The result builder adds most accounts from their 128-bit figures, without an outcome: mixed with outcomes,
    // the totals are still the BigInteger sums (values just under 2^127 carry; those past 127 bits take the BigInteger).
    [Fact]
    public void Figures_added_without_outcomes_total_as_the_outcomes_do()
    {
        var random = new Random(12);
        var top = UInt128.One << 127;
        var rows = Enumerable.Range(0, 400).Select(k =>
        {
            var size = (k % 7) switch
            {
                0 => (UInt128)random.Next(1_000_000),
                1 => UInt128.MaxValue - 5 - (UInt128)k,
                _ => top - 1 - (UInt128)random.Next(1000),
            };
            var below = k % 5 != 0;
            return (Shortfall: k % 3 == 0 ? UInt128.Zero : size, Below: below, Reason: (UnliquidatableReason)(k % 4), Debt: size + 1 - (UInt128)(k % 2), Collateral: size / 3);
        }).ToList();

        var tally = new OutcomeTally();
        for (var k = 0; k < rows.Count; k++)
        {
            var row = rows[k];
            if (k % 2 == 0)
            {
                tally.Add(row.Shortfall, row.Below, row.Reason, row.Debt, row.Collateral);
            }
            else
            {
                var healthFactor = row.Below ? WadRayMath.Wad - 1 : WadRayMath.Wad;
                tally.Add(new AccountOutcome("core", Address.FromNumber(4, (ulong)k), 0, [], [], row.Collateral, row.Debt, row.Shortfall, healthFactor, row.Reason));
            }
        }

        Assert.Equal(rows.Aggregate(BigInteger.Zero, (s, r) => s + r.Shortfall), tally.BadDebt);
        Assert.Equal(rows.Count(r => r.Shortfall != UInt128.Zero), tally.WithShortfall);
        Assert.Equal(rows.Count(r => r.Below), tally.Below);
        var expected = rows.Where(r => r.Below).GroupBy(r => r.Reason).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Count(), g.Aggregate(BigInteger.Zero, (s, r) => s + r.Debt), g.Aggregate(BigInteger.Zero, (s, r) => s + r.Collateral)))
            .ToList();
        Assert.Equal(expected, tally.Reasons(r => r.ToString()).Select(s => (s.Reason, s.Accounts, s.DebtUsd, s.CollateralUsd)).ToList());
        Assert.True(tally.BadDebt > BigInteger.One << 135, "the sample must overflow 128 bits");
    }
}
