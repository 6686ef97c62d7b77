using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Simulation.Results;

/// <summary>One executed liquidationCall and the sale of what it seized. Raw amounts in base units; USD in 8 decimals.</summary>
public sealed record LiquidationEvent(
    int Block,
    string Market,
    Address User,
    string CollateralAsset,
    string DebtAsset,
    BigInteger DebtRepaid,
    BigInteger CollateralToLiquidator,
    BigInteger ProtocolFee,
    BigInteger SaleProceeds,
    BigInteger HealthFactorBefore,
    BigInteger HealthFactorAfter,
    int CloseFactorBps,
    bool CollateralCapBinding,
    BigInteger DebtRepaidUsd,
    BigInteger CollateralSeizedUsd,
    BigInteger ProtocolFeeUsd,
    BigInteger ProfitUsd,
    BigInteger GasUsd,
    long GasUsed,
    bool PartialSlice);

/// <summary>Why a position below HF 1 was left alone by every bot (one byte: the bot keeps one per account of a book).</summary>
public enum UnliquidatableReason : byte
{
    /// <summary>Not looked at yet (should not appear in a finished run).</summary>
    None,

    /// <summary>Gas plus slippage exceed the liquidation bonus at every size.</summary>
    Unprofitable,

    /// <summary>The whole position is worth less than the gas of one liquidation.</summary>
    Dust,

    /// <summary>The pools cannot absorb the seized collateral (they ran out of liquidity).</summary>
    NoLiquidity,

    /// <summary>The pool book was only read within a window and the sale walked past it.</summary>
    DataExhausted,

    /// <summary>No pool path from the collateral to the debt asset.</summary>
    NoRoute,

    /// <summary>No collateral left: the remaining debt is realized bad debt.</summary>
    NoCollateral,

    /// <summary>The block's liquidation gas budget ran out before this position's turn.</summary>
    GasBudget,

    /// <summary>The protocol refuses the liquidation (reserve paused or inactive).</summary>
    Refused,

    /// <summary>The per-block liquidation cap (a scenario mitigation) was used up before this position's turn.</summary>
    LiquidationCap,

    /// <summary>The circuit breaker (a scenario mitigation) paused liquidations.</summary>
    CircuitBreaker,
}
