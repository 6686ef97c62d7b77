using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using static DefiCascade.Lending.Tests.AaveV3.AaveTestMarket;

namespace DefiCascade.Lending.Tests.AaveV3;

public sealed class AaveLiquidationCaseTests
{
    [Fact]
    public void Collateral_cap_binds_and_the_debt_is_recomputed_with_percentDiv()
    {
        var m = Build();
        var a = Account(m).Supply(m, Weth, E18).Borrow(m, Usdc, 5_000 * E6);
        var oracle = Prices(weth: 1800m);
        // HF = 1,800e8.percentMul(8250) = 1,485e8; .wadDiv(5,000e8) = 0.297e18 < 0.95: close factor 100%.
        Assert.Equal(297_000_000_000_000_000, Hf(m, a, oracle));

        var q = AaveV3Liquidation.Execute(m, a, oracle, new LiquidationRequest(Weth, Usdc, UInt256.Max));

        Assert.True(q.Ok);
        Assert.True(q.CollateralCapBinding);
        Assert.Equal(5_000 * E6, q.MaxLiquidatableDebt);
        // max collateral = (1e8 * 5,000e6 * 1e18 / (1,800e8 * 1e6) = 2777777777777777777).percentMul(10500) = 2916666666666666666 > 1e18:
        // all 1e18 is seized; debt = ((1,800e8 * 1e18 * 1e6) / (1e8 * 1e18) = 1,800e6).percentDiv(10500)
        //                            = floor((1,800e6 * 1e4 + 5250) / 10500) = floor(1714285714.78) = 1714285714.
        Assert.Equal(1_714_285_714, q.DebtRepaid);
        Assert.Equal(E18, q.CollateralSeized);
        // bonus part = 1e18 - floor((1e22 + 5250) / 10500) = 1e18 - 952380952380952381 = 47619047619047619;
        // fee = floor((47619047619047619000 + 5000) / 1e4) = 4761904761904762.
        Assert.Equal(4_761_904_761_904_762, q.ProtocolFee);
        Assert.Equal(995_238_095_238_095_238, q.CollateralToLiquidator);
        // What is left is bad debt: no collateral, 5,000e6 - 1714285714 = 3285714286 USDC wei owed, HF 0.
        Assert.False(a.HasCollateral);
        Assert.Equal(3_285_714_286, a.DebtBalance(m, Usdc));
        Assert.Equal(BigInteger.Zero, Hf(m, a, oracle));
    }

    [Fact]
    public void Multi_collateral_multi_debt_health_factor_blends_every_reserve()
    {
        var m = Build();
        var a = Account(m)
            .Supply(m, Weth, 5 * E18).Supply(m, Wbtc, E8 / 10)
            .Borrow(m, Usdc, 6_000 * E6).Borrow(m, Dai, 2_000 * E18);

        var d = AaveV3Accounting.CalculateUserAccountData(m, a, Prices(weth: 2000m));
        // collateral 5 * 2,000 + 0.1 * 30,000 = 13,000e8; debt 6,000 + 2,000 = 8,000e8.
        Assert.Equal(13_000 * E8, d.TotalCollateralBase);
        Assert.Equal(8_000 * E8, d.TotalDebtBase);
        // avgLT = floor((10,000e8 * 8250 + 3,000e8 * 7800) / 13,000e8) = floor(8146.15) = 8146;
        // HF = (13,000e8 * 8146 / 1e4 = 10,589.8e8).wadDiv(8,000e8) = 1.323725e18.
        Assert.Equal(8146, d.CurrentLiquidationThreshold);
        Assert.Equal(1_323_725_000_000_000_000, d.HealthFactor);

        // WETH to $1,200: collateral 9,000e8; avgLT = (6,000e8 * 8250 + 3,000e8 * 7800) / 9,000e8 = 8100;
        // HF = 7,290e8.wadDiv(8,000e8) = 0.91125e18 < 0.95.
        var oracle = Prices(weth: 1200m);
        Assert.Equal(911_250_000_000_000_000, Hf(m, a, oracle));

        // Seize WBTC for DAI: max = 2,000e18 (close factor 100%);
        // base = 1e8 * 2,000e18 * 1e8 / (30,000e8 * 1e18) = 6666666 sat; * 1.065 -> floor((6666666 * 10650 + 5000) / 1e4) = 7099999 <= 1e7.
        // bonus part = 7099999 - floor((70999990000 + 5325) / 10650) = 7099999 - 6666666 = 433333; fee = floor(433338000 / 1e4) = 43333.
        var q = AaveV3Liquidation.Execute(m, a, oracle, new LiquidationRequest(Wbtc, Dai, UInt256.Max));
        Assert.True(q.Ok);
        Assert.Equal(2_000 * E18, q.DebtRepaid);
        Assert.Equal(7_056_666, q.CollateralToLiquidator);
        Assert.Equal(43_333, q.ProtocolFee);
        // After: 1e7 - 7099999 = 2900001 sat WBTC, worth floor(2900001 * 30,000e8 / 1e8) = 87000030000 base;
        // collateral 6,000e8 + 87000030000 = 687000030000; debt 6,000e8 (USDC only);
        // avgLT = floor((6,000e8 * 8250 + 87000030000 * 7800) / 687000030000) = 8193;
        // HF = floor((687000030000 * 8193 + 5000) / 1e4) = 562859124579, .wadDiv(600000000000) = 0.938098540965e18.
        Assert.Equal(2_900_001, a.CollateralBalance(m, Wbtc));
        Assert.Equal(938_098_540_965_000_000, Hf(m, a, oracle));
    }

