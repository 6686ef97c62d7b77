using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;
using ScenarioMitigations = DefiCascade.Simulation.Scenarios.Mitigations;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Mitigations;

/// <summary>
/// Each mitigation against the same run without it, on hand-built markets: three equal positions of
/// 10 WETH against 15,000 USDC (HF 1.1 at $2,000, 0.99 at $1,800: each repays 7,500 USDC at the 50%
/// close factor) and a deep pool (100M USDC / 50,000 WETH), so every liquidation pays.
/// </summary>
public class MitigationEngineTests
{
    private static readonly BigInteger Usd = 100_000_000;

    private static MarketBuilder ThreePositions() =>
        MarketBuilder.AMarket().WithPosition(10, 15_000).WithPosition(10, 15_000).WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000);

    private static SimulationResult Run(Scenario scenario) => new CascadeEngine(ThreePositions().Build(), scenario, seed: 1).Run();

    private static Scenario With(Scenario scenario, BigInteger? cap = null, CircuitBreakerSpec? breaker = null) =>
        scenario with { Mitigations = new ScenarioMitigations(cap, breaker) };

    [Fact]
    public void Without_mitigations_all_three_are_liquidated_in_the_first_block_and_no_report_is_attached()
    {
        var result = Run(TestScenarios.InstantShock("0.9"));

        Assert.Equal(3, result.Liquidations.Count);
        Assert.All(result.Liquidations, e => Assert.Equal(1, e.Block));
        Assert.Equal(22_500 * Usd, result.Totals.DebtRepaidUsd);
        Assert.Null(result.Mitigation);
        Assert.DoesNotContain(result.Header.Assumptions, a => a.Name.StartsWith("mitigation", StringComparison.Ordinal));
    }

    [Fact]
    public void A_liquidation_cap_cuts_the_slice_that_crosses_it_and_moves_the_rest_to_the_next_block()
    {
        // Cap $10,000 per block. Block 1: the first account repays 7,500; the second would repay 7,500 but
        // $2,500 is left, so its slice is cut to exactly 2,500 USDC (still pays: 5% bonus on $2,500 > ~$88 gas),
        // which lifts its HF to (10 - 1.4583) * 1800 * 0.825 / 12,500 = 1.0147: above 1, done. The third waits;
        // block 2 repays its 7,500. Volume 17,500 against 22,500 without the cap.
        var result = Run(With(TestScenarios.InstantShock("0.9"), cap: 10_000 * Usd));

        Assert.Equal([1, 1, 2], result.Liquidations.Select(e => e.Block));
        Assert.Equal([new BigInteger(7_500_000_000), new BigInteger(2_500_000_000), new BigInteger(7_500_000_000)], result.Liquidations.Select(e => e.DebtRepaid));
        Assert.True(result.Liquidations[1].PartialSlice);
        Assert.All(result.Blocks, b => Assert.True(b.DebtRepaidUsd <= 10_000 * Usd, $"block {b.Block} repaid {b.DebtRepaidUsd}"));
        Assert.Equal(10_000 * Usd, result.Blocks[0].DebtRepaidUsd);

        var report = Assert.IsType<MitigationReport>(result.Mitigation);
        Assert.Equal([1], report.LiquidationCapBoundBlocks);
        Assert.Empty(report.PausedBlocks);
        var effect = Assert.IsType<MitigationEffect>(report.Effect);
        Assert.Equal(17_500 * Usd, effect.DebtRepaidUsd);
        Assert.Equal(22_500 * Usd, effect.DebtRepaidUsdWithout);
        Assert.Equal(3, effect.LiquidationEvents);
        Assert.Equal(3, effect.LiquidationEventsWithout);
        Assert.Equal("converged", result.Status.Outcome);

        var row = Assert.Single(result.Header.Assumptions, a => a.Name == "mitigation: liquidation cap per block");
        Assert.Contains("bound in 1 of", row.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cap_too_small_for_a_paying_slice_leaves_positions_waiting_and_the_run_truncated()
    {
        // $50 per block: no slice that small covers ~$88 of gas, so nothing is liquidated and the cap binds every block.
        var result = Run(With(TestScenarios.InstantShock("0.9", settleBlocks: 5), cap: 50 * Usd));

        Assert.Empty(result.Liquidations);
        Assert.Equal("truncated", result.Status.Outcome);
        Assert.Equal(Enumerable.Range(1, 6), result.Mitigation!.LiquidationCapBoundBlocks);
        var waiting = Assert.Single(result.Unliquidatable);
        Assert.Equal(UnliquidatableReason.LiquidationCap, waiting.Reason);
        Assert.Equal(3, waiting.Accounts);
    }

    [Fact]
    public void A_circuit_breaker_pauses_liquidations_through_a_sharp_move_and_they_resume_when_the_window_clears()
    {
        // WETH -10% in block 1, breaker at 5% over 3 blocks. The window holds the answers of blocks t-3..t: block 0's
        // $2,000 stays in it through block 3, so blocks 1-3 are paused; at block 4 it holds only $1,800 and all three go.
        var result = Run(With(TestScenarios.InstantShock("0.9"), breaker: new CircuitBreakerSpec(Wad.FromDecimal("5"), 3)));

        Assert.Equal([1, 2, 3], result.Mitigation!.PausedBlocks);
        Assert.Equal(3, result.Liquidations.Count);
        Assert.All(result.Liquidations, e => Assert.Equal(4, e.Block));
        Assert.All(result.Blocks.Take(3), b => Assert.True(b.LiquidationsPaused && b.Liquidations == 0));
        var effect = result.Mitigation.Effect!;
        Assert.Equal(effect.DebtRepaidUsdWithout, effect.DebtRepaidUsd);
        Assert.Equal(effect.BlocksSimulatedWithout + 3, effect.BlocksSimulated);

        var row = Assert.Single(result.Header.Assumptions, a => a.Name == "mitigation: circuit breaker");
        Assert.Contains("> 5% within 3 blocks; tripped in 3 of", row.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_circuit_breaker_does_not_trip_on_a_slow_move_of_the_same_size()
    {
        // The same -10%, spread over 100 blocks: no 3-block window spans 5%, so nothing pauses and the run equals the one without.
        var slow = TestScenarios.InstantShock("0.9") with { DurationBlocks = 100, DriverPath = [new PathPoint(0, Wad.One), new PathPoint(100, Wad.FromDecimal("0.9"))] };
        var result = Run(With(slow, breaker: new CircuitBreakerSpec(Wad.FromDecimal("5"), 3)));

        Assert.Empty(result.Mitigation!.PausedBlocks);
        Assert.NotEmpty(result.Liquidations);
        Assert.Equal(result.Mitigation.Effect!.DebtRepaidUsdWithout, result.Mitigation.Effect.DebtRepaidUsd);
        Assert.Equal(result.Mitigation.Effect.BlocksSimulatedWithout, result.Mitigation.Effect.BlocksSimulated);
    }

    [Fact]
    public void Positions_still_below_one_when_the_run_ends_in_a_pause_say_the_breaker_held_them()
    {
        // A window longer than the settle cap: the pause outlasts the run, which is truncated, not converged.
        var result = Run(With(TestScenarios.InstantShock("0.9", settleBlocks: 5), breaker: new CircuitBreakerSpec(Wad.FromDecimal("5"), 50)));

        Assert.Empty(result.Liquidations);
        Assert.Equal("truncated", result.Status.Outcome);
        Assert.Equal(UnliquidatableReason.CircuitBreaker, Assert.Single(result.Unliquidatable).Reason);
    }
}
