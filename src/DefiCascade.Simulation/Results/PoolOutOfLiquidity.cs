using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Simulation.Results;

/// <summary>
/// A pool that arbitrage could not carry to the external price because its book ran out in that
/// direction: every range the price crossed now holds only the token sold into it. The edge is where the
/// pool's liquidity ends (V3: its outermost initialized tick), not the market's price; a V3 pool's own price
/// went on past it, for nothing, to the arbitrage's price limit. <see cref="Stop"/> says whether the pool
/// holds nothing beyond the edge (<see cref="SwapStop.OutOfLiquidity"/>) or the snapshot did not read
/// that far (<see cref="SwapStop.DataExhausted"/>).
/// </summary>
/// <param name="RanOutOf">The token the pool no longer holds (the one arbitrage was buying).</param>
/// <param name="FirstBlock">The first block whose arbitrage the edge stopped.</param>
/// <param name="LastBlock">The last such block.</param>
/// <param name="Blocks">Blocks whose arbitrage the edge stopped (the pool may refill and drain again between the first and last).</param>
/// <param name="EdgeSqrtPriceX96">The price where the pool's liquidity ended for the last such arbitrage (V2 and a
/// partly read book: where that arbitrage left the pool).</param>
/// <param name="EdgeTick">The tick slot0 holds at that price right after a swap crosses it.</param>
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
