using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// Group verdicts whose probe fails for a reason other than price: no pool path, a pool that runs
/// dry, a pool book read only within a window. The scaled engine settles whole classes of accounts
/// on such a verdict; the naive engine examines each account; their result.json must be identical,
/// and each reason must reach the report (otherwise the case would not test the verdict at all).
/// </summary>
public class RouteFailureEquivalenceTests
{
    private const string Crash = """
        name: crash
        durationBlocks: 120
        path:
          - { block: 120, multiplier: 0.65 }
        betas: { wstETH: 1.0, WBTC: 0.8 }
        maxSettleBlocks: 0
        """;

    private const string WbtcWeth = "0x4585FE77225b41b697C938B018E2Ac67Ac5a20c0";
    private const string WstEthWeth = "0x109830a1AAaD605BbF02a9dFA7B0B92EC2FB7dAa";

    // Case "dry": the WBTC pool is gone (WBTC collateral has no route) and the wstETH pool holds one
    // position of a few dollars (the $100 probe runs it out of liquidity). Case "window": the same thin
    // wstETH pool, but its book is declared read only within its two ticks (the probe walks past the window).
    [Theory]
    [InlineData(false, UnliquidatableReason.NoRoute, UnliquidatableReason.NoLiquidity)]
    [InlineData(true, UnliquidatableReason.DataExhausted, UnliquidatableReason.DataExhausted)]
    public void Classes_settled_on_a_failed_probe_match_the_naive_engine(bool window, UnliquidatableReason wbtcReason, UnliquidatableReason wstEthReason)
    {
        var generated = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 6_000, Seed = 616 });
        var pools = generated.Pools
            .Where(p => window || !p.Address.ToString().Equals(WbtcWeth, StringComparison.OrdinalIgnoreCase))
            .Select(p => IsPool(p, WstEthWeth) || (window && IsPool(p, WbtcWeth)) ? Thin((UniswapV3PoolSnapshot)p, window) : p)
            .ToList();
        var snapshot = generated with { Pools = pools };
        var scenario = ScenarioLoader.Parse(Crash, "case.yaml", snapshot.Tokens.Select(t => t.Symbol).ToHashSet());

        var engine = new CascadeEngine(snapshot, scenario, seed: 9, new CascadeOptions { CheckCarriedPasses = true, Workers = 2, ParallelFrom = 64 });
        var scaled = engine.Run();
        var naive = new CascadeEngine(snapshot, scenario, seed: 9, new CascadeOptions(NaiveRescan: true)).Run();

        Assert.True(naive.Totals.LiquidationEvents > 0, "the WETH-collateral accounts should still be liquidated");
        Assert.Equal(ResultJson.Serialize(naive), ResultJson.Serialize(scaled));
        Assert.Equal(CsvReports.Liquidations(naive), CsvReports.Liquidations(scaled));

        // Each reason the pools give is what the run reports for the accounts left below HF 1.
        AssertReported(naive, wbtcReason);
        AssertReported(naive, wstEthReason);
        Assert.True(engine.GroupSettled >= 100, $"groups should settle the failed classes' visits, got {engine.GroupSettled}");
    }

    private static void AssertReported(SimulationResult result, UnliquidatableReason reason)
    {
        var accounts = result.Unliquidatable.Where(u => u.Reason == reason).Sum(u => u.Accounts);
        Assert.True(accounts >= 5, $"at least 5 accounts left for {reason} expected, got {accounts}: {string.Join(", ", result.Unliquidatable.Select(u => $"{u.Reason} {u.Accounts}"))}");
    }

    private static bool IsPool(PoolSnapshot pool, string address) =>
        pool.Address.ToString().Equals(address, StringComparison.OrdinalIgnoreCase);

    // One LP position of liquidity 1e15 over +-600 ticks around the price: a few dollars of either token.
    private static UniswapV3PoolSnapshot Thin(UniswapV3PoolSnapshot pool, bool window)
    {
        var spacing = pool.TickSpacing;
        var lower = (pool.Tick - 600) / spacing * spacing;
        var upper = (pool.Tick + 600) / spacing * spacing;
        var liquidity = BigInteger.Pow(10, 15);
        TickSnapshot[] ticks = [new(lower, liquidity, liquidity), new(upper, -liquidity, liquidity)];
        return pool with
        {
            Liquidity = liquidity,
            Ticks = ticks,
            TickBookLower = window ? lower : null,
            TickBookUpper = window ? upper : null,
        };
    }
}