    [Fact]
    public void EMode_uses_the_category_threshold_and_bonus()
    {
        var m = Build();
        var a = Account(m, eMode: 1).Supply(m, WstEth, 10 * E18).Borrow(m, Weth, 10_500 * E18 / 1000);
        var oracle = Prices(weth: 2000m, wsteth: 2200m);
        // 10 wstETH * 2,200 = 22,000e8 at the category LT 93% (not the reserve's 80%): 20,460e8;
        // debt 10.5 * 2,000 = 21,000e8; 20,460 / 21,000 = 0.974285714285714285714... -> half up 974285714285714286.
        var d = AaveV3Accounting.CalculateUserAccountData(m, a, oracle);
        Assert.Equal(9300, d.CurrentLiquidationThreshold);
        Assert.Equal(9000, d.Ltv);
        Assert.Equal(974_285_714_285_714_286, d.HealthFactor);

        var q = AaveV3Liquidation.Quote(m, a, oracle, new LiquidationRequest(WstEth, Weth, UInt256.Max));
        // HF > 0.95: max = 10.5e18.percentMul(5000) = 5.25e18;
        // base = 2,000e8 * 5.25e18 * 1e18 / (2,200e8 * 1e18) = floor(4.7727...e18) = 4772727272727272727;
        // category bonus 1%: floor((4772727272727272727 * 10100 + 5000) / 1e4) = 4820454545454545454.
        Assert.Equal(5_250_000_000_000_000_000, q.DebtRepaid);
        Assert.Equal(4_820_454_545_454_545_454, q.CollateralSeized);
        // bonus part = 4820454545454545454 - floor((48204545454545454540000 + 5050) / 10100) = 4820454545454545454 - 4772727272727272727
        //            = 47727272727272727; fee 10% = floor((477272727272727270000 + 5000) / 1e4) = 4772727272727273 (the .7 rounds up).
        Assert.Equal(4_772_727_272_727_273, q.ProtocolFee);

        // The same account outside e-mode: LT 80%, 17,600e8 / 21,000e8 = 0.838095238095238095238 -> 838095238095238095.
        a.EMode = 0;
        Assert.Equal(838_095_238_095_238_095, Hf(m, a, oracle));
    }

    [Fact]
    public void EMode_price_source_prices_the_category_assets_and_the_debt()
    {
        var m = Build([new AaveEMode(1, "ETH correlated", 9000, 9300, 10100, Weth)]);
        var a = Account(m, eMode: 1).Supply(m, WstEth, 10 * E18).Borrow(m, Weth, 10_500 * E18 / 1000);
        var oracle = Prices(weth: 2000m, wsteth: 2200m);
        // wstETH now priced as WETH ($2,000): 20,000e8 * 93% = 18,600e8; / 21,000e8 = 0.885714285714285714285 -> 885714285714285714.
        Assert.Equal(885_714_285_714_285_714, Hf(m, a, oracle));

        var q = AaveV3Liquidation.Quote(m, a, oracle, new LiquidationRequest(WstEth, Weth, UInt256.Max));
        // HF < 0.95: close factor 100%, max 10.5e18, but we ask the whole; base = 10.5e18 at a 1:1 price;
        // * 1.01 = 10.605e18 > 10e18: the cap binds; debt = (10e18).percentDiv(10100) = floor((1e23 + 5050) / 10100) = 9900990099009900990.
        Assert.True(q.CollateralCapBinding);
        Assert.Equal(10 * E18, q.CollateralSeized);
        Assert.Equal(BigInteger.Parse("9900990099009900990"), q.DebtRepaid);
    }

