using DefiCascade.Core.Math;

namespace DefiCascade.Amm.V3;

/// <summary>
/// The while-loop of UniswapV3Pool.swap (v3-core 1.0.x) on local state. One departure, at the edge of what the
/// model knows: the walk stops with DataExhausted at the edge of a partially read tick book. When the active
/// liquidity is zero and a complete book holds no initialized tick in the walk direction, the contract keeps
/// looping word by word to the price limit for nothing; the walk lands where that loop ends in one step
/// (<see cref="LandOnLimit"/>) and reports OutOfLiquidity, since the amount was not filled. Empty words before
/// an initialized tick are skipped the same way (<see cref="SkipEmptyRange"/>). The loop runs on 256-bit words
/// (<see cref="U256"/>, liquidity a uint128) and keeps the contract's signed amounts as magnitudes: what remains
/// of the specified amount, and what the other side came to.
/// </summary>
internal sealed class V3SwapWalk
{
    private readonly TickBook _book;
    private readonly int _fee;
    private readonly bool _zeroForOne;
    private readonly bool _exactInput;
    private readonly U256 _limit;
    private readonly bool _stepThroughEmptyWords;
    private int _tick;
    private bool _tickStale;

    /// <param name="stepThroughEmptyWords">Walk the empty words one loop iteration at a time, as the contract does,
    /// instead of jumping to where that loop ends (tests compare the two).</param>
    public V3SwapWalk(TickBook book, int fee, bool zeroForOne, bool exactInput, U256 sqrtPriceLimitX96, V3State start, bool stepThroughEmptyWords = false)
    {
        _stepThroughEmptyWords = stepThroughEmptyWords;
        _book = book;
        _fee = fee;
        _zeroForOne = zeroForOne;
        _exactInput = exactInput;
        _limit = sqrtPriceLimitX96;
        SqrtPriceX96 = U256.From(start.SqrtPriceX96);
        Tick = start.Tick;
        Liquidity = (UInt128)start.Liquidity;
    }

    public U256 SqrtPriceX96 { get; private set; }

    /// <summary>The loop's tick; after a step that stopped inside a range, worked out from the price only when read.</summary>
    public int Tick
    {
        get
        {
            if (_tickStale)
            {
                (_tick, _tickStale) = (TickMath.GetTickAtSqrtRatio(SqrtPriceX96), false);
            }

            return _tick;
        }

        private set => (_tick, _tickStale) = (value, false);
    }

    public UInt128 Liquidity { get; private set; }

    public int TicksCrossed { get; private set; }

    /// <summary>
    /// The loop's state after a step that reached its target price: what an exact-input walk has paid in
    /// (<c>Consumed</c>) and out (<c>PaidOut</c>) by then, where it stands, and the ticks crossed.
    /// </summary>
    internal readonly record struct Checkpoint(U256 Consumed, U256 PaidOut, U256 SqrtPriceX96, int Tick, UInt128 Liquidity, int TicksCrossed);

    /// <summary>
    /// Where the book's liquidity ends in the walk direction, set when the walk found no liquidity and no
    /// initialized tick ahead of it: the outermost initialized tick's price with the tick slot0 holds right after
    /// crossing it (lowest - 1 going down, highest going up); the starting state when the book is empty.
    /// </summary>
    public (U256 SqrtPriceX96, int Tick)? DryEdge { get; private set; }

    /// <summary>Runs the loop for |amount| (exact input or exact output) and returns what was paid in and out.</summary>
    public (U256 AmountIn, U256 AmountOut, SwapStop Stop) Run(U256 amount, bool userLimit) => Run(amount, userLimit, null, null);

