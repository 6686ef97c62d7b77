using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Lending.AaveV3;

/// <summary>
/// Pool.getUserAccountData. Amounts in the oracle's base currency (USD, 8 decimals); LTV and
/// liquidation threshold in basis points; health factor in wad (uint256.max without debt).
/// </summary>
public readonly record struct UserAccountData(
    BigInteger TotalCollateralBase,
    BigInteger TotalDebtBase,
    BigInteger AvailableBorrowsBase,
    BigInteger CurrentLiquidationThreshold,
    BigInteger Ltv,
    BigInteger HealthFactor)
{
    public bool Liquidatable => HealthFactor < AaveV3Version.HealthFactorLiquidationThreshold;
}

public static class AaveV3Accounting
{
    /// <summary>
    /// GenericLogic.calculateUserAccountData followed by GenericLogic.calculateAvailableBorrows,
    /// with the contract's order of operations and rounding (floors where it divides bare, half up
    /// in percentMul / wadDiv).
    /// </summary>
    public static UserAccountData CalculateUserAccountData(AaveV3Market m, AaveAccount a, IAavePriceOracle o)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(o);
        a.CheckShape(m);

        BigInteger eModeLtv = 0, eModeLt = 0, eModeAssetPrice = 0;
        if (a.EMode != 0)
        {
            // EModeLogic.getEModeConfiguration: the category's price source is read once, up front.
            var category = m.RequireEMode(a.EMode);
            eModeLtv = category.LtvBps;
            eModeLt = category.LiquidationThresholdBps;
            if (category.PriceSourceReserve is int source)
            {
                eModeAssetPrice = AavePrices.Get(m, o, source);
            }
        }

        BigInteger totalCollateral = 0, totalDebt = 0, avgLtv = 0, avgLt = 0;
        for (var i = 0; i < m.Reserves.Count; i++)
        {
            var usingAsCollateral = a.IsUsingAsCollateral(i);
            var borrowing = a.IsBorrowing(i);
            if (!usingAsCollateral && !borrowing)
            {
                continue;
            }

            var r = m.Reserves[i];
            var unit = r.Token.Unit;
            var price = !eModeAssetPrice.IsZero && a.EMode == r.EModeCategory ? eModeAssetPrice : AavePrices.Get(m, o, i);

            if (r.LiquidationThresholdBps != 0 && usingAsCollateral)
            {
                // _getUserBalanceInBaseCurrency: (scaled.rayMul(normalizedIncome) * price) / unit, floor.
                var balance = UInt256.Divide(Checked256.Mul(a.CollateralBalance(m, i), price), unit, Rounding.Down);
                totalCollateral = Checked256.Add(totalCollateral, balance);
                var inEMode = a.EMode != 0 && r.EModeCategory == a.EMode;

                // v3.0: a zero-LTV asset adds nothing to the LTV average but still counts for the threshold.
                if (r.LtvBps != 0)
                {
                    avgLtv = Checked256.Add(avgLtv, Checked256.Mul(balance, inEMode ? eModeLtv : r.LtvBps));
                }

                avgLt = Checked256.Add(avgLt, Checked256.Mul(balance, inEMode ? eModeLt : r.LiquidationThresholdBps));
            }

            if (borrowing)
            {
                // _getUserDebtInBaseCurrency: ((variable + stable) * price) / unit, floor.
                var debt = Checked256.Add(a.VariableDebtBalance(m, i), a.StableDebtOf(i));
                totalDebt = Checked256.Add(totalDebt, UInt256.Divide(Checked256.Mul(price, debt), unit, Rounding.Down));
            }
        }

        if (!totalCollateral.IsZero)
        {
            avgLtv = UInt256.Divide(avgLtv, totalCollateral, Rounding.Down);
            avgLt = UInt256.Divide(avgLt, totalCollateral, Rounding.Down);
        }
        else
        {
            avgLtv = 0;
            avgLt = 0;
        }

        var healthFactor = totalDebt.IsZero
            ? UInt256.Max
            : WadRayMath.WadDiv(PercentageMath.PercentMul(totalCollateral, avgLt), totalDebt);

        // GenericLogic.calculateAvailableBorrows: collateral.percentMul(ltv) - debt, floored at zero.
        var borrowable = PercentageMath.PercentMul(totalCollateral, avgLtv);
        var available = borrowable < totalDebt ? BigInteger.Zero : borrowable - totalDebt;

        return new UserAccountData(totalCollateral, totalDebt, available, avgLt, avgLtv, healthFactor);
    }
}
