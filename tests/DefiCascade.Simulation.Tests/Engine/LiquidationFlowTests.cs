using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// End-to-end block-clock runs on hand-built markets whose outcomes are derived by hand.
/// The pool is deep (100M USDC / 50,000 WETH) unless a test says otherwise, so slippage is small.
/// Gas at 100 gwei: (370k liquidation + 120k swap) * 100 gwei = 0.049 ETH, about $88 at $1,800.
/// </summary>
public class LiquidationFlowTests
{
    private static SimulationResult Run(MarketBuilder market, Simulation.Scenarios.Scenario scenario) =>
        new CascadeEngine(market.Build(), scenario, seed: 1).Run();

    [Fact]
    public void Position_just_below_one_is_liquidated_at_the_half_close_factor_with_the_contracts_amounts()
    {
        // 10 WETH vs 15,000 USDC: HF at $2,000 = 10*2000*0.825/15000 = 1.1; at $1,800 = 0.99 (> 0.95: close factor 50%).
        // Repay 7,500 USDC. Base collateral = floor(1e8 * 7500e6 * 1e18 / (1800e8 * 1e6)) = 4166666666666666666 wei;
        // with the 5% bonus percentMul -> 4374999999999999999; bonus part 4374999999999999999 - percentDiv(.., 10500)
        // = 208333333333333333, fee 10% -> 20833333333333333; liquidator gets 4354166666666666666.
        // HF after: (10 - 4.375) WETH * 1800 * 0.825 / 7500 = 1.11375 (the contract observed exactly this on anvil).
        var result = Run(MarketBuilder.AMarket().WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.9"));

        var e = Assert.Single(result.Liquidations);
        Assert.Equal(1, e.Block);
        Assert.Equal(new BigInteger(7_500_000_000), e.DebtRepaid);
        Assert.Equal(BigInteger.Parse("4354166666666666666"), e.CollateralToLiquidator);
        Assert.Equal(BigInteger.Parse("20833333333333333"), e.ProtocolFee);
        Assert.Equal(BigInteger.Parse("990000000000000000"), e.HealthFactorBefore);
        Assert.Equal(BigInteger.Parse("1113750000000000000"), e.HealthFactorAfter);
        Assert.Equal(5000, e.CloseFactorBps);
        Assert.False(e.PartialSlice);
        Assert.True(e.ProfitUsd > 0, $"a bot only acts when it pays; profit {e.ProfitUsd}");
        Assert.Equal("converged", result.Status.Outcome);
        Assert.Equal(BigInteger.Zero, result.Totals.BadDebtUsd);
    }

    [Fact]
    public void Below_hf_095_the_whole_debt_is_repaid_in_one_call()
    {
        // 10 WETH vs 14,000 USDC at $1,600: HF = 10*1600*0.825/14000 = 0.942857 < 0.95 -> close factor 100%.
        // Collateral needed 14000/1600*1.05 = 9.1875 WETH < 10: the cap does not bind, all 14,000 USDC repaid.
        var result = Run(MarketBuilder.AMarket().WithPosition(10, 14_000).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.8"));

        var e = Assert.Single(result.Liquidations);
        Assert.Equal(new BigInteger(14_000_000_000), e.DebtRepaid);
        Assert.Equal(10_000, e.CloseFactorBps);
        Assert.Equal(UInt256.Max, e.HealthFactorAfter);
    }

    [Fact]
    public void When_the_collateral_cap_binds_the_debt_left_is_realized_bad_debt()
    {
        // 1 WETH vs 1,900 USDC at $1,500: collateral $1,500 < debt. HF 0.651 -> close factor 100%;
        // needed 1900/1500*1.05 = 1.33 WETH > 1: all 1 WETH seized, debt recomputed:
        // percentDiv(floor(1500e8 * 1e18 * 1e6 / (1e8 * 1e18)) = 1500000000, 10500) = (15e12 + 5250) / 10500 = 1428571429.
        // Debt left 1,900,000,000 - 1,428,571,429 = 471,428,571 (USDC base units) = $471.428571 of realized bad debt.
        // Gas at 10 gwei (~$7) so that the sale pays.
        var result = Run(MarketBuilder.AMarket().WithPosition(1, 1_900).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.75", gasPriceGwei: 10));

        var e = Assert.Single(result.Liquidations);
        Assert.True(e.CollateralCapBinding);
        Assert.Equal(new BigInteger(1_428_571_429), e.DebtRepaid);
        Assert.Equal(new BigInteger(47_142_857_100), result.Totals.RealizedBadDebtUsd);
        Assert.Equal(result.Totals.RealizedBadDebtUsd, result.Totals.BadDebtUsd);
        var left = Assert.Single(result.BadDebtAccounts);
        Assert.Equal(UnliquidatableReason.NoCollateral, left.Reason);
        Assert.Equal(new BigInteger(47_142_857_100), Assert.Single(result.Reserves, r => r.Asset == "USDC").BadDebtUsd);
    }

    [Fact]
    public void An_underwater_position_that_does_not_pay_is_left_and_counted_as_bad_debt()
    {
        // Same position at 100 gwei: selling 0.995 WETH at ~$1,496 yields ~$1,489 against 1,428.57 repaid + 0.71 flash
        // fee + ~$73 of gas: a loss at full size, and smaller slices lose more (gas is fixed). Nobody liquidates.
        // Shortfall at oracle prices: 1,900 - 1,500 = $400.
        var result = Run(MarketBuilder.AMarket().WithPosition(1, 1_900).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.75"));

        Assert.Empty(result.Liquidations);
        Assert.Equal(new BigInteger(400_00000000), result.Totals.BadDebtUsd);
        Assert.Equal(UnliquidatableReason.Unprofitable, Assert.Single(result.BadDebtAccounts).Reason);
        Assert.Equal(UnliquidatableReason.Unprofitable, Assert.Single(result.Unliquidatable).Reason);
    }

    [Fact]
    public void A_position_worth_less_than_the_gas_is_dust()
    {
        // 0.01 WETH vs 15 USDC: at $1,800, HF 0.99, but one liquidation + swap costs ~$88 of gas.
        var result = Run(MarketBuilder.AMarket().WithPosition(0.01m, 15).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.9"));

        Assert.Empty(result.Liquidations);
        Assert.Equal(UnliquidatableReason.Dust, Assert.Single(result.Unliquidatable).Reason);
    }

    [Fact]
    public void In_a_thin_pool_the_bot_takes_the_largest_slice_that_pays_instead_of_all_or_nothing()
    {
        // 100 WETH vs 150,000 USDC at $1,700: HF = 100*1700*0.825/150000 = 0.935 < 0.95, so all 150,000 USDC may be
        // repaid; that seizes ~92.6 WETH, sold into a pool holding ~200 WETH: ~30% slippage against a 5% bonus.
        // A slice pays; each slice lifts HF only a little, so further slices follow once arbitrage refills the pool.
        var result = Run(MarketBuilder.AMarket().WithPosition(100, 150_000).WithV2Pool(400_000, 200), TestScenarios.InstantShock("0.85"));

        var first = result.Liquidations[0];
        Assert.True(first.PartialSlice);
        Assert.Equal(10_000, first.CloseFactorBps);
        Assert.True(first.DebtRepaid < new BigInteger(150_000_000_000) / 4, $"slice {first.DebtRepaid} should be a fraction of the 150,000 USDC cap");
        Assert.True(first.HealthFactorAfter < BigInteger.Parse("1000000000000000000"), "one slice does not restore the account");
        Assert.All(result.Liquidations, e => Assert.True(e.ProfitUsd >= 0, $"event at block {e.Block} lost {e.ProfitUsd}"));
        Assert.True(result.Liquidations.Select(e => e.Block).Distinct().Count() > 1, "arbitrage refills the pool between blocks, so more slices follow");
    }

    [Fact]
    public void The_block_gas_budget_spreads_liquidations_over_blocks_and_says_so()
    {
        var market = MarketBuilder.AMarket().WithV2Pool(100_000_000, 50_000);
        for (var i = 0; i < 5; i++)
        {
            market.WithPosition(10, 15_000);
        }

        // Each liquidation + swap needs ~490k gas; a 1M budget fits two per block.
        var result = Run(market, TestScenarios.InstantShock("0.9", gasBudget: 1_000_000));

        Assert.Equal(5, result.Liquidations.Count);
        Assert.True(result.Blocks[0].GasBudgetBound);
        Assert.Equal(2, result.Blocks[0].Liquidations);
        Assert.Equal(3, result.Liquidations.Select(e => e.Block).Distinct().Count());
    }

    [Fact]
    public void A_settle_cap_that_binds_reports_truncated_not_converged()
    {
        var result = Run(MarketBuilder.AMarket().WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.9", settleBlocks: 0));

        Assert.Equal("truncated", result.Status.Outcome);
        Assert.Contains("truncated", result.Status.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Liquidators_selling_press_the_external_price_below_the_exogenous_path()
    {
        // Depth $50M per 1%: ~40 liquidations of ~$7.8k of WETH each push WETH down a little; without
        // liquidations the realized move equals the exogenous one.
        var market = MarketBuilder.AMarket().WithV2Pool(100_000_000, 50_000);
        for (var i = 0; i < 40; i++)
        {
            market.WithPosition(10, 15_000);
        }

        var withCascade = Run(market, TestScenarios.InstantShock("0.9"));
        var quiet = Run(MarketBuilder.AMarket().WithPosition(10, 5_000).WithV2Pool(100_000_000, 50_000), TestScenarios.InstantShock("0.9"));

        var weth = withCascade.Prices.Single(p => p.Asset == "WETH");
        Assert.True(weth.RealizedEnd < weth.ExogenousEnd, $"realized {weth.RealizedEnd} vs exogenous {weth.ExogenousEnd}");
        Assert.True(weth.AmplificationPoints < 0);
        var calm = quiet.Prices.Single(p => p.Asset == "WETH");
        Assert.Equal(calm.ExogenousEnd, calm.RealizedEnd);
        Assert.Equal(0, calm.AmplificationPoints);
    }
}