    [Fact]
    public void EMode_user_with_collateral_outside_the_category_gets_the_reserve_bonus()
    {
        var m = Build();
        var a = Account(m, eMode: 1).Supply(m, Usdc, 10_000 * E6).Borrow(m, Weth, 4_500 * E18 / 1000);
        var oracle = Prices(weth: 2000m);
        // USDC is not in category 1: LT 85%; 8,500e8 / 9,000e8 = 0.9444... -> 944444444444444444 (< 0.95: 100%).
        Assert.Equal(944_444_444_444_444_444, Hf(m, a, oracle));

        // 1 WETH covered: base = 2,000e8 * 1e18 * 1e6 / (1e8 * 1e18) = 2,000e6 (6-decimal collateral, 18-decimal debt);
        // reserve bonus 4.5%: 2,090e6; bonus part = 2,090e6 - 2,000e6 = 90e6; fee 9e6; to liquidator 2,081e6.
        var q = AaveV3Liquidation.Quote(m, a, oracle, new LiquidationRequest(Usdc, Weth, E18));
        Assert.Equal(E18, q.DebtRepaid);
        Assert.Equal(2_081 * E6, q.CollateralToLiquidator);
        Assert.Equal(9 * E6, q.ProtocolFee);
    }

    [Fact]
    public void Eight_decimal_collateral_against_six_decimal_debt()
    {
        var m = Build();
        var a = Account(m).Supply(m, Wbtc, E8).Borrow(m, Usdc, 25_000 * E6);
        var oracle = Prices(wbtc: 31000m);
        // 31,000e8 * 78% = 24,180e8; / 25,000e8 = 0.9672e18 > 0.95: close factor 50%, max 12,500e6.
        Assert.Equal(967_200_000_000_000_000, Hf(m, a, oracle));

        var q = AaveV3Liquidation.Quote(m, a, oracle, new LiquidationRequest(Wbtc, Usdc, UInt256.Max));
        // base = 1e8 * 12,500e6 * 1e8 / (31,000e8 * 1e6) = floor(40322580.6) = 40322580 sat;
        // * 1.065 = floor((429435477000 + 5000) / 1e4) = 42943548; bonus part = 42943548 - floor((429435480000 + 5325) / 10650)
        // = 42943548 - 40322580 = 2620968; fee = floor((2620968000 + 5000) / 1e4) = 262097; to liquidator 42681451.
        Assert.Equal(12_500 * E6, q.DebtRepaid);
        Assert.Equal(42_681_451, q.CollateralToLiquidator);
        Assert.Equal(262_097, q.ProtocolFee);
    }

    [Fact]
    public void No_protocol_fee_when_the_reserve_sets_none()
    {
        var m = Build();
        var a = Account(m).Supply(m, Dai, 1_000 * E18).Borrow(m, Usdc, 900 * E6);
        // DAI LT 80%: 800e8 / 900e8 = 0.888...; close factor 100%; 100 USDC covered -> 100 DAI * 1.05 = 105 DAI, no fee.
        var q = AaveV3Liquidation.Quote(m, a, Prices(), new LiquidationRequest(Dai, Usdc, 100 * E6));
        Assert.Equal(105 * E18, q.CollateralToLiquidator);
        Assert.Equal(BigInteger.Zero, q.ProtocolFee);
    }

