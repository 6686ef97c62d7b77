using System.Collections.Concurrent;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Sweeps;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Sweeps;

public class SweepRunnerTests
{
    private static readonly Core.Snapshot.MarketSnapshot Market = MarketBuilder.AMarket()
        .WithPosition(10, 16_000).WithPosition(5, 8_300).WithPosition(2, 3_000).WithV2Pool(2_000_000, 1000).Build();

    [Fact]
    public void Every_cell_runs_the_same_path_seeds_and_invalid_cells_run_none()
    {
        var scenario = TestScenarios.InstantShock("0.8", settleBlocks: 5) with { NoiseBpsPerBlock = 50 };
        var grid = new SweepGrid(GridParser.ParseVary(["reserve:WETH:liquidationThreshold=7000,8250,8500", "scenario:gasPriceGwei=20,300"], GridContext.From(Market)));
        var seen = new ConcurrentBag<(int Lt, int Gas, int Seed)>();
        PathRunner recording = (snapshot, s, seed, cancel) =>
        {
            seen.Add((snapshot.AaveV3Markets[0].Reserves.Single(r => r.Asset == "WETH").LiquidationThresholdBps, s.Market.GasPriceGwei, seed));
            return MonteCarloRunner.Engine(snapshot, s, seed, cancel);
        };

        var run = SweepRunner.Run(Market, scenario, grid, new SweepOptions(3, 2, 11, RunBase: false), runner: recording);

        var expected = Enumerable.Range(0, 3).Select(i => PathSeeds.ForPath(11, i)).Order().ToList();
        var byCell = seen.GroupBy(s => (s.Lt, s.Gas)).ToDictionary(g => g.Key, g => g.Select(x => x.Seed).Order().ToList());
        Assert.Equal(4, byCell.Count); // threshold 7000 is below WETH's ltv 8000: two invalid cells, never run
        Assert.All(byCell.Values, seeds => Assert.Equal(expected, seeds));
        Assert.Equal([true, true, false, false, false, false], run.Cells.Select(c => c.Invalid is not null));
        Assert.All(run.Cells.Skip(2), c => Assert.Equal(3, c.Paths));
        Assert.Equal(Enumerable.Range(0, 6), run.Cells.Select(c => c.Cell.Index));
    }

    [Fact]
    public void One_and_two_threads_give_the_same_cells_and_a_shard_gives_its_cells_of_the_whole()
    {
        var scenario = TestScenarios.InstantShock("0.75", settleBlocks: 5) with { NoiseBpsPerBlock = 40 };
        var grid = new SweepGrid(GridParser.ParseVary(["reserve:WETH:liquidationThreshold=8250,8600", "reserve:WETH:liquidationBonus=10300,10800"], GridContext.From(Market)));

        var one = SweepRunner.Run(Market, scenario, grid, new SweepOptions(4, 1, 3, RunBase: false));
        var two = SweepRunner.Run(Market, scenario, grid, new SweepOptions(4, 2, 3, RunBase: false));
        var shard = SweepRunner.Run(Market, scenario, grid, new SweepOptions(4, 2, 3, Shard: 2, Shards: 3, RunBase: false));

        Assert.Equal(one.Cells.Select(c => c.Metrics), two.Cells.Select(c => c.Metrics));
        // Four cells: shard 2 of 3 holds cell 1 alone (index % 3 == 1).
        Assert.Equal([1], shard.Cells.Select(c => c.Cell.Index));
        Assert.Equal(one.Cells[1].Metrics, shard.Cells[0].Metrics);
        Assert.NotEqual(one.Cells[0].Metrics, one.Cells[3].Metrics);
    }
}
