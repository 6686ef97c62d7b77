using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using static DefiCascade.Lending.Tests.AaveV3.AaveTestMarket;

namespace DefiCascade.Lending.Tests.AaveV3;

/// <summary>Each revert of liquidationCall, in ValidationLogic.validateLiquidationCall's order, then the burns' INVALID_BURN_AMOUNT.</summary>
public sealed class AaveRefusalTests
{
    // 10 WETH vs 15,000 USDC at $1,800: HF 0.99, liquidatable.
    private static (AaveV3Market M, AaveAccount A) Liquidatable(Func<AaveReserve, AaveReserve>? tweak = null)
    {
        var m = Build(tweak: tweak);
        return (m, Account(m).Supply(m, Weth, 10 * E18).Borrow(m, Usdc, 15_000 * E6));
    }

    private static LiquidationQuote Run(AaveV3Market m, AaveAccount a, int collateral = Weth, int debt = Usdc, decimal weth = 1800m, bool receiveAToken = false) =>
        AaveV3Liquidation.Quote(m, a, Prices(weth: weth), new LiquidationRequest(collateral, debt, UInt256.Max, receiveAToken));

    [Theory]
    [InlineData(Weth)]
    [InlineData(Usdc)]
    public void Inactive_collateral_or_debt_reserve(int inactive)
    {
        var (m, a) = Liquidatable(r => r.Index == inactive ? r with { Active = false, Paused = true } : r);
        // Inactive is checked before paused and before the health factor.
        Assert.Equal(LiquidationError.ReserveInactive, Run(m, a, weth: 3000m).Error);
    }

    [Theory]
    [InlineData(Weth)]
    [InlineData(Usdc)]
    public void Paused_collateral_or_debt_reserve(int paused)
    {
        var (m, a) = Liquidatable(r => r.Index == paused ? r with { Paused = true } : r);
        Assert.Equal(LiquidationError.ReservePaused, Run(m, a, weth: 3000m).Error);
    }

    [Fact]
    public void Frozen_reserves_can_still_be_liquidated()
    {
        var (m, a) = Liquidatable(r => r with { Frozen = true });
        Assert.True(Run(m, a).Ok);
    }

    [Fact]
    public void Healthy_account_including_exactly_one()
    {
        var (m, a) = Liquidatable();
        var healthy = Run(m, a, weth: 2000m);
        Assert.Equal(LiquidationError.HealthFactorNotBelowThreshold, healthy.Error);
        Assert.Equal(1_100_000_000_000_000_000, healthy.HealthFactorBefore);

        // 10 WETH at $2,000 against 16,500 USDC: 20,000e8.percentMul(8250) = 16,500e8; .wadDiv(16,500e8) = 1e18, not below 1.
        var m2 = Build();
        var a2 = Account(m2).Supply(m2, Weth, 10 * E18).Borrow(m2, Usdc, 16_500 * E6);
        var q = Run(m2, a2, weth: 2000m);
        Assert.Equal(1_000_000_000_000_000_000, q.HealthFactorBefore);
        Assert.Equal(LiquidationError.HealthFactorNotBelowThreshold, q.Error);
    }

    [Fact]
    public void Health_is_checked_before_the_collateral_and_the_debt()
    {
        var (m, a) = Liquidatable();
        Assert.Equal(LiquidationError.HealthFactorNotBelowThreshold, Run(m, a, collateral: Wbtc, debt: Dai, weth: 2000m).Error);
    }

    [Fact]
    public void Collateral_not_supplied_by_the_user()
    {
        var (m, a) = Liquidatable();
        Assert.Equal(LiquidationError.CollateralCannotBeLiquidated, Run(m, a, collateral: Wbtc).Error);
    }

    [Fact]
    public void Collateral_with_zero_threshold()
    {
        var (m, a) = Liquidatable();
        a.Supply(m, Dai, 1 * E18);
        var zeroLt = m.WithReserve(m.Reserves[Dai] with { LiquidationThresholdBps = 0 });
        Assert.Equal(LiquidationError.CollateralCannotBeLiquidated, Run(zeroLt, a, collateral: Dai).Error);
    }

    [Fact]
    public void Collateral_switched_off_by_the_user()
    {
        var (m, a) = Liquidatable();
        a.Supply(m, Dai, 100 * E18);
        a.CollateralDisabled[Dai] = true;
        Assert.Equal(LiquidationError.CollateralCannotBeLiquidated, Run(m, a, collateral: Dai).Error);
    }

    [Fact]
    public void Collateral_is_checked_before_the_debt()
    {
        var (m, a) = Liquidatable();
        Assert.Equal(LiquidationError.CollateralCannotBeLiquidated, Run(m, a, collateral: Wbtc, debt: Dai).Error);
    }

    [Fact]
    public void Currency_not_borrowed_by_the_user()
    {
        var (m, a) = Liquidatable();
        var q = Run(m, a, debt: Dai);
        Assert.Equal(LiquidationError.SpecifiedCurrencyNotBorrowedByUser, q.Error);
        Assert.Equal(0, q.MaxLiquidatableDebt);
    }

    [Fact]
    public void Zero_debt_to_cover_fails_in_the_debt_burn_after_validation()
    {
        var (m, a) = Liquidatable();
        var before = a.Clone();
        var q = AaveV3Liquidation.Execute(m, a, Prices(weth: 1800m), new LiquidationRequest(Weth, Usdc, 0));
        Assert.Equal(LiquidationError.InvalidAmount, q.Error);
        Assert.Equal(before.ScaledDebt, a.ScaledDebt);
        Assert.Equal(before.ScaledCollateral, a.ScaledCollateral);

        // Validation comes first: a healthy account is refused for its health, not for the amount.
        var healthy = AaveV3Liquidation.Quote(m, a, Prices(weth: 2000m), new LiquidationRequest(Weth, Usdc, 0));
        Assert.Equal(LiquidationError.HealthFactorNotBelowThreshold, healthy.Error);
    }

    [Fact]
    public void Collateral_rounding_to_zero_fails_the_aToken_burn_but_not_the_aToken_transfer()
    {
        var m = Build();
        var a = Account(m).Supply(m, Wbtc, E8).Borrow(m, Dai, 30_000 * E18);
        var oracle = Prices(wbtc: 30000m);
        // 1 wei of DAI covers 1e8 * 1 * 1e8 / (30,000e8 * 1e18) = 0 sat of WBTC.
        var burn = AaveV3Liquidation.Quote(m, a, oracle, new LiquidationRequest(Wbtc, Dai, 1));
        Assert.Equal(LiquidationError.InvalidAmount, burn.Error);

        // With receiveAToken the contract transfers 0 aTokens without complaint: 1 wei repaid for nothing.
        var transfer = AaveV3Liquidation.Quote(m, a, oracle, new LiquidationRequest(Wbtc, Dai, 1, ReceiveAToken: true));
        Assert.True(transfer.Ok);
        Assert.Equal(1, transfer.DebtRepaid);
        Assert.Equal(0, transfer.CollateralSeized);
    }
}
