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
}
