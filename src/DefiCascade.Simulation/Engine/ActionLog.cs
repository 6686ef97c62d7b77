using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Receives the engine's decisions in execution order, so something else (a chain replay) can act them out. Optional:
/// <see cref="CascadeOptions.ActionLog"/> is null by default and the engine then builds no action at all.
/// </summary>
public interface IActionLog
{
    /// <summary>A block starts; every action until the next call belongs to it.</summary>
    void BeginBlock(int block, long timestamp);

    void Add(EngineAction action);

    /// <summary>The block ended; <paramref name="poolSqrtPricesX96"/> is each pool's price after it, in snapshot pool order.</summary>
    void EndBlock(int block, IReadOnlyList<BigInteger> poolSqrtPricesX96);
}

/// <summary>One decision of the engine, as a transaction would carry it.</summary>
public abstract record EngineAction;

/// <summary>A feed published a new answer (8 decimals, USD) for <paramref name="Asset"/>.</summary>
public sealed record OracleAction(string Asset, BigInteger Answer) : EngineAction;

/// <summary>Why a swap was made.</summary>
public enum SwapPurpose
{
    Arbitrage,

    /// <summary>One hop of a liquidator selling seized collateral (<see cref="SwapAction.Hop"/> of the route).</summary>
    Sale,
}

/// <summary>
/// An exact-input swap as sent: <paramref name="AmountSpecified"/> and <paramref name="SqrtPriceLimitX96"/> (null: the
/// periphery's default limit) are the request; <paramref name="AmountIn"/> / <paramref name="AmountOut"/> what the model's
/// pool did with it.
/// </summary>
public sealed record SwapAction(
    SwapPurpose Purpose,
    int Pool,
    Address PoolAddress,
    bool ZeroForOne,
    BigInteger AmountSpecified,
    BigInteger? SqrtPriceLimitX96,
    BigInteger AmountIn,
    BigInteger AmountOut,
    int Hop) : EngineAction;

/// <summary>
/// A liquidationCall as the bot sent it (<paramref name="DebtToCover"/>, <paramref name="ReceiveAToken"/>) and what the
/// model's Pool did: debt repaid, collateral to the liquidator and the protocol fee to the treasury, in base units.
/// </summary>
public sealed record LiquidationAction(
    int Book,
    string Market,
    Address User,
    string CollateralAsset,
    string DebtAsset,
    BigInteger DebtToCover,
    bool ReceiveAToken,
    BigInteger DebtRepaid,
    BigInteger CollateralToLiquidator,
    BigInteger ProtocolFee) : EngineAction;
