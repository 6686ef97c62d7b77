using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// The size ladder on a pool that runs dry: sales up to 750 raw units fill at a rate of 0.5, larger ones
/// do not. The class loses at every size (K * 0.5 - 1 &lt; 0 and the rounding terms are far below the gas),
/// so the ladder proves an account settled exactly when its largest seizure is known to fill.
/// Hand derivation of the quotes (probe 100, every size settled after the first point):
///   seizure 700: 200 fills (slope negative: every size settled), the jump to 800 does not fill, then
///     700 itself fills: settled, 3 quotes;
///   seizure 790: doubling 700 is past 800, which did not fill, so 790 itself is quoted and does not fill:
///     not settled, 1 quote;
///   seizure 720: doubling 700 is past 790, so 720 is quoted and fills: settled, 1 quote;
///   seizure 900: past 790, which did not fill: not settled, no quote;
///   seizure 650: below 720, which filled: settled, no quote.
/// Before the ladder quoted at an account's own seizure, the first sale that did not fill ended the
/// ladder for every account larger than the last point (700 and 720 were not settled).
/// </summary>
public sealed class SizeLadderTests
{
    [Fact]
    public void A_sale_that_does_not_fill_ends_the_ladder_only_for_accounts_that_large()
    {
        const double cap = 750;
        var quotes = new List<BigInteger>();
        RouteQuote Sell(BigInteger amount)
        {
            quotes.Add(amount);
            var route = new Route([(0, true)]);
            return amount <= new BigInteger(cap)
                ? new RouteQuote(route, amount, amount / 2, SwapStop.Filled, 0)
                : new RouteQuote(route, new BigInteger(cap), new BigInteger(cap) / 2, SwapStop.OutOfLiquidity, 0);
        }

        // K = 1.05 (bonus), A = 2 (rounding), R = 0.5 (probe rate): slope 1.05 * 0.5 - 1 < 0 at every size.
        var bound = new PairBound(null, P: 1, K: 1.05, A: 2, R: 0.5, S: (1.05 * 0.5) - 1, Gas: 1_000) { DebtPerUsd = 1 };
        var ladder = new SizeLadder(bound, probeIn: 100, Sell);

        var steps = new (double SeizedMax, bool Settled, BigInteger[] Quoted)[]
        {
            (700, true, [200, 800, 700]),
            (790, false, [790]),
            (720, true, [720]),
            (900, false, []),
            (650, true, []),
        };
        foreach (var (seizedMax, settled, quoted) in steps)
        {
            quotes.Clear();
            Assert.True(ladder.Settles(seizedMax) == settled, $"seizure {seizedMax}: settled should be {settled}");
            Assert.Equal(quoted, quotes);
        }
    }
}