    /// <summary>
    /// An exact-input <see cref="Run(U256, bool)"/> resumed at <paramref name="from"/> (a checkpoint of a walk
    /// from the same start that had paid in at most <paramref name="amount"/>), recording the checkpoints it
    /// passes beyond <paramref name="record"/>'s last. Resuming is exact: a step that reached its target price
    /// paid in what reaching it costs, whatever amount remained, as long as that covered it
    /// (computeSwapStep reaches the target when amountRemaining * (1e6 - fee) / 1e6 >= amountIn, which
    /// amountRemaining >= amountIn + feeAmount implies); so every walk of at least Consumed takes the same
    /// steps up to the checkpoint.
    /// </summary>
    public (U256 AmountIn, U256 AmountOut, SwapStop Stop) Run(U256 amount, bool userLimit, Checkpoint? from, List<Checkpoint>? record)
    {
        if (!_exactInput && (from is not null || record is not null))
        {
            throw new InvalidOperationException("checkpoints apply to exact-input walks only");
        }

        // amountSpecifiedRemaining and amountCalculated as magnitudes: exact input pays in what leaves `remaining`
        // and `calculated` is paid out; exact output is paid out what leaves `remaining` and `calculated` is paid in.
        var remaining = amount;
        var calculated = U256.Zero;
        SwapStop? stop = null;
        if (from is { } start)
        {
            (SqrtPriceX96, Tick, Liquidity, TicksCrossed) = (start.SqrtPriceX96, start.Tick, start.Liquidity, start.TicksCrossed);
            (remaining, calculated) = (amount - start.Consumed, start.PaidOut);
        }

        while (!remaining.IsZero && SqrtPriceX96 != _limit)
        {
            if (Liquidity == UInt128.Zero && !_book.HasInitializedTickToward(Tick, _zeroForOne))
            {
                if (_book.IsBoundedToward(_zeroForOne))
                {
                    stop = SwapStop.DataExhausted;
                    break;
                }

                DryEdge ??= Edge();
                if (!_stepThroughEmptyWords)
                {
                    LandOnLimit();
                    break;
                }
            }
            else if (Liquidity == UInt128.Zero && !_stepThroughEmptyWords && SkipEmptyRange())
            {
                continue;
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
            var sqrtPriceNext = TickMath.GetSqrtRatioAtTickWord(tickNext);
            if (next.BeyondBook && (_zeroForOne ? SqrtPriceX96 <= sqrtPriceNext : SqrtPriceX96 >= sqrtPriceNext))
            {
                stop = SwapStop.DataExhausted;
                break;
            }

            var target = (_zeroForOne ? sqrtPriceNext < _limit : sqrtPriceNext > _limit) ? _limit : sqrtPriceNext;
            var step = SwapMath.ComputeSwapStep(SqrtPriceX96, target, Liquidity, remaining, _exactInput, _fee);
            SqrtPriceX96 = step.SqrtPriceNextX96;

            if (_exactInput)
            {
                remaining -= SqrtPriceMath.ToInt256(step.AmountIn + step.FeeAmount);
                calculated += SqrtPriceMath.ToInt256(step.AmountOut);
            }
            else
            {
                remaining -= SqrtPriceMath.ToInt256(step.AmountOut);
                calculated += SqrtPriceMath.ToInt256(step.AmountIn + step.FeeAmount);
            }

            if (SqrtPriceX96 == sqrtPriceNext)
            {
                // shift tick if we reached the next price (Tick.cross when the tick is initialized)
                if (next.Initialized && !next.BeyondBook)
                {
                    var liquidityNet = _book.LiquidityNetWordAt(next.Index);
                    Liquidity = LiquidityMath.AddDelta(Liquidity, _zeroForOne ? -liquidityNet : liquidityNet);
                    TicksCrossed++;
                }

                Tick = _zeroForOne ? tickNext - 1 : tickNext;
                if (next.BeyondBook && !remaining.IsZero)
                {
                    stop = SwapStop.DataExhausted;
                    break;
                }

                // The step reached its target price (a tick, not the limit): a point any larger walk passes.
                var consumed = amount - remaining;
                if (record is not null && !next.BeyondBook && (record.Count == 0 || consumed > record[^1].Consumed))
                {
                    record.Add(new Checkpoint(consumed, calculated, SqrtPriceX96, Tick, Liquidity, TicksCrossed));
                }
            }
            else if (SqrtPriceX96 != sqrtPriceStart)
            {
                // recompute unless we're on a lower tick boundary (i.e. already transitioned ticks), and haven't moved
                // (getTickAtSqrtRatio, when the tick is next read: a quote of amounts never reads it)
                _tickStale = true;
            }
        }

        // a walk that went dry stopped for want of liquidity, even though its price then reached the limit for free.
        stop ??= remaining.IsZero ? SwapStop.Filled
            : DryEdge.HasValue || !userLimit ? SwapStop.OutOfLiquidity
            : SwapStop.PriceLimit;

        // UniswapV3Pool.swap: (amount0, amount1) = zeroForOne == exactInput
        //   ? (amountSpecified - remaining, calculated) : (calculated, amountSpecified - remaining)
        var specifiedUsed = amount - remaining;
        return _exactInput
            ? (specifiedUsed, calculated, stop.Value)
            : (calculated, specifiedUsed, stop.Value);
    }

    /// <summary>
    /// Where UniswapV3Pool.swap's loop ends from here when liquidity is 0 and no initialized tick lies between the
    /// price and the limit. Every step then targets the next word boundary (nextInitializedTickWithinOneWord finds
    /// no bit; tickNext clamped to MIN/MAX_TICK) or the limit, whichever comes first, and computeSwapStep with
    /// liquidity 0 reaches its target for amountIn = amountOut = feeAmount = 0. So amountSpecifiedRemaining never
    /// changes, the loop ends exactly when sqrtPriceX96 == sqrtPriceLimitX96 (the limit lies strictly inside
    /// (MIN_SQRT_RATIO, MAX_SQRT_RATIO), so the clamped MIN/MAX_TICK step never stops it first), and the tick is
    /// whatever the last step set:
    /// - the last step hit its word boundary exactly (sqrtPriceNext == limit): tick = tickNext - 1 going down,
    ///   tickNext going up. Boundaries going down are word starts, ticks that are multiples of 256 * tickSpacing;
    ///   going up, tickNext = getTickAtSqrtRatio(limit) anyway.
    /// - otherwise the step stopped at the limit inside a word: tick = getTickAtSqrtRatio(limit).
    /// A zeroForOne limit exactly on a word-start tick t therefore leaves tick t - 1; any other limit leaves
    /// getTickAtSqrtRatio(limit). Tests check this against the stepped loop and the real pool.
    /// </summary>
    private void LandOnLimit()
    {
        var tick = TickMath.GetTickAtSqrtRatio(_limit);
        var onWordStart = TickMath.GetSqrtRatioAtTickWord(tick) == _limit && tick % (256 * _book.TickSpacing) == 0;
        Tick = _zeroForOne && onWordStart ? tick - 1 : tick;
        SqrtPriceX96 = _limit;
    }

    /// <summary>
    /// Liquidity 0 with an initialized tick ahead: the loop's steps up to that tick are the empty words of
    /// <see cref="LandOnLimit"/> (free), and the step into its word targets it, as it is the nearest set bit. So
    /// when the limit comes first the loop ends as LandOnLimit says; otherwise it arrives at the tick's price and
    /// crosses it (tick - 1 going down, tick going up), as here. Only where the book is known whole between the
    /// price and that tick (else the stepped walk finds the window's edge). Returns whether it moved.
    /// </summary>
    private bool SkipEmptyRange()
    {
        if (_zeroForOne ? _book.Upper is { } upper && Tick > upper : _book.Lower is { } lower && Tick < lower)
        {
            return false;
        }

        var index = _zeroForOne ? _book.LastAtOrBelow(Tick) : _book.FirstAtOrAbove(Tick + 1);
        var tickNext = _book.TickAt(index);
        var sqrtPriceNext = TickMath.GetSqrtRatioAtTickWord(tickNext);
        if (_zeroForOne ? sqrtPriceNext < _limit : sqrtPriceNext > _limit)
        {
            LandOnLimit();
            return true;
        }

        SqrtPriceX96 = sqrtPriceNext;
        var liquidityNet = _book.LiquidityNetWordAt(index);
        Liquidity = LiquidityMath.AddDelta(Liquidity, _zeroForOne ? -liquidityNet : liquidityNet);
        TicksCrossed++;
        Tick = _zeroForOne ? tickNext - 1 : tickNext;
        return true;
    }

    private (U256 SqrtPriceX96, int Tick) Edge()
    {
        if (_book.Count == 0)
        {
            return (SqrtPriceX96, Tick);
        }

        var outermost = _book.TickAt(_zeroForOne ? 0 : _book.Count - 1);
        return (TickMath.GetSqrtRatioAtTickWord(outermost), _zeroForOne ? outermost - 1 : outermost);
    }
}
