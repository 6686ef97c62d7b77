using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Tests.Support;
using Sale = DefiCascade.Simulation.MonteCarlo.BranchingRatio.Sale;

namespace DefiCascade.Simulation.Tests.MonteCarlo;

public class BranchingRatioTests
{
    [Fact]
    public void Constructed_sales_are_credited_to_the_block_whose_sales_pushed_each_account_under()
    {
        // Accounts 1..5. End-of-block below-HF-1 sets: after 1 {2} (account 2 waits for gas), after 2 {3}, after 3 and 4 none.
        // Block 1: 1 sells 100 (shock). Block 2: 2 sells 50 (below since block 1: shock, not triggered).
        // Block 3: 3 sells 30 (below after 2, not after 1: crossed in 2, credited to block 1);
        //          1 sells 10 again (above after 2: crossed again in 3, credited to block 2).
        // Block 4: 4 sells 20 (crossed in 4, credited to block 3). Block 5: 5 sells 1 (credited to block 4).
        var sales = new List<Sale> { new(1, 1, 100), new(2, 2, 50), new(3, 3, 30), new(3, 1, 10), new(4, 4, 20), new(5, 5, 1) };
        var below = new Dictionary<int, HashSet<long>> { [1] = [2], [2] = [3], [3] = [], [4] = [], [5] = [] };

        var r = BranchingRatio.Compute(1_000, 10, sales, below, 5);

        // S = 100, 50, 40, 20, 1; T = 30, 10, 20, 1, 0. Floor 10: block 5 (sold 1) is too small to rate.
        // R0 = 0.3, 0.2, 0.5, 0.05; overall (30 + 10 + 20 + 1) / (100 + 50 + 40 + 20) = 61 / 210 = 0.290476 (six decimals, floored).
        Assert.Equal([1, 2, 3, 4, 5], r.Blocks.Select(b => b.Block));
        Assert.Equal(new BigInteger[] { 100, 50, 40, 20, 1 }, r.Blocks.Select(b => b.SoldUsd));
        Assert.Equal(new BigInteger[] { 30, 10, 20, 1, 0 }, r.Blocks.Select(b => b.TriggeredUsd));
        Assert.Equal(new double?[] { 0.3, 0.2, 0.5, 0.05, null }, r.Blocks.Select(b => b.R0));
        Assert.Equal(0.290476, r.OverallR0);
        Assert.Equal(new BigInteger(150), r.ShockGenerationUsd);
    }

    [Fact]
    public void Below_the_floor_everywhere_the_overall_ratio_is_too_small_to_rate()
    {
        var r = BranchingRatio.Compute(1_000, 1_000, [new Sale(1, 1, 100), new Sale(2, 2, 90)], new Dictionary<int, HashSet<long>> { [1] = [] }, 2);

        Assert.All(r.Blocks, b => Assert.Null(b.R0));
        Assert.Null(r.OverallR0);
        Assert.Equal(new BigInteger(90), r.Blocks[0].TriggeredUsd);
    }

    /// <summary>
    /// A chain built by hand: ETH -10% to $1,800. A (10 WETH / 15,000, HF 0.99) is liquidated in block 1 and its
    /// liquidator sells about $7,800 of WETH; at $3,000 of off-chain depth per 1% that presses ETH about 2.6% lower,
    /// to ~$1,753, where B (10 / 14,700: HF 1.0102 at $1,800, 0.984 at $1,753) falls under in block 2. B's sale
    /// (~$7,700) takes ETH to ~$1,708, where C (10 / 14,400: HF 1.0043 at $1,753, 0.979 at $1,708) falls in block 3.
    /// C's sale pushes nobody: A and B, half repaid, sit near HF 1.05 at ~$1,665.
    /// </summary>
    private static MarketBuilder Chain() => MarketBuilder.AMarket()
        .WithPosition(10, 15_000).WithPosition(10, 14_700).WithPosition(10, 14_400)
        .WithV2Pool(100_000_000, 50_000);

    private static Scenario Shock(long wethDepthUsdPerPercent) => TestScenarios.InstantShock("0.9") with
    {
        Market = MarketAssumptions.Default with
        {
            OffChainDepthUsdPerPercent = new Dictionary<string, BigInteger> { ["WETH"] = wethDepthUsdPerPercent, ["USDC"] = 500_000_000 },
        },
    };

    [Fact]
    public void On_a_constructed_cascade_each_block_triggers_the_next_blocks_sale()
    {
        var scenario = Shock(3_000);
        var run = new CascadeEngine(Chain().Build(), CriticalShock.InstantVariant(scenario, 1_000), 1).Run();
        var sold = run.Liquidations.GroupBy(e => e.Block).ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (s, e) => s + e.CollateralSeizedUsd - e.ProtocolFeeUsd));
        Assert.Equal([1, 2, 3], sold.Keys.Order());

        var r = BranchingRatio.Measure(Chain().Build(), scenario, 1, 1_000_00000000);

        Assert.Equal(1_000, r.ShockBps);
        Assert.Equal([1, 2, 3], r.Blocks.Select(b => b.Block));
        Assert.Equal(sold[2], r.Blocks[0].TriggeredUsd);
        Assert.Equal(sold[3], r.Blocks[1].TriggeredUsd);
        Assert.Equal(BigInteger.Zero, r.Blocks[2].TriggeredUsd);
        Assert.Equal(sold[1], r.ShockGenerationUsd);
        // About 7,700 / 7,800: each sale sets off one of about its own size.
        Assert.InRange(r.Blocks[0].R0!.Value, 0.9, 1.1);
        Assert.InRange(r.Blocks[1].R0!.Value, 0.9, 1.1);
        Assert.Equal(0.0, r.Blocks[2].R0);
    }

    [Fact]
    public void Without_price_impact_nothing_is_triggered()
    {
        // $5 billion per 1%: A's sale moves ETH by 0.00016%, so B and C never fall under.
        var r = BranchingRatio.Measure(Chain().Build(), Shock(5_000_000_000), 1, 1_000_00000000);

        var only = Assert.Single(r.Blocks);
        Assert.Equal(1, only.Block);
        Assert.Equal(0.0, only.R0);
        Assert.Equal(0.0, r.OverallR0);
    }
}
