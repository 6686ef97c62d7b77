using System.Numerics;
using DefiCascade.Lending.MorphoBlue;
using static DefiCascade.Lending.Tests.MorphoBlue.MorphoTestMarket;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>Liquidations on the hand-built market (<see cref="MorphoTestMarket"/>), every number derived below.</summary>
public sealed class MorphoLiquidationCaseTests
{
    private static readonly BigInteger Lif86 = 1_043_841_336_116_910_229;

    [Fact]
    public void Borrower_is_unhealthy_at_2000()
    {
        // borrowed = toAssetsUp(1.575e16, 5e11, 4.5e17) = ceil(1.575e16 * (5e11 + 1) / (4.5e17 + 1e6))
        //          = ceil(17,499,999,999.99...) = 17,500,000,000 (17,500 USDC).
        // maxBorrow = (1e19 * 2e27 / 1e36).wMulDown(0.86e18) = 2e10 * 0.86 = 17,200,000,000.
        Assert.Equal(17_500 * E6, MorphoBlueAccounting.BorrowedAssets(State(), Borrower()));
        Assert.Equal(17_200 * E6, MorphoBlueAccounting.MaxBorrow(Params(), Borrower(), Price(2000)));
        Assert.False(MorphoBlueAccounting.IsHealthy(Params(), State(), Borrower(), Price(2000)));

        // At $2,040: 1e19 * 2.04e27 / 1e36 = 20,400e6; * 0.86 = 17,544e6 >= 17,500e6.
        Assert.True(MorphoBlueAccounting.IsHealthy(Params(), State(), Borrower(), Price(2040)));
    }

    [Fact]
    public void By_seized_assets_one_weth()
    {
        // seizedAssetsQuoted = (1e18 * 2e27 + 1e36 - 1) / 1e36 = 2,000,000,000 (exact: 2,000 USDC).
        // wDivUp(lif) = ceil(2e9 * 1e18 / 1043841336116910229) = ceil(1,916,000,000.03...) = 1,916,000,001.
        // toSharesUp = ceil(1,916,000,001 * (4.5e17 + 1e6) / (5e11 + 1))
        //            = ceil(862,200,000,451,916,000,001,000,000 / 500,000,000,001) = 1,724,400,000,900,384.
        // repaidAssets = toAssetsUp(1,724,400,000,900,384, 5e11, 4.5e17) = ceil(1,916,000,001.0000...04) = 1,916,000,002:
        // the round trip through shares costs the liquidator one more unit.
        var s = State();
        var position = Borrower();
        var q = MorphoBlueLiquidation.Execute(Params(), s, position, Price(2000), E18, 0);

        Assert.Equal(new MorphoLiquidationQuote(MorphoError.None, E18, 1_724_400_000_900_384, 1_916_000_002, 0, 0), q);
        Assert.Equal(15_750_000_000_000_000 - 1_724_400_000_900_384, position.BorrowShares);
        Assert.Equal(9 * E18, position.Collateral);
        Assert.Equal(450_000_000_000_000_000 - 1_724_400_000_900_384, s.TotalBorrowShares);
        Assert.Equal(500_000 * E6 - 1_916_000_002, s.TotalBorrowAssets);
        Assert.Equal(1_000_000 * E6, s.TotalSupplyAssets);
        Assert.Equal(1_000_000 * E6 * 1_000_000, s.TotalSupplyShares);

        // The liquidator pays 1,916.000002 USDC for 2,000 USDC of WETH: 2,000 / 1.0438 = 1,916.
        Assert.True(q.RepaidAssets * Lif86 >= 2_000 * E6 * Wad);
    }

    [Fact]
    public void By_repaid_shares_ten_thousand_usdc()
    {
        // 9e15 shares = 10,000 USDC at 0.9e6 shares per unit, less the virtual dilution:
        // toAssetsDown = floor(9e15 * (5e11 + 1) / (4.5e17 + 1e6)) = floor(9,999,999,999.98...) = 9,999,999,999.
        // wMulDown(lif) = floor(9,999,999,999 * 1.043841336116910229) = floor(10,438,413,360.13) = 10,438,413,360.
        // mulDivDown(1e36, 2e27) = 10,438,413,360 * 1e36 / 2e27 = 5,219,206,680,000,000,000 (5.21920668 WETH).
        // repaidAssets = toAssetsUp(9e15, ...) = ceil(9,999,999,999.98...) = 10,000,000,000.
        var s = State();
        var position = Borrower();
        var q = MorphoBlueLiquidation.Execute(Params(), s, position, Price(2000), 0, 9_000_000_000_000_000);

        Assert.Equal(new MorphoLiquidationQuote(MorphoError.None, 5_219_206_680_000_000_000, 9_000_000_000_000_000, 10_000 * E6, 0, 0), q);
        Assert.Equal(6_750_000_000_000_000, position.BorrowShares);
        Assert.Equal(10 * E18 - 5_219_206_680_000_000_000, position.Collateral);
        Assert.Equal(441_000_000_000_000_000, s.TotalBorrowShares);
        Assert.Equal(490_000 * E6, s.TotalBorrowAssets);
        Assert.Equal(1_000_000 * E6, s.TotalSupplyAssets);
    }

