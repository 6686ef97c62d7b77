using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>
/// The while-loop of UniswapV3Pool.swap (v3-core 1.0.x) on local state. Two departures, both at the edge of
/// what the model knows: the walk stops with DataExhausted at the edge of a partially read tick book, and
/// with OutOfLiquidity when the active liquidity is zero and no initialized tick remains in the walk
/// direction (the contract would move the price to the limit for free; we leave the price where it is).
/// </summary>
internal sealed class V3SwapWalk
{
    private readonly TickBook _book;
    private readonly int _fee;
    private readonly bool _zeroForOne;
    private readonly bool _exactInput;
    private readonly BigInteger _limit;

    public V3SwapWalk(TickBook book, int fee, bool zeroForOne, bool exactInput, BigInteger sqrtPriceLimitX96, V3State start)
    {
        _book = book;
        _fee = fee;
        _zeroForOne = zeroForOne;
        _exactInput = exactInput;
        _limit = sqrtPriceLimitX96;
        SqrtPriceX96 = start.SqrtPriceX96;
        Tick = start.Tick;
        Liquidity = start.Liquidity;
    }

    public BigInteger SqrtPriceX96 { get; private set; }

    public int Tick { get; private set; }

    public BigInteger Liquidity { get; private set; }

    public int TicksCrossed { get; private set; }

    /// <summary>Runs the loop for |amount| (exact input or exact output) and returns what was paid in and out.</summary>
    public (BigInteger AmountIn, BigInteger AmountOut, SwapStop Stop) Run(BigInteger amount, bool userLimit)
    {
        var amountSpecified = _exactInput ? amount : -amount;
        var remaining = amountSpecified;
        var calculated = BigInteger.Zero;
        SwapStop? stop = null;

        while (!remaining.IsZero && SqrtPriceX96 != _limit)
        {
            if (Liquidity.IsZero && !_book.HasInitializedTickToward(Tick, _zeroForOne))
            {
                stop = _book.IsBoundedToward(_zeroForOne) ? SwapStop.DataExhausted : SwapStop.OutOfLiquidity;
                break;
            }

            var sqrtPriceStart = SqrtPriceX96;
            var next = _book.NextInitializedTickWithinOneWord(Tick, _zeroForOne);
            var tickNext = next.Tick;
            if (next.BeyondBook)
            {
                // the contract's next tick lies outside the window we read: walk only to the window edge.
                tickNext = _zeroForOne ? _book.Lower!.Value : _book.Upper!.Value;
            }

            tickNext = Math.Clamp(tickNext, TickMath.MinTick, TickMath.MaxTick);
            var sqrtPriceNext = TickMath.GetSqrtRatioAtTick(tickNext);
            if (next.BeyondBook && (_zeroForOne ? SqrtPriceX96 <= sqrtPriceNext : SqrtPriceX96 >= sqrtPriceNext))
            {
                stop = SwapStop.DataExhausted;
                break;
            }

            var target = (_zeroForOne ? sqrtPriceNext < _limit : sqrtPriceNext > _limit) ? _limit : sqrtPriceNext;
            var step = SwapMath.ComputeSwapStep(SqrtPriceX96, target, Liquidity, remaining, _fee);
            SqrtPriceX96 = step.SqrtPriceNextX96;

            if (_exactInput)
            {
                remaining -= SqrtPriceMath.ToInt256(step.AmountIn + step.FeeAmount);
                calculated -= SqrtPriceMath.ToInt256(step.AmountOut);
            }
            else
            {
                remaining += SqrtPriceMath.ToInt256(step.AmountOut);
                calculated += SqrtPriceMath.ToInt256(step.AmountIn + step.FeeAmount);
            }

            if (SqrtPriceX96 == sqrtPriceNext)
            {
                // shift tick if we reached the next price (Tick.cross when the tick is initialized)
                if (next.Initialized && !next.BeyondBook)
                {
                    var liquidityNet = _book.LiquidityNetAt(next.Index);
                    Liquidity = LiquidityMath.AddDelta(Liquidity, _zeroForOne ? -liquidityNet : liquidityNet);
                    TicksCrossed++;
                }

                Tick = _zeroForOne ? tickNext - 1 : tickNext;
                if (next.BeyondBook && !remaining.IsZero)
                {
                    stop = SwapStop.DataExhausted;
                    break;
                }
            }
            else if (SqrtPriceX96 != sqrtPriceStart)
            {
                // recompute unless we're on a lower tick boundary (i.e. already transitioned ticks), and haven't moved
                Tick = TickMath.GetTickAtSqrtRatio(SqrtPriceX96);
            }
        }

        stop ??= remaining.IsZero ? SwapStop.Filled : userLimit ? SwapStop.PriceLimit : SwapStop.OutOfLiquidity;

        // UniswapV3Pool.swap: (amount0, amount1) = zeroForOne == exactInput
        //   ? (amountSpecified - remaining, calculated) : (calculated, amountSpecified - remaining)
        var specifiedUsed = amountSpecified - remaining;
        return _exactInput
            ? (specifiedUsed, -calculated, stop.Value)
            : (calculated, -specifiedUsed, stop.Value);
    }
}
