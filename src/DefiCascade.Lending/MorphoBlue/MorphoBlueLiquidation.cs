using System.Numerics;

namespace DefiCascade.Lending.MorphoBlue;

/// <summary>
/// Morpho.liquidate of Morpho Blue 1.0.0, to the wei, statement by statement. The state must be
/// accrued to the block (Morpho._accrueInterest runs first in liquidate: call
/// <see cref="MorphoBlueAccounting.AccrueInterest"/>, or nothing when the IRM is address(0), whose
/// accrual only moves lastUpdate). Not modelled: token transfers, the callback, the fee recipient.
/// </summary>
public static class MorphoBlueLiquidation
{
    /// <summary>
    /// What liquidate(marketParams, borrower, seizedAssets, repaidShares, data) would do, without
    /// touching the state or the position. Exactly one of <paramref name="seizedAssets"/>
    /// (collateral units) and <paramref name="repaidShares"/> (borrow shares) must be non-zero.
    /// </summary>
    public static MorphoLiquidationQuote Quote(
        MorphoMarketParams p,
        MorphoMarketState s,
        MorphoPosition position,
        BigInteger collateralPrice,
        BigInteger seizedAssets,
        BigInteger repaidShares) =>
        Plan(p, s, position, collateralPrice, seizedAssets, repaidShares).Quote;

    /// <summary>liquidate: when the quote is Ok, writes the market totals and the position; on a refusal nothing changes.</summary>
    public static MorphoLiquidationQuote Execute(
        MorphoMarketParams p,
        MorphoMarketState s,
        MorphoPosition position,
        BigInteger collateralPrice,
        BigInteger seizedAssets,
        BigInteger repaidShares)
    {
        var plan = Plan(p, s, position, collateralPrice, seizedAssets, repaidShares);
        if (plan.Quote.Ok)
        {
            s.TotalSupplyAssets = plan.TotalSupplyAssets;
            s.TotalBorrowAssets = plan.TotalBorrowAssets;
            s.TotalBorrowShares = plan.TotalBorrowShares;
            position.BorrowShares = plan.BorrowShares;
            position.Collateral = plan.Collateral;
        }

        return plan.Quote;
    }

    private sealed record LiquidationPlan(
        MorphoLiquidationQuote Quote,
        BigInteger TotalSupplyAssets,
        BigInteger TotalBorrowAssets,
        BigInteger TotalBorrowShares,
        BigInteger BorrowShares,
        BigInteger Collateral);

    private static LiquidationPlan Plan(
        MorphoMarketParams p,
        MorphoMarketState s,
        MorphoPosition position,
        BigInteger collateralPrice,
        BigInteger seizedAssets,
        BigInteger repaidShares)
    {
        MorphoBlueAccounting.CheckInputs(p, s, position);
        MorphoChecks.Price(collateralPrice);
        MorphoChecks.Uint256(seizedAssets, nameof(seizedAssets));
        MorphoChecks.Uint256(repaidShares, nameof(repaidShares));
        try
        {
            return Run(p, s, position, collateralPrice, seizedAssets, repaidShares);
        }
        catch (MorphoRevertException e)
        {
            return Refuse(s, position, e.Error);
        }
    }

    private static LiquidationPlan Refuse(MorphoMarketState s, MorphoPosition position, MorphoError error) =>
        new(new MorphoLiquidationQuote(error, 0, 0, 0, 0, 0), s.TotalSupplyAssets, s.TotalBorrowAssets, s.TotalBorrowShares, position.BorrowShares, position.Collateral);

    private static LiquidationPlan Run(
        MorphoMarketParams p,
        MorphoMarketState s,
        MorphoPosition position,
        BigInteger collateralPrice,
        BigInteger seizedAssets,
        BigInteger repaidShares)
    {
        if (s.LastUpdate.IsZero)
        {
            return Refuse(s, position, MorphoError.MarketNotCreated);
        }

        if (!UtilsLib.ExactlyOneZero(seizedAssets, repaidShares))
        {
            return Refuse(s, position, MorphoError.InconsistentInput);
        }

        if (MorphoBlueAccounting.IsHealthyAt(p, s, position, collateralPrice))
        {
            return Refuse(s, position, MorphoError.HealthyPosition);
        }

        var lif = MorphoBlueAccounting.LiquidationIncentiveFactor(p.Lltv);
        var totalBorrowAssets = s.TotalBorrowAssets;
        var totalBorrowShares = s.TotalBorrowShares;
        if (!seizedAssets.IsZero)
        {
            // seizedAssets.mulDivUp(price, ORACLE_PRICE_SCALE).wDivUp(lif).toSharesUp(...): every step rounds against the liquidator.
            var seizedAssetsQuoted = MathLib.MulDivUp(seizedAssets, collateralPrice, MorphoBlueVersion.OraclePriceScale);
            repaidShares = SharesMathLib.ToSharesUp(MathLib.WDivUp(seizedAssetsQuoted, lif), totalBorrowAssets, totalBorrowShares);
        }
        else
        {
            // repaidShares.toAssetsDown(...).wMulDown(lif).mulDivDown(ORACLE_PRICE_SCALE, price): every step rounds down.
            var repaidValue = SharesMathLib.ToAssetsDown(repaidShares, totalBorrowAssets, totalBorrowShares);
            seizedAssets = MathLib.MulDivDown(MathLib.WMulDown(repaidValue, lif), MorphoBlueVersion.OraclePriceScale, collateralPrice);
        }

        // Computed from the totals before the repaid shares leave them.
        var repaidAssets = SharesMathLib.ToAssetsUp(repaidShares, totalBorrowAssets, totalBorrowShares);

        var borrowShares = Checked.Sub(position.BorrowShares, UtilsLib.ToUint128(repaidShares));
        totalBorrowShares = Checked.Sub(totalBorrowShares, UtilsLib.ToUint128(repaidShares));

        // repaidAssets may exceed totalBorrowAssets by 1 (the contract's comment): floored at 0.
        totalBorrowAssets = UtilsLib.ToUint128(UtilsLib.ZeroFloorSub(totalBorrowAssets, repaidAssets));

        var collateral = Checked.Sub(position.Collateral, UtilsLib.ToUint128(seizedAssets));

        var totalSupplyAssets = s.TotalSupplyAssets;
        BigInteger badDebtShares = 0, badDebtAssets = 0;
        if (collateral.IsZero)
        {
            // Bad debt is realized at once, priced on the totals after the repayment, and borne by the suppliers.
            badDebtShares = borrowShares;
            badDebtAssets = UtilsLib.Min(totalBorrowAssets, SharesMathLib.ToAssetsUp(badDebtShares, totalBorrowAssets, totalBorrowShares));
            totalBorrowAssets = Checked.Sub(totalBorrowAssets, UtilsLib.ToUint128(badDebtAssets));
            totalSupplyAssets = Checked.Sub(totalSupplyAssets, UtilsLib.ToUint128(badDebtAssets));
            totalBorrowShares = Checked.Sub(totalBorrowShares, UtilsLib.ToUint128(badDebtShares));
            borrowShares = 0;
        }

        var quote = new MorphoLiquidationQuote(MorphoError.None, seizedAssets, repaidShares, repaidAssets, badDebtShares, badDebtAssets);
        return new LiquidationPlan(quote, totalSupplyAssets, totalBorrowAssets, totalBorrowShares, borrowShares, collateral);
    }
}
