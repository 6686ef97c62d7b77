using System.Numerics;

namespace DefiCascade.Lending.AaveV3;

/// <summary>Why the contract would revert a liquidationCall (Errors.sol names; codes in comments).</summary>
public enum LiquidationError
{
    None,

    /// <summary>INVALID_BURN_AMOUNT ('25'): the debt or the collateral burned scales down to 0 (e.g. debtToCover 0).</summary>
    InvalidAmount,

    /// <summary>RESERVE_INACTIVE ('27'): the collateral or the debt reserve is not active.</summary>
    ReserveInactive,

    /// <summary>RESERVE_PAUSED ('29'): the collateral or the debt reserve is paused.</summary>
    ReservePaused,

    /// <summary>HEALTH_FACTOR_NOT_BELOW_THRESHOLD ('45').</summary>
    HealthFactorNotBelowThreshold,

    /// <summary>COLLATERAL_CANNOT_BE_LIQUIDATED ('46'): not used as collateral by the user, or its threshold is 0.</summary>
    CollateralCannotBeLiquidated,

    /// <summary>SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER ('47').</summary>
    SpecifiedCurrencyNotBorrowedByUser,
}

/// <summary>
/// A liquidationCall. <paramref name="DebtToCover"/> in debt-asset base units; pass
/// <see cref="Core.Math.UInt256.Max"/> to repay as much as the close factor allows.
/// </summary>
public sealed record LiquidationRequest(int CollateralReserve, int DebtReserve, BigInteger DebtToCover, bool ReceiveAToken = false);

/// <summary>
/// The outcome of a liquidationCall. <paramref name="DebtRepaid"/> is what the liquidator pays in
/// the debt asset; <paramref name="CollateralToLiquidator"/> what they receive (underlying, or aTokens
/// with ReceiveAToken); <paramref name="ProtocolFee"/> the collateral sent to the treasury as aTokens.
/// The user loses CollateralToLiquidator + ProtocolFee. On a refusal the three amounts are 0 and
/// the health factor, close factor and maximum are those the contract computed before reverting.
/// </summary>
public sealed record LiquidationQuote(
    LiquidationError Error,
    BigInteger DebtRepaid,
    BigInteger CollateralToLiquidator,
    BigInteger ProtocolFee,
    BigInteger HealthFactorBefore,
    BigInteger MaxLiquidatableDebt,
    int CloseFactorBps,
    bool CollateralCapBinding)
{
    public bool Ok => Error == LiquidationError.None;

    /// <summary>Everything the user loses in the collateral asset.</summary>
    public BigInteger CollateralSeized => CollateralToLiquidator + ProtocolFee;
}
