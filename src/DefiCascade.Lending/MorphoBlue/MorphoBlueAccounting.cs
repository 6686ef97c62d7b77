using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Lending.MorphoBlue;

/// <summary>Health, liquidation incentive and interest accrual of Morpho Blue 1.0.0, rounded as Morpho.sol rounds.</summary>
public static class MorphoBlueAccounting
{
    /// <summary>
    /// Morpho._isHealthy(marketParams, id, borrower): true without borrow shares, else the
    /// four-argument check at <paramref name="collateralPrice"/> (see <see cref="IsHealthyAt"/>).
    /// </summary>
    public static bool IsHealthy(MorphoMarketParams p, MorphoMarketState s, MorphoPosition position, BigInteger collateralPrice)
    {
        ArgumentNullException.ThrowIfNull(position);
        return position.BorrowShares.IsZero || IsHealthyAt(p, s, position, collateralPrice);
    }

    /// <summary>
    /// Morpho._isHealthy(marketParams, id, borrower, collateralPrice), as liquidate calls it (no
    /// zero-shares shortcut): borrowed = borrowShares.toAssetsUp(totals) first, then
    /// maxBorrow = collateral.mulDivDown(price, ORACLE_PRICE_SCALE).wMulDown(lltv); healthy iff maxBorrow &gt;= borrowed.
    /// Throws <see cref="MorphoRevertException"/> where the contract would panic.
    /// </summary>
    public static bool IsHealthyAt(MorphoMarketParams p, MorphoMarketState s, MorphoPosition position, BigInteger collateralPrice)
    {
        CheckInputs(p, s, position);
        MorphoChecks.Price(collateralPrice);
        return MaxBorrow(p, position, collateralPrice) >= BorrowedAssets(s, position);
    }

    /// <summary>The debt as _isHealthy counts it: borrowShares.toAssetsUp(totalBorrowAssets, totalBorrowShares).</summary>
    public static BigInteger BorrowedAssets(MorphoMarketState s, MorphoPosition position)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(position);
        return SharesMathLib.ToAssetsUp(position.BorrowShares, s.TotalBorrowAssets, s.TotalBorrowShares);
    }

    /// <summary>The borrowing limit as _isHealthy counts it: collateral.mulDivDown(price, ORACLE_PRICE_SCALE).wMulDown(lltv).</summary>
    public static BigInteger MaxBorrow(MorphoMarketParams p, MorphoPosition position, BigInteger collateralPrice)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(position);
        var collateralValue = MathLib.MulDivDown(position.Collateral, collateralPrice, MorphoBlueVersion.OraclePriceScale);
        return MathLib.WMulDown(collateralValue, p.Lltv);
    }

    /// <summary>
    /// The factor in Morpho.liquidate: min(MAX_LIQUIDATION_INCENTIVE_FACTOR,
    /// WAD.wDivDown(WAD - LIQUIDATION_CURSOR.wMulDown(WAD - lltv))). An LLTV above WAD underflows
    /// (Panic 0x11); Morpho.enableLltv only admits lltv &lt; WAD.
    /// </summary>
    public static BigInteger LiquidationIncentiveFactor(BigInteger lltv)
    {
        MorphoChecks.Uint256(lltv, nameof(lltv));
        var wad = MorphoBlueVersion.Wad;
        var discount = MathLib.WMulDown(MorphoBlueVersion.LiquidationCursor, Checked.Sub(wad, lltv));
        return UtilsLib.Min(MorphoBlueVersion.MaxLiquidationIncentiveFactor, MathLib.WDivDown(wad, Checked.Sub(wad, discount)));
    }

    /// <summary>
    /// Morpho._accrueInterest at <paramref name="blockTimestamp"/>, given the rate the market's IRM
    /// returns for the state before accrual (IIrm.borrowRate, wad per second; ignored when the IRM
    /// is address(0)). Mutates <paramref name="s"/> only if nothing reverts and returns the fee
    /// shares minted to the fee recipient, whose position the caller credits. Liquidation quotes
    /// expect a state already accrued to their block.
    /// </summary>
    public static BigInteger AccrueInterest(MorphoMarketParams p, MorphoMarketState s, BigInteger borrowRate, BigInteger blockTimestamp)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(s);
        s.Check();
        MorphoChecks.Uint256(borrowRate, nameof(borrowRate));
        MorphoChecks.Uint256(blockTimestamp, nameof(blockTimestamp));

        var elapsed = Checked.Sub(blockTimestamp, s.LastUpdate);
        if (elapsed.IsZero)
        {
            return BigInteger.Zero;
        }

        var next = s.Copy();
        BigInteger feeShares = 0;
        if (p.Irm != Address.Zero)
        {
            var interest = MathLib.WMulDown(next.TotalBorrowAssets, MathLib.WTaylorCompounded(borrowRate, elapsed));
            next.TotalBorrowAssets = Checked.Add128(next.TotalBorrowAssets, UtilsLib.ToUint128(interest));
            next.TotalSupplyAssets = Checked.Add128(next.TotalSupplyAssets, UtilsLib.ToUint128(interest));
            if (!next.Fee.IsZero)
            {
                // The fee is taken out of the new supply before pricing its shares (the contract's own comment).
                var feeAmount = MathLib.WMulDown(interest, next.Fee);
                feeShares = SharesMathLib.ToSharesDown(feeAmount, Checked.Sub(next.TotalSupplyAssets, feeAmount), next.TotalSupplyShares);
                next.TotalSupplyShares = Checked.Add128(next.TotalSupplyShares, UtilsLib.ToUint128(feeShares));
            }
        }

        // uint128(block.timestamp): an unchecked cast in the contract; timestamps fit.
        next.LastUpdate = blockTimestamp;
        s.TotalBorrowAssets = next.TotalBorrowAssets;
        s.TotalSupplyAssets = next.TotalSupplyAssets;
        s.TotalSupplyShares = next.TotalSupplyShares;
        s.LastUpdate = next.LastUpdate;
        return feeShares;
    }

    internal static void CheckInputs(MorphoMarketParams p, MorphoMarketState s, MorphoPosition position)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(position);
        MorphoChecks.Uint256(p.Lltv, nameof(p.Lltv));
        s.Check();
        position.Check();
    }
}
