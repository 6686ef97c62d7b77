using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Lending.AaveV3;

/// <summary>
/// Pool.liquidationCall of Aave V3.0.2 (LiquidationLogic.executeLiquidationCall), to the wei.
/// Not modelled: interest accrual between blocks (indexes are taken as already updated), the
/// price-oracle sentinel (absent on L1 markets), isolation-mode debt ceilings, and the
/// liquidator's own account (a liquidator receiving aTokens).
/// </summary>
public static class AaveV3Liquidation
{
    /// <summary>What liquidationCall would do, without touching the account.</summary>
    public static LiquidationQuote Quote(AaveV3Market m, AaveAccount a, IAavePriceOracle o, LiquidationRequest r) => Plan(m, a, o, r, null).Quote;

    /// <summary>
    /// The same quote when the caller already holds the account's health factor at these prices
    /// (a liquidator sizing many slices of one account); it must be CalculateUserAccountData's.
    /// </summary>
    public static LiquidationQuote Quote(AaveV3Market m, AaveAccount a, IAavePriceOracle o, LiquidationRequest r, BigInteger healthFactor) =>
        Plan(m, a, o, r, healthFactor).Quote;

    /// <summary>liquidationCall: when the quote is Ok, burns the user's scaled debt and moves the scaled collateral out.</summary>
    public static LiquidationQuote Execute(AaveV3Market m, AaveAccount a, IAavePriceOracle o, LiquidationRequest r)
    {
        var plan = Plan(m, a, o, r, null);
        if (!plan.Quote.Ok)
        {
            return plan.Quote;
        }

        int c = r.CollateralReserve, d = r.DebtReserve;
        a.ScaledDebt[d] = Checked256.Sub(a.ScaledDebt[d], plan.ScaledDebtBurn);
        if (!plan.StableDebtBurn.IsZero)
        {
            a.StableDebt[d] = Checked256.Sub(a.StableDebt[d], plan.StableDebtBurn);
        }

        a.ScaledCollateral[c] = Checked256.Sub(a.ScaledCollateral[c], plan.ScaledCollateralOut + plan.ScaledFee);
        if (plan.ClearCollateralBit && a.ScaledCollateral[c].Sign > 0)
        {
            // setUsingAsCollateral(false) although rounding dust remains: the dust no longer counts.
            a.CollateralDisabled[c] = true;
        }

        return plan.Quote;
    }

    private sealed record LiquidationPlan(
        LiquidationQuote Quote,
        BigInteger ScaledDebtBurn,
        BigInteger StableDebtBurn,
        BigInteger ScaledCollateralOut,
        BigInteger ScaledFee,
        bool ClearCollateralBit);