    [Fact]
    public void Bad_debt_is_realized_when_the_collateral_is_gone()
    {
        // 1 WETH against 1.8e15 shares (2,000 USDC) at $1,500: limit 1,290 USDC, underwater (1,500 < 2,000).
        // Seize the whole 1e18: quoted = 1,500,000,000; wDivUp(lif) = ceil(1,437,000,000.6) = 1,437,000,001;
        //   repaidShares = ceil(1,437,000,001 * (4.5e17 + 1e6) / (5e11 + 1)) = 1,293,300,000,900,288;
        //   repaidAssets = ceil(1,437,000,001.0000...) = 1,437,000,002.
        // After the repayment: position 1.8e15 - 1,293,300,000,900,288 = 506,699,999,099,712 shares;
        //   totalBorrowShares = 448,706,699,999,099,712; totalBorrowAssets = 5e11 - 1,437,000,002 = 498,562,999,998.
        // Collateral is 0: badDebtAssets = min(498,562,999,998, ceil(506,699,999,099,712 * 498,562,999,999
        //   / 448,706,700,000,099,712)) = ceil(562,999,998.998...) = 562,999,999, deducted from borrow and supply assets.
        var s = State();
        var position = new MorphoPosition(0, 1_800_000_000_000_000, E18);
        var q = MorphoBlueLiquidation.Execute(Params(), s, position, Price(1500), E18, 0);

        Assert.Equal(
            new MorphoLiquidationQuote(MorphoError.None, E18, 1_293_300_000_900_288, 1_437_000_002, 506_699_999_099_712, 562_999_999),
            q);
        Assert.Equal(new MorphoPosition(0, 0, 0), position);
        Assert.Equal(448_200_000_000_000_000, s.TotalBorrowShares);
        Assert.Equal(497_999_999_999, s.TotalBorrowAssets);

        // Suppliers lose 562.999999 USDC; their shares are untouched, so each share is worth less.
        Assert.Equal(999_437_000_001, s.TotalSupplyAssets);
        Assert.Equal(1_000_000 * E6 * 1_000_000, s.TotalSupplyShares);
    }

    [Fact]
    public void Bad_debt_by_repaid_shares_and_the_round_trip_that_overshoots()
    {
        // Paying back the 1,293,300,000,900,288 shares the seized path charged for 1 WETH seizes more than 1 WETH:
        // toAssetsDown = floor(1,437,000,001.99...) = 1,437,000,001; * lif = 1,500,000,001.04 -> 1,500,000,001;
        // * 1e36 / 1.5e27 = 1,000,000,000,666,666,666. Every step rounds in the protocol's favour on both paths, and
        // the shares path's rounding down of the collateral is not the inverse of the seized path's rounding up.
        var overshoot = MorphoBlueLiquidation.Quote(Params(), State(), new MorphoPosition(0, 1_800_000_000_000_000, E18), Price(1500), 0, 1_293_300_000_900_288);
        Assert.Equal(MorphoError.ArithmeticUnderflow, overshoot.Error);

        // With exactly that much collateral, the position is emptied: the same repayment and the same bad debt as above.
        var s = State();
        var position = new MorphoPosition(0, 1_800_000_000_000_000, 1_000_000_000_666_666_666);
        var q = MorphoBlueLiquidation.Execute(Params(), s, position, Price(1500), 0, 1_293_300_000_900_288);

        Assert.Equal(
            new MorphoLiquidationQuote(MorphoError.None, 1_000_000_000_666_666_666, 1_293_300_000_900_288, 1_437_000_002, 506_699_999_099_712, 562_999_999),
            q);
        Assert.Equal(new MorphoPosition(0, 0, 0), position);
        Assert.Equal(999_437_000_001, s.TotalSupplyAssets);
    }

    [Fact]
    public void Quote_leaves_state_untouched_and_equals_execute()
    {
        var s = State();
        var position = Borrower();
        var quote = MorphoBlueLiquidation.Quote(Params(), s, position, Price(2000), 3 * E18, 0);
        Assert.Equal(State(), s);
        Assert.Equal(Borrower(), position);
        Assert.Equal(quote, MorphoBlueLiquidation.Execute(Params(), s, position, Price(2000), 3 * E18, 0));
        Assert.NotEqual(State(), s);
    }

    [Fact]
    public void Version_is_named()
    {
        Assert.Equal("Morpho Blue 1.0.0 (npm @morpho-org/morpho-blue)", MorphoBlueVersion.Name);
        Assert.Equal("0xtest-weth-usdc-86", Params().Id);
    }
}
