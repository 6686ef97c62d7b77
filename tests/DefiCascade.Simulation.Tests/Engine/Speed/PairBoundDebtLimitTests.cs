using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// PairBound.DebtLimit: the walk settles a member of a group that is not flat when its debt key keeps every
/// pair's debt below this limit, so at the limit the first bound (SurelyFails's test) must still lose, and it
/// must be tight (just above it the bound no longer loses), or the shortcut would settle nothing.
/// Hand case: S = 0.01, A * R + 1 = 11, gas 1,000, DebtPerUsd 1: the bound loses while
/// 0.01 * debt + 11 + 1 + 1 &lt; 1,000 (slack aside), so the limit is just under 98,700.
/// </summary>
public sealed class PairBoundDebtLimitTests
{
    [Fact]
    public void The_limit_is_where_the_first_bound_stops_losing()
    {
        var hand = new PairBound(null, P: 1, K: 1.1, A: 10, R: 1, S: 0.01, Gas: 1_000) { DebtPerUsd = 1 };
        Assert.InRange(hand.DebtLimit(), 98_699.9, 98_700);

        var random = new Random(20261209);
        for (var k = 0; k < 2_000; k++)
        {
            var s = Math.Pow(10, (random.NextDouble() * 8) - 6);
            var bound = new PairBound(null, P: 1, K: 1.05, A: random.NextDouble() * 100, R: random.NextDouble(), S: s, Gas: Math.Pow(10, random.NextDouble() * 9)) { DebtPerUsd = random.NextDouble() * 10 };
            var limit = bound.DebtLimit();
            if (limit == 0)
            {
                // No debt loses: the rounding terms alone reach the gas.
                Assert.False(bound.Loses((bound.A * bound.R) + 1));
                continue;
            }

            Assert.True(bound.Loses((bound.S * limit) + (bound.A * bound.R) + 1), $"case {k}: the bound should lose at the limit {limit}");
            Assert.False(bound.Loses((bound.S * limit * (1 + 1e-6)) + (bound.A * bound.R) + 1), $"case {k}: the limit {limit} should be tight");
        }
    }

    [Fact]
    public void A_class_that_fails_at_every_size_has_no_limit_and_an_unusable_or_failed_probe_none()
    {
        Assert.Equal(double.PositiveInfinity, new PairBound(null, 1, 1.05, 10, 0.5, S: -0.4, Gas: 1_000) { DebtPerUsd = 1 }.DebtLimit());
        Assert.Equal(0, PairBound.None.DebtLimit());
        Assert.Equal(0, new PairBound(UnliquidatableReason.NoRoute, 1, 1.05, 10, 0, 0, 1_000).DebtLimit());
    }
}