    private static LiquidationPlan Plan(AaveV3Market m, AaveAccount a, IAavePriceOracle o, LiquidationRequest r, BigInteger? knownHealthFactor)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(r);
        a.CheckShape(m);
        ArgumentOutOfRangeException.ThrowIfNegative(r.CollateralReserve);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(r.CollateralReserve, m.Reserves.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(r.DebtReserve);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(r.DebtReserve, m.Reserves.Count);
        UInt256.Check(r.DebtToCover, "debtToCover");

        int c = r.CollateralReserve, d = r.DebtReserve;
        var collateral = m.Reserves[c];
        var debt = m.Reserves[d];

        // executeLiquidationCall computes the health factor before any validation.
        var healthFactor = knownHealthFactor ?? AaveV3Accounting.CalculateUserAccountData(m, a, o).HealthFactor;

        // _calculateDebt: close factor 100% at or below HF 0.95, else 50%.
        var variableDebt = a.VariableDebtBalance(m, d);
        var totalDebt = Checked256.Add(a.StableDebtOf(d), variableDebt);
        var closeFactor = healthFactor > AaveV3Version.CloseFactorHfThreshold
            ? AaveV3Version.DefaultLiquidationCloseFactorBps
            : AaveV3Version.MaxLiquidationCloseFactorBps;
        var maxLiquidatableDebt = PercentageMath.PercentMul(totalDebt, closeFactor);
        var actualDebt = r.DebtToCover > maxLiquidatableDebt ? maxLiquidatableDebt : r.DebtToCover;

        LiquidationPlan Refuse(LiquidationError error) =>
            new(new LiquidationQuote(error, 0, 0, 0, healthFactor, maxLiquidatableDebt, closeFactor, false), 0, 0, 0, 0, false);

        // ValidationLogic.validateLiquidationCall, in its order of requires.
        if (!collateral.Active || !debt.Active)
        {
            return Refuse(LiquidationError.ReserveInactive);
        }

        if (collateral.Paused || debt.Paused)
        {
            return Refuse(LiquidationError.ReservePaused);
        }

        if (healthFactor >= AaveV3Version.HealthFactorLiquidationThreshold)
        {
            return Refuse(LiquidationError.HealthFactorNotBelowThreshold);
        }

        if (collateral.LiquidationThresholdBps == 0 || !a.IsUsingAsCollateral(c))
        {
            return Refuse(LiquidationError.CollateralCannotBeLiquidated);
        }

        if (totalDebt.IsZero)
        {
            return Refuse(LiquidationError.SpecifiedCurrencyNotBorrowedByUser);
        }

        // _getConfigurationData: the e-mode bonus and price source apply to collateral of the
        // user's category; the debt is priced from the category's source whenever it has one.
        var bonus = collateral.LiquidationBonusBps;
        int collateralSource = c, debtSource = d;
        if (a.EMode != 0)
        {
            var category = m.RequireEMode(a.EMode);
            if (collateral.EModeCategory == a.EMode)
            {
                bonus = category.LiquidationBonusBps;
                collateralSource = category.PriceSourceReserve ?? collateralSource;
            }

            debtSource = category.PriceSourceReserve ?? debtSource;
        }

        var userCollateralBalance = a.CollateralBalance(m, c);
        var amounts = AvailableCollateralToLiquidate(
            AavePrices.Get(m, o, collateralSource),
            AavePrices.Get(m, o, debtSource),
            collateral.Token.Unit,
            debt.Token.Unit,
            collateral.LiquidationProtocolFeeBps,
            actualDebt,
            userCollateralBalance,
            bonus);
        actualDebt = amounts.DebtNeeded;
        var toLiquidator = amounts.ToLiquidator;
        var fee = amounts.Fee;
        var clearCollateralBit = Checked256.Add(toLiquidator, fee) == userCollateralBalance;

        // _burnDebtTokens: variable debt first; VariableDebtToken.burn -> _burnScaled requires a non-zero scaled amount.
        BigInteger scaledDebtBurn = 0, stableDebtBurn = 0;
        if (variableDebt >= actualDebt)
        {
            scaledDebtBurn = WadRayMath.RayDiv(actualDebt, debt.VariableBorrowIndex);
            if (scaledDebtBurn.IsZero)
            {
                return Refuse(LiquidationError.InvalidAmount);
            }
        }
        else
        {
            if (!variableDebt.IsZero)
            {
                scaledDebtBurn = WadRayMath.RayDiv(variableDebt, debt.VariableBorrowIndex);
                if (scaledDebtBurn.IsZero)
                {
                    return Refuse(LiquidationError.InvalidAmount);
                }
            }

            stableDebtBurn = Checked256.Sub(actualDebt, variableDebt);
        }

        Checked256.Sub(a.ScaledDebt[d], scaledDebtBurn);

        // _burnCollateralATokens (AToken.burn, non-zero scaled amount required) or
        // _liquidateATokens (transferOnLiquidation, no such check): both move amount.rayDiv(index).
        var scaledOut = WadRayMath.RayDiv(toLiquidator, collateral.LiquidityIndex);
        if (!r.ReceiveAToken && scaledOut.IsZero)
        {
            return Refuse(LiquidationError.InvalidAmount);
        }

        var scaledLeft = Checked256.Sub(a.ScaledCollateral[c], scaledOut);

        // The treasury's share, clamped to the user's remaining scaled balance ("1 wei imprecision").
        BigInteger scaledFee = 0;
        if (!fee.IsZero)
        {
            scaledFee = WadRayMath.RayDiv(fee, collateral.LiquidityIndex);
            if (scaledFee > scaledLeft)
            {
                fee = WadRayMath.RayMul(scaledLeft, collateral.LiquidityIndex);
                scaledFee = WadRayMath.RayDiv(fee, collateral.LiquidityIndex);
            }

            Checked256.Sub(scaledLeft, scaledFee);
        }

        var quote = new LiquidationQuote(LiquidationError.None, actualDebt, toLiquidator, fee, healthFactor, maxLiquidatableDebt, closeFactor, amounts.CapBinding);
        return new LiquidationPlan(quote, scaledDebtBurn, stableDebtBurn, scaledOut, scaledFee, clearCollateralBit);
    }

    private readonly record struct CollateralAmounts(BigInteger ToLiquidator, BigInteger DebtNeeded, BigInteger Fee, bool CapBinding);

    /// <summary>LiquidationLogic._calculateAvailableCollateralToLiquidate, product by product.</summary>
    private static CollateralAmounts AvailableCollateralToLiquidate(
        BigInteger collateralPrice,
        BigInteger debtPrice,
        BigInteger collateralUnit,
        BigInteger debtUnit,
        int protocolFeeBps,
        BigInteger debtToCover,
        BigInteger userCollateralBalance,
        int bonusBps)
    {
        var baseCollateral = UInt256.Divide(
            Checked256.Mul(Checked256.Mul(debtPrice, debtToCover), collateralUnit),
            Checked256.Mul(collateralPrice, debtUnit),
            Rounding.Down);
        var maxCollateral = PercentageMath.PercentMul(baseCollateral, bonusBps);

        BigInteger collateralAmount, debtNeeded;
        var capBinding = maxCollateral > userCollateralBalance;
        if (capBinding)
        {
            collateralAmount = userCollateralBalance;
            debtNeeded = PercentageMath.PercentDiv(
                UInt256.Divide(
                    Checked256.Mul(Checked256.Mul(collateralPrice, collateralAmount), debtUnit),
                    Checked256.Mul(debtPrice, collateralUnit),
                    Rounding.Down),
                bonusBps);
        }
        else
        {
            collateralAmount = maxCollateral;
            debtNeeded = debtToCover;
        }

        if (protocolFeeBps == 0)
        {
            return new CollateralAmounts(collateralAmount, debtNeeded, 0, capBinding);
        }

        // The fee is a share of the bonus part only: amount - amount.percentDiv(bonus).
        var bonusCollateral = Checked256.Sub(collateralAmount, PercentageMath.PercentDiv(collateralAmount, bonusBps));
        var fee = PercentageMath.PercentMul(bonusCollateral, protocolFeeBps);
        return new CollateralAmounts(Checked256.Sub(collateralAmount, fee), debtNeeded, fee, capBinding);
    }
}
