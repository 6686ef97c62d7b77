using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Amm;

/// <summary>Why a swap stopped.</summary>
public enum SwapStop
{
    /// <summary>The requested amount was fully used (exact input) or fully received (exact output).</summary>
    Filled,

    /// <summary>The price reached the caller's limit first.</summary>
    PriceLimit,

    /// <summary>
    /// The pool has nothing left to trade in that direction (or its capacity bound was hit). A V3 pool's price has
    /// then gone on, for nothing, to the price limit (<see cref="SwapResult.EdgeSqrtPriceX96"/> says where its
    /// liquidity ended).
    /// </summary>
    OutOfLiquidity,

    /// <summary>The walk reached the edge of the tick book that was read; the pool may hold more beyond it.</summary>
    DataExhausted,
}

/// <summary>
/// A swap order. ZeroForOne: token0 in, token1 out. Amount: exact input when <paramref name="ExactInput"/>,
/// else exact output. SqrtPriceLimitX96: null = no limit (V3: MIN_SQRT_RATIO+1 or MAX_SQRT_RATIO-1 as the periphery does).
/// </summary>
public readonly record struct SwapRequest(bool ZeroForOne, BigInteger Amount, bool ExactInput, BigInteger? SqrtPriceLimitX96 = null);

/// <summary>What a swap did: amounts in raw units, where it stopped and the pool state after it.</summary>
public sealed record SwapResult(
    BigInteger AmountIn,
    BigInteger AmountOut,
    SwapStop Stop,
    BigInteger SqrtPriceX96After,
    int TickAfter,
    BigInteger LiquidityAfter,
    int TicksCrossed)
{
    /// <summary>
    /// V3, when the swap ran out of liquidity on a complete book (<see cref="SwapStop.OutOfLiquidity"/>): the price
    /// where the book's liquidity ends in the swap's direction (the outermost initialized tick); the swap's price went
    /// on past it to the limit. Null otherwise.
    /// </summary>
    public BigInteger? EdgeSqrtPriceX96 { get; init; }

    /// <summary>The tick slot0 holds at <see cref="EdgeSqrtPriceX96"/> right after a swap crosses it.</summary>
    public int? EdgeTick { get; init; }
}

/// <summary>What an exact-input quote pays in and out, how it stopped and the V3 ticks it crossed (routing reads no more).</summary>
public readonly record struct SwapAmounts(BigInteger AmountIn, BigInteger AmountOut, SwapStop Stop, int TicksCrossed);

/// <summary>An exact integer model of one AMM pool.</summary>
public interface IAmmPool
{
    /// <summary>"uniswap-v2" | "uniswap-v3".</summary>
    string Kind { get; }

    Address Address { get; }

    Token Token0 { get; }

    Token Token1 { get; }

    /// <summary>V2: 3000; V3: the pool fee (500, 3000, ...).</summary>
    int FeePips { get; }

    /// <summary>Current mid price as sqrt(token1/token0 in raw units) * 2^96.</summary>
    BigInteger SqrtPriceX96 { get; }

    /// <summary>Tokens the pool holds (V2 reserves; V3 amounts implied by the liquidity book plus swap deltas).</summary>
    BigInteger Balance0 { get; }

    BigInteger Balance1 { get; }

    /// <summary>Pure: the pool state is unchanged.</summary>
    SwapResult Quote(in SwapRequest request);

    /// <summary>
    /// <see cref="Quote"/> of an exact-input order without a price limit, amounts only: the same figures, without the
    /// state after the swap (a router quotes many sizes and reads no more). Pools may skip working out that state.
    /// </summary>
    SwapAmounts QuoteExactInput(bool zeroForOne, BigInteger amountIn)
    {
        var result = Quote(new SwapRequest(zeroForOne, amountIn, ExactInput: true));
        return new SwapAmounts(result.AmountIn, result.AmountOut, result.Stop, result.TicksCrossed);
    }

    /// <summary>Applies the swap: both balances settle, price, tick and liquidity move.</summary>
    SwapResult Swap(in SwapRequest request);

    /// <summary>Deep copy of the mutable state; immutable parts are shared.</summary>
    IAmmPool Clone();
}
