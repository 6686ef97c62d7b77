using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using static DefiCascade.Lending.Tests.AaveV3.AaveTestMarket;

namespace DefiCascade.Lending.Tests.AaveV3;

/// <summary>The cases observed on the real contracts deployed from @aave/core-v3 1.19.3 (CHAIN.md).</summary>
public sealed class AaveGoldenTests
{
    private static (AaveV3Market M, AaveAccount A) TenWethAgainst(BigInteger usdcDebt)
    {
        var m = Build();
        var a = Account(m).Supply(m, Weth, 10 * E18).Borrow(m, Usdc, usdcDebt);
        return (m, a);
    }

    [Fact]
    public void Version_is_named()
    {
        Assert.Equal("Aave V3.0.2 core (npm @aave/core-v3 1.19.3)", AaveV3Version.Name);
    }

    [Fact]
    public void Health_factor_is_1_1_at_2000_and_0_99_at_1800()
    {
        var (m, a) = TenWethAgainst(15_000 * E6);

        var at2000 = AaveV3Accounting.CalculateUserAccountData(m, a, Prices(weth: 2000m));
        // collateral 10 WETH * $2000 = 20,000e8 base; debt 15,000 USDC * $1 = 15,000e8.
        Assert.Equal(20_000 * E8, at2000.TotalCollateralBase);
        Assert.Equal(15_000 * E8, at2000.TotalDebtBase);
        Assert.Equal(8250, at2000.CurrentLiquidationThreshold);
        Assert.Equal(8000, at2000.Ltv);
        // available = 20,000e8.percentMul(8000) - 15,000e8 = 16,000e8 - 15,000e8 = 1,000e8.
        Assert.Equal(1_000 * E8, at2000.AvailableBorrowsBase);
        // HF = (20,000e8.percentMul(8250) = 16,500e8).wadDiv(15,000e8) = 1.1e18 exactly.
        Assert.Equal(1_100_000_000_000_000_000, at2000.HealthFactor);

        // 18,000e8.percentMul(8250) = 14,850e8; 14,850e8.wadDiv(15,000e8) = 0.99e18 exactly.
        Assert.Equal(990_000_000_000_000_000, Hf(m, a, Prices(weth: 1800m)));
    }

    [Fact]
    public void Liquidation_at_1800_repays_half_and_seizes_4_375_weth_with_the_observed_fee()
    {
        var (m, a) = TenWethAgainst(15_000 * E6);
        var oracle = Prices(weth: 1800m);

        var q = AaveV3Liquidation.Execute(m, a, oracle, new LiquidationRequest(Weth, Usdc, UInt256.Max));

        Assert.True(q.Ok, q.Error.ToString());
        Assert.Equal(990_000_000_000_000_000, q.HealthFactorBefore);
        // HF 0.99 > 0.95: close factor 50%; max = 15,000e6.percentMul(5000) = 7,500e6.
        Assert.Equal(5000, q.CloseFactorBps);
        Assert.Equal(7_500 * E6, q.MaxLiquidatableDebt);
        Assert.Equal(7_500 * E6, q.DebtRepaid);
        Assert.False(q.CollateralCapBinding);

        // baseCollateral = (1e8 * 7,500e6 * 1e18) / (1,800e8 * 1e6) = floor(4.1666...e18) = 4166666666666666666;
        // maxCollateral = 4166666666666666666.percentMul(10500) = floor((43749999999999999993000 + 5000) / 1e4)
        //               = 4374999999999999999: "4.375 WETH" less the one wei the floor of baseCollateral costs.
        Assert.Equal(BigInteger.Parse("4374999999999999999"), q.CollateralSeized);
        // bonus part = 4374999999999999999 - 4374999999999999999.percentDiv(10500)
        //            = 4374999999999999999 - floor((43749999999999999990000 + 5250) / 10500) = 4374999999999999999 - 4166666666666666666
        //            = 208333333333333333; fee = percentMul(1000) = floor((208333333333333333000 + 5000) / 1e4) = 20833333333333333.
        Assert.Equal(BigInteger.Parse("20833333333333333"), q.ProtocolFee);
        // to the liquidator: 4374999999999999999 - 20833333333333333 = 4354166666666666666.
        Assert.Equal(BigInteger.Parse("4354166666666666666"), q.CollateralToLiquidator);

        // After: 10e18 - 4374999999999999999 = 5625000000000000001 WETH wei, 7,500e6 USDC.
        Assert.Equal(BigInteger.Parse("5625000000000000001"), a.CollateralBalance(m, Weth));
        Assert.Equal(7_500 * E6, a.DebtBalance(m, Usdc));
        // collateral base = floor(5625000000000000001 * 1800e8 / 1e18) = 10,125e8; .percentMul(8250) = 8,353.125e8;
        // .wadDiv(7,500e8) = 1.11375e18 exactly, as observed.
        Assert.Equal(1_113_750_000_000_000_000, Hf(m, a, oracle));
    }

    [Fact]
    public void Below_0_95_the_whole_debt_is_repaid_in_one_call()
    {
        // 10 WETH at $1,600 against 14,000 USDC: 16,000e8.percentMul(8250) = 13,200e8;
        // 13,200e8.wadDiv(14,000e8) = round-half-up(0.942857142857142857142...e18) = 942857142857142857.
        var (m, a) = TenWethAgainst(14_000 * E6);
        var oracle = Prices(weth: 1600m);
        Assert.Equal(942_857_142_857_142_857, Hf(m, a, oracle));

        var q = AaveV3Liquidation.Execute(m, a, oracle, new LiquidationRequest(Weth, Usdc, UInt256.Max));

        Assert.True(q.Ok, q.Error.ToString());
        Assert.Equal(10_000, q.CloseFactorBps);
        Assert.Equal(14_000 * E6, q.MaxLiquidatableDebt);
        Assert.Equal(14_000 * E6, q.DebtRepaid);
        // base = 1e8 * 14,000e6 * 1e18 / (1,600e8 * 1e6) = 8.75e18; * 1.05 = 9.1875e18 (exact).
        // bonus part = 9.1875e18 - 9.1875e18.percentDiv(10500) = 9.1875e18 - 8.75e18 = 0.4375e18; fee 10% = 0.04375e18.
        Assert.Equal(BigInteger.Parse("43750000000000000"), q.ProtocolFee);
        Assert.Equal(BigInteger.Parse("9143750000000000000"), q.CollateralToLiquidator);
        Assert.False(a.HasDebt);
        Assert.Equal(BigInteger.Parse("812500000000000000"), a.CollateralBalance(m, Weth)); // 10 - 9.1875
        Assert.Equal(UInt256.Max, Hf(m, a, oracle));
    }

    [Fact]
    public void A_liquidation_asking_for_less_than_the_maximum_repays_what_was_asked()
    {
        var (m, a) = TenWethAgainst(15_000 * E6);
        var q = AaveV3Liquidation.Quote(m, a, Prices(weth: 1800m), new LiquidationRequest(Weth, Usdc, 1_800 * E6));

        // base = 1e8 * 1,800e6 * 1e18 / (1,800e8 * 1e6) = 1e18; * 1.05 = 1.05e18;
        // bonus part = 1.05e18 - 1e18 = 0.05e18; fee = 0.005e18; to liquidator 1.045e18.
        Assert.Equal(1_800 * E6, q.DebtRepaid);
        Assert.Equal(5_000_000_000_000_000, q.ProtocolFee);
        Assert.Equal(1_045_000_000_000_000_000, q.CollateralToLiquidator);
    }
}
