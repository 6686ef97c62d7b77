using System.Numerics;
using DefiCascade.Simulation.Sweeps;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Sweeps;

public class SafeFrontierTests
{
    private static readonly GridContext Context = GridContext.From(MarketBuilder.AMarket().Build());

    [Fact]
    public void The_frontier_is_the_highest_threshold_within_budget_at_each_bonus_worst_over_other_axes()
    {
        var axes = GridParser.ParseVary(
            ["reserve:WETH:liquidationThreshold=8000,8250,8500,8750", "reserve:WETH:liquidationBonus=10500,10700", "scenario:gasPriceGwei=50,200"], Context);
        // VaR99 by (threshold, bonus) at gas 50 and gas 200. Budget 100.
        var table = new Dictionary<(int Lt, int Bonus), (long Gas50, long Gas200)>
        {
            [(8000, 10500)] = (10, 20),
            [(8250, 10500)] = (30, 90),
            [(8500, 10500)] = (40, 101), // over budget at gas 200 only: the worst case fails
            [(8750, 10500)] = (50, 60), // under budget again: non-monotone, and not safe
            [(8000, 10700)] = (5, 5),
            [(8250, 10700)] = (10, 10),
            [(8500, 10700)] = (20, 100), // exactly the budget is within it
            [(8750, 10700)] = (0, 0), // its cells are invalid below: it takes no part
        };
        var grid = new SweepGrid(axes);
        var cells = grid.Cells().Select(c =>
        {
            var key = ((int)c.Values[0], (int)c.Values[1]);
            var (low, high) = table[key];
            BigInteger? var99 = key == (8750, 10700) ? null : c.Values[2] == 50 ? low : high;
            return new FrontierCell(c.Index, c.Values, var99);
        }).ToList();

        var points = SafeFrontier.Find(axes, [new FrontierBase("WETH", 8250, 10500)], 100, cells);

        Assert.Equal(2, points.Count);
        var p5 = points[0];
        Assert.Equal(("WETH", 10500m, 8250m, (BigInteger?)90, 8500m, (BigInteger?)101, true, false),
            (p5.Asset, p5.BonusBps, p5.SafeThresholdBps, p5.SafeVaR99Usd, p5.FailingThresholdBps, p5.FailingVaR99Usd, p5.NonMonotone, p5.Recommended));
        var p7 = points[1];
        Assert.Equal((10700m, 8500m, (BigInteger?)100, (decimal?)null, false, true),
            (p7.BonusBps, p7.SafeThresholdBps, p7.SafeVaR99Usd, p7.FailingThresholdBps, p7.NonMonotone, p7.Recommended));
    }

    [Fact]
    public void Without_a_swept_bonus_the_reserves_own_bonus_is_reported_and_ties_go_to_the_lowest_bonus()
    {
        var axes = GridParser.ParseVary(["reserve:WETH:liquidationThreshold=8000,8250"], Context);
        var cells = new[] { new FrontierCell(0, [8000m], 5), new FrontierCell(1, [8250m], 500) };

        var point = Assert.Single(SafeFrontier.Find(axes, [new FrontierBase("WETH", 8250, 10500)], 100, cells));

        Assert.Equal((10500m, false, 8000m, true), (point.BonusBps, point.BonusSwept, point.SafeThresholdBps, point.Recommended));

        var tie = GridParser.ParseVary(["reserve:WETH:liquidationThreshold=8000", "reserve:WETH:liquidationBonus=10600,10400"], Context);
        var tied = SafeFrontier.Find(tie, [new FrontierBase("WETH", 8250, 10500)], 100, [new FrontierCell(0, [8000m, 10600m], 1), new FrontierCell(1, [8000m, 10400m], 1)]);
        Assert.Equal(10400m, tied.Single(p => p.Recommended).BonusBps);
    }

    [Fact]
    public void No_threshold_within_budget_recommends_nothing()
    {
        var axes = GridParser.ParseVary(["reserve:WETH:liquidationThreshold=8000,8250"], Context);

        var point = Assert.Single(SafeFrontier.Find(axes, [new FrontierBase("WETH", 8250, 10500)], 100, [new FrontierCell(0, [8000m], 101), new FrontierCell(1, [8250m], 102)]));

        Assert.Equal(((decimal?)null, 8000m, false), (point.SafeThresholdBps, point.FailingThresholdBps, point.Recommended));
    }
}
