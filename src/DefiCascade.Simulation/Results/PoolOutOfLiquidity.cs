using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Simulation.Results;

/// <summary>
/// A pool that arbitrage could not carry to the external price because its book ran out in that
/// direction: every range the price crossed now holds only the token sold into it, and the pool's
/// price is the edge of its liquidity, not the market's. <see cref="Stop"/> says whether the pool
/// holds nothing beyond the edge (<see cref="SwapStop.OutOfLiquidity"/>) or the snapshot did not read
/// that far (<see cref="SwapStop.DataExhausted"/>).
/// </summary>
/// <param name="RanOutOf">The token the pool no longer holds (the one arbitrage was buying).</param>
/// <param name="FirstBlock">The first block whose arbitrage the edge stopped.</param>
/// <param name="LastBlock">The last such block.</param>
/// <param name="Blocks">Blocks whose arbitrage the edge stopped (the pool may refill and drain again between the first and last).</param>
/// <param name="EdgeSqrtPriceX96">The pool's price at the edge where the last such arbitrage stopped.</param>
/// <param name="EdgeTick">The tick of that price.</param>
/// <param name="EdgePrice">That price as whole token1 per whole token0 (display only: a double).</param>
public sealed record PoolOutOfLiquidity(
    Address Pool,
    string Kind,
    int FeePips,
    string Token0,
    string Token1,
    string RanOutOf,
    SwapStop Stop,
    int FirstBlock,
    int LastBlock,
    int Blocks,
    BigInteger EdgeSqrtPriceX96,
    int EdgeTick,
    double EdgePrice);