    [Fact]
    public void Stable_debt_is_repaid_after_the_variable_debt()
    {
        var m = Build();
        var a = Account(m).Supply(m, Weth, 10 * E18).Borrow(m, Usdc, 4_000 * E6);
        a.StableDebt[Usdc] = 10_000 * E6;
        var oracle = Prices(weth: 1600m);
        // 13,200e8 / 14,000e8 < 0.95: all 14,000e6 may go; 4,000e6 variable first, then 10,000e6 stable.
        var q = AaveV3Liquidation.Execute(m, a, oracle, new LiquidationRequest(Weth, Usdc, UInt256.Max));
        Assert.Equal(14_000 * E6, q.DebtRepaid);
        Assert.Equal(BigInteger.Zero, a.ScaledDebt[Usdc]);
        Assert.Equal(BigInteger.Zero, a.StableDebt[Usdc]);
    }

    [Fact]
    public void Scaled_balances_follow_the_indexes()
    {
        var m = Build(tweak: r => r.Index switch
        {
            Weth => r with { LiquidityIndex = BigInteger.Parse("1100000000000000000000000000") },
            Usdc => r with { VariableBorrowIndex = BigInteger.Parse("1050000000000000000000000000") },
            _ => r,
        });
        var a = Account(m).Supply(m, Weth, 10 * E18).Borrow(m, Usdc, 15_000 * E6);
        // 10e18.rayDiv(1.1e27) = round(9090909090909090909.09) = 9090909090909090909; back: round(9999999999999999999.9) = 10e18.
        Assert.Equal(BigInteger.Parse("9090909090909090909"), a.ScaledCollateral[Weth]);
        Assert.Equal(10 * E18, a.CollateralBalance(m, Weth));
        // 15,000e6.rayDiv(1.05e27) = round(14285714285.71) = 14285714286; back: round(15000000000.3) = 15,000e6.
        Assert.Equal(14_285_714_286, a.ScaledDebt[Usdc]);
        Assert.Equal(15_000 * E6, a.DebtBalance(m, Usdc));
        Assert.Equal(990_000_000_000_000_000, Hf(m, a, Prices(weth: 1800m)));

        var q = AaveV3Liquidation.Execute(m, a, Prices(weth: 1800m), new LiquidationRequest(Weth, Usdc, UInt256.Max));
        // Same underlying amounts as the golden case; scaled burn 7,500e6.rayDiv(1.05e27) = round(7142857142.857) = 7142857143.
        Assert.Equal(7_500 * E6, q.DebtRepaid);
        Assert.Equal(14_285_714_286 - 7_142_857_143, a.ScaledDebt[Usdc]);
    }

    [Fact]
    public void A_price_of_zero_is_an_error_naming_the_reserve()
    {
        var m = Build();
        var a = Account(m).Supply(m, Weth, E18).Borrow(m, Usdc, 100 * E6);
        var oracle = Prices();
        oracle[Weth] = 0;
        var e = Assert.Throws<InvalidOperationException>(() => AaveV3Accounting.CalculateUserAccountData(m, a, oracle));
        Assert.Contains("reserve 0", e.Message, StringComparison.Ordinal);

        var negative = new NegativeOracle();
        var e2 = Assert.Throws<InvalidOperationException>(() => AaveV3Accounting.CalculateUserAccountData(m, a, negative));
        Assert.Contains("WETH", e2.Message, StringComparison.Ordinal);
    }

    private sealed class NegativeOracle : IAavePriceOracle
    {
        public BigInteger GetAssetPrice(int reserveIndex) => -1;
    }

    [Fact]
    public void An_account_without_positions_has_maximal_health()
    {
        var m = Build();
        var d = AaveV3Accounting.CalculateUserAccountData(m, Account(m), Prices());
        Assert.Equal(UInt256.Max, d.HealthFactor);
        Assert.Equal(BigInteger.Zero, d.TotalCollateralBase);
    }

    [Fact]
    public void A_zero_ltv_asset_still_counts_for_the_threshold()
    {
        var m = Build(tweak: r => r.Index == Weth ? r with { LtvBps = 0 } : r);
        var a = Account(m).Supply(m, Weth, 10 * E18).Borrow(m, Usdc, 15_000 * E6);
        var d = AaveV3Accounting.CalculateUserAccountData(m, a, Prices());
        // v3.0: no LTV contribution (avg LTV 0, nothing to borrow) but LT 82.5% stands: HF still 1.1e18.
        Assert.Equal(BigInteger.Zero, d.Ltv);
        Assert.Equal(BigInteger.Zero, d.AvailableBorrowsBase);
        Assert.Equal(1_100_000_000_000_000_000, d.HealthFactor);
    }
}
