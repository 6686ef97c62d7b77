using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.MorphoBlue;
using static DefiCascade.Lending.Tests.MorphoBlue.MorphoTestMarket;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>Each revert of Morpho.liquidate in the order the contract meets it; a refusal changes nothing.</summary>
public sealed class MorphoRefusalTests
{
    private static MorphoLiquidationQuote Run(
        BigInteger seized,
        BigInteger repaidShares,
        int usd = 2000,
        MorphoMarketState? s = null,
        MorphoPosition? position = null)
    {
        s ??= State();
        position ??= Borrower();
        var before = (s.Copy(), position.Copy());
        var q = MorphoBlueLiquidation.Execute(Params(), s, position, Price(usd), seized, repaidShares);
        if (!q.Ok)
        {
            Assert.Equal(before, (s, position));
            Assert.Equal(new MorphoLiquidationQuote(q.Error, 0, 0, 0, 0, 0), q);
        }

        return q;
    }

    [Fact]
    public void Market_not_created_comes_first() =>
        Assert.Equal(MorphoError.MarketNotCreated, Run(0, 0, s: State() with { LastUpdate = 0 }).Error);

    [Fact]
    public void Inconsistent_input_both_zero_or_both_set()
    {
        Assert.Equal(MorphoError.InconsistentInput, Run(0, 0).Error);
        Assert.Equal(MorphoError.InconsistentInput, Run(E18, 1).Error);

        // Checked before health: a healthy position with bad input reports the input.
        Assert.Equal(MorphoError.InconsistentInput, Run(E18, 1, usd: 5000).Error);
    }

    [Fact]
    public void Healthy_position_including_exactly_at_the_limit()
    {
        Assert.Equal(MorphoError.HealthyPosition, Run(E18, 0, usd: 2040).Error);

        // maxBorrow == borrowed is healthy: 17,200 USDC of debt (1.548e16 shares -> toAssetsUp = 17,200,000,000) at $2,000.
        var atLimit = new MorphoPosition(0, 15_480_000_000_000_000, 10 * E18);
        Assert.Equal(17_200 * E6, MorphoBlueAccounting.BorrowedAssets(State(), atLimit));
        Assert.Equal(MorphoError.HealthyPosition, Run(E18, 0, position: atLimit).Error);

        // A share is worth ~1.1e-6 units: 15,480,000,000,003,439 shares still round up to 17,200,000,000 (healthy);
        // 15,480,000,000,003,440 is the first count whose toAssetsUp reaches 17,200,000,001.
        Assert.Equal(MorphoError.HealthyPosition, Run(E18, 0, position: atLimit with { BorrowShares = 15_480_000_000_003_439 }).Error);
        Assert.True(Run(E18, 0, position: atLimit with { BorrowShares = 15_480_000_000_003_440 }).Ok);
    }

    [Fact]
    public void No_debt_is_healthy()
    {
        var empty = new MorphoPosition(0, 0, 10 * E18);
        Assert.True(MorphoBlueAccounting.IsHealthy(Params(), State(), empty, Price(1)));
        Assert.Equal(MorphoError.HealthyPosition, Run(E18, 0, usd: 1, position: empty).Error);
    }

    [Fact]
    public void Seizing_more_collateral_than_held_underflows() =>
        Assert.Equal(MorphoError.ArithmeticUnderflow, Run(10 * E18 + 1, 0, usd: 1000).Error);

    [Fact]
    public void Repaying_more_shares_than_owed_underflows()
    {
        // The position's borrowShares are subtracted before the market's: the position underflows first.
        Assert.Equal(MorphoError.ArithmeticUnderflow, Run(0, 15_750_000_000_000_001, usd: 1950).Error);
        Assert.True(Run(0, 15_750_000_000_000_000, usd: 1950).Ok);
    }

    [Fact]
    public void Shares_beyond_uint128_hit_to_uint128()
    {
        // 2^128 shares convert to assets without overflow (2^128 * (5e11 + 1) < 2^256) and then fail toUint128.
        Assert.Equal(MorphoError.MaxUint128Exceeded, Run(0, BigInteger.One << 128, usd: 1000).Error);

        // 2^250 shares overflow the product in toAssetsDown first.
        Assert.Equal(MorphoError.ArithmeticOverflow, Run(0, BigInteger.One << 250, usd: 1000).Error);
    }

    [Fact]
    public void Inputs_the_chain_cannot_hold_are_data_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MorphoBlueLiquidation.Quote(Params(), State(), Borrower(), 0, E18, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MorphoBlueLiquidation.Quote(Params(), State(), Borrower(), Price(2000), -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MorphoBlueLiquidation.Quote(Params(), State(), Borrower(), Price(2000), UInt256.Max + 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => MorphoBlueLiquidation.Quote(Params(), State() with { TotalBorrowAssets = MorphoBlueVersion.MaxUint128 + 1 }, Borrower(), Price(2000), E18, 0));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => MorphoBlueLiquidation.Quote(Params(), State(), Borrower() with { Collateral = -1 }, Price(2000), E18, 0));
    }
}
