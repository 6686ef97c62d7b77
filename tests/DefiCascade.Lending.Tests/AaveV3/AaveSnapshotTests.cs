using DefiCascade.Core.Math;
using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Lending.Tests.AaveV3;

public sealed class AaveSnapshotTests
{
    private static readonly Dictionary<string, Token> Tokens = new()
    {
        ["WETH"] = new Token("WETH", Address.FromNumber(1, 1), 18),
        ["USDC"] = new Token("USDC", Address.FromNumber(1, 2), 6),
    };

    private static AaveReserveSnapshot Reserve(string asset, int eMode) =>
        new(asset, 8000, 8250, 10500, 1000, 1500, eMode, true, true, true, false, false, 0, 0, "test");

    private static AaveV3MarketSnapshot Snapshot(string? priceSource = "WETH") => new(
        "Aave V3 Ethereum",
        AaveV3Version.Name,
        Address.FromNumber(2, 1),
        [Reserve("WETH", 1), Reserve("USDC", 0)],
        [new EModeCategorySnapshot(1, "ETH", 9000, 9300, 10100, priceSource, "test")],
        [new AavePositionSnapshot(Address.FromNumber(3, 1), 1, [new AssetBalance("WETH", 10_000_000_000_000_000_000)], [new AssetBalance("USDC", 15_000_000_000)])],
        "test");

    [Fact]
    public void Market_and_positions_come_from_the_snapshot()
    {
        var s = Snapshot();
        var m = AaveV3Market.FromSnapshot(s, sym => Tokens[sym]);
        Assert.Equal("Aave V3 Ethereum", m.Name);
        Assert.Equal(1, m.IndexOf("USDC"));
        Assert.Equal(0, m.EMode(1)!.PriceSourceReserve);
        Assert.Null(m.EMode(2));
        Assert.Equal(6, m.Reserves[1].Token.Decimals);

        var a = AaveAccount.FromSnapshot(s.Positions[0], m);
        Assert.Equal(1, a.EMode);
        Assert.Equal(new BigInteger(15_000_000_000), a.DebtBalance(m, 1));
        Assert.Equal(BigInteger.Parse("10000000000000000000"), a.CollateralBalance(m, 0));
        Assert.True(a.HasDebt);
        Assert.True(a.HasCollateral);
    }

    [Fact]
    public void Unknown_symbols_are_named()
    {
        var m = AaveV3Market.FromSnapshot(Snapshot(), sym => Tokens[sym]);
        var e = Assert.Throws<KeyNotFoundException>(() => m.IndexOf("WBTC"));
        Assert.Contains("WBTC", e.Message, StringComparison.Ordinal);

        var e2 = Assert.Throws<KeyNotFoundException>(() => AaveV3Market.FromSnapshot(Snapshot("stETH"), sym => Tokens[sym]));
        Assert.Contains("stETH", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_is_deep()
    {
        var m = AaveV3Market.FromSnapshot(Snapshot(), sym => Tokens[sym]);
        var a = AaveAccount.FromSnapshot(Snapshot().Positions[0], m);
        var b = a.Clone();
        b.ScaledDebt[1] = 0;
        b.CollateralDisabled[0] = true;
        Assert.True(a.HasDebt);
        Assert.False(a.CollateralDisabled[0]);
    }

    [Fact]
    public void Stable_debt_and_disabled_collateral_read_the_same_before_and_after_their_arrays_exist()
    {
        var m = AaveV3Market.FromSnapshot(Snapshot(), sym => Tokens[sym]);
        var a = AaveAccount.FromSnapshot(Snapshot().Positions[0], m);
        var collateral = Enumerable.Range(0, a.ReserveCount).Single(r => a.ScaledCollateral[r].Sign > 0);
        var borrowed = Enumerable.Range(0, a.ReserveCount).Single(a.IsBorrowing);
        var variable = a.DebtBalance(m, borrowed);
        Assert.True(variable > 0);
        Assert.Equal(BigInteger.Zero, a.StableDebtOf(borrowed));
        Assert.True(a.IsUsingAsCollateral(collateral));

        // Written through the arrays: read back by the array-free readers, and by the balances built on them.
        a.StableDebt[borrowed] = 1_234;
        a.CollateralDisabled[collateral] = true;
        var b = a.Clone();
        b.StableDebt[borrowed] = 5;

        Assert.Equal(1_234, a.StableDebtOf(borrowed));
        Assert.Equal(variable + 1_234, a.DebtBalance(m, borrowed));
        Assert.False(a.IsUsingAsCollateral(collateral));
        Assert.True(b.IsCollateralDisabled(collateral));
        Assert.Equal(5, b.StableDebtOf(borrowed));
    }

    [Fact]
    public void Snapshot_indexes_scale_balances_as_the_tokens_do_and_give_the_underlying_back()
    {
        // a year of interest: balances read as scaled.rayMul(index) must come back to the same underlying.
        var income = BigInteger.Parse("1043817227165430917412330144", System.Globalization.CultureInfo.InvariantCulture);
        var debtIndex = BigInteger.Parse("1067354219826377106557019001", System.Globalization.CultureInfo.InvariantCulture);
        var s = Snapshot();
        s = s with { Reserves = [s.Reserves[0] with { LiquidityIndex = income }, s.Reserves[1] with { VariableBorrowIndex = debtIndex }] };
        var m = AaveV3Market.FromSnapshot(s, sym => Tokens[sym]);
        Assert.Equal(income, m.Reserves[0].LiquidityIndex);
        Assert.Equal(WadRayMath.Ray, m.Reserves[0].VariableBorrowIndex);
        Assert.Equal(debtIndex, m.Reserves[1].VariableBorrowIndex);

        var a = AaveAccount.FromSnapshot(s.Positions[0], m);
        Assert.Equal(WadRayMath.RayDiv(10_000_000_000_000_000_000, income), a.ScaledCollateral[0]);
        Assert.Equal(WadRayMath.RayDiv(15_000_000_000, debtIndex), a.ScaledDebt[1]);
        Assert.Equal((BigInteger)10_000_000_000_000_000_000, WadRayMath.RayMul(a.ScaledCollateral[0], income));
        Assert.Equal((BigInteger)15_000_000_000, WadRayMath.RayMul(a.ScaledDebt[1], debtIndex));
    }
}
