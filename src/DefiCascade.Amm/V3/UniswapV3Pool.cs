using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Amm.V3;

/// <summary>
/// Uniswap V3 pool (v3-core 1.0.x) swap model. The swap loop is UniswapV3Pool.swap line by line, minus
/// fee-growth, oracle and protocol-fee accounting, which do not change amounts in or out. Clones share the
/// immutable tick book; Quote runs on locals and never copies it. Exact-input quotes without a price limit
/// keep the checkpoints their walks pass at the current state (V3SwapWalk.Run), so a larger quote resumes
/// where a smaller one passed: a pool is for one thread (each engine builds its own pools).
/// </summary>
public sealed class UniswapV3Pool : IAmmPool
{
    private static readonly BigInteger Int256Limit = BigInteger.One << 255;

    private readonly TickBook _book;
    private V3State _state;

    // Quotes at the current state, per direction (0: zeroForOne): the checkpoints of exact-input walks
    // without a user price limit, so a larger quote resumes where a smaller one passed (V3SwapWalk.Run).
    // Cleared when a swap changes the state.
    private readonly List<V3SwapWalk.Checkpoint>[] _checkpoints = [[], []];

    public UniswapV3Pool(
        Address address,
        Token t0,
        Token t1,
        int fee,
        int tickSpacing,
        BigInteger sqrtPriceX96,
        int tick,
        BigInteger liquidity,
        IEnumerable<TickSnapshot> ticks,
        int? tickBookLower = null,
        int? tickBookUpper = null)
        : this(address, t0, t1, fee, new TickBook(tickSpacing, ticks, tickBookLower, tickBookUpper), sqrtPriceX96, tick, liquidity)
    {
    }

    private UniswapV3Pool(Address address, Token t0, Token t1, int fee, TickBook book, BigInteger sqrtPriceX96, int tick, BigInteger liquidity)
    {
        ArgumentNullException.ThrowIfNull(t0);
        ArgumentNullException.ThrowIfNull(t1);
        if (fee < 0 || fee >= 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(fee), fee, "fee must be in [0, 1e6) pips");
        }

        if (sqrtPriceX96 < TickMath.MinSqrtRatio || sqrtPriceX96 >= TickMath.MaxSqrtRatio)
        {
            throw new ArgumentOutOfRangeException(nameof(sqrtPriceX96), sqrtPriceX96, "sqrt price outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO)");
        }

        // slot0.tick is getTickAtSqrtRatio(price), or one less when a zeroForOne swap ended exactly on a tick it crossed.
        var priceTick = TickMath.GetTickAtSqrtRatio(sqrtPriceX96);
        if (tick != priceTick && !(tick == priceTick - 1 && TickMath.GetSqrtRatioAtTick(priceTick) == sqrtPriceX96))
        {
            throw new ArgumentException($"tick {tick} does not match sqrt price {sqrtPriceX96} (tick {priceTick})");
        }

        if (liquidity.Sign < 0 || liquidity > LiquidityMath.Uint128Max)
        {
            throw new ArgumentOutOfRangeException(nameof(liquidity), liquidity, "liquidity must be a uint128");
        }

        Address = address;
        Token0 = t0;
        Token1 = t1;
        FeePips = fee;
        _book = book;
        var (balance0, balance1) = V3Balances.Implied(book, sqrtPriceX96, tick, liquidity);
        _state = new V3State(sqrtPriceX96, tick, liquidity, balance0, balance1);
    }

    private UniswapV3Pool(UniswapV3Pool other)
    {
        Address = other.Address;
        Token0 = other.Token0;
        Token1 = other.Token1;
        FeePips = other.FeePips;
        _book = other._book;
        _state = other._state;
    }

    public string Kind => "uniswap-v3";

    public Address Address { get; }

    public Token Token0 { get; }

    public Token Token1 { get; }

    public int FeePips { get; }

    public int TickSpacing => _book.TickSpacing;

    public TickBook Book => _book;

    public BigInteger SqrtPriceX96 => _state.SqrtPriceX96;

    public int Tick => _state.Tick;

    public BigInteger Liquidity => _state.Liquidity;

    public BigInteger Balance0 => _state.Balance0;

    public BigInteger Balance1 => _state.Balance1;

    public static UniswapV3Pool FromSnapshot(UniswapV3PoolSnapshot s, Token t0, Token t1)
    {
        ArgumentNullException.ThrowIfNull(s);
        PoolChecks.RequireTokens(s, t0, t1);
        return new UniswapV3Pool(s.Address, t0, t1, s.Fee, s.TickSpacing, s.SqrtPriceX96, s.Tick, s.Liquidity, s.Ticks, s.TickBookLower, s.TickBookUpper);
    }

    public SwapResult Quote(in SwapRequest request) => Run(request).Result;

    public SwapResult Swap(in SwapRequest request)
    {
        var (result, state) = Run(request);
        _state = state;
        _checkpoints[0].Clear();
        _checkpoints[1].Clear();
        return result;
    }

    public IAmmPool Clone() => new UniswapV3Pool(this);

    public SwapAmounts QuoteExactInput(bool zeroForOne, BigInteger amountIn)
    {
        var request = new SwapRequest(zeroForOne, amountIn, ExactInput: true);
        if (Walk(request, out var walk) is { } empty)
        {
            return new SwapAmounts(BigInteger.Zero, BigInteger.Zero, empty, 0);
        }

        var (paid, received, stop) = Amounts(request, walk);
        return new SwapAmounts(paid, received, stop, walk.TicksCrossed);
    }

    private (SwapResult Result, V3State State) Run(in SwapRequest request)
    {
        var s = _state;
        if (Walk(request, out var walk) is { } empty)
        {
            return (Empty(s, empty), s); // the contract reverts ("AS", "SPL"): nothing trades
        }

        var (amountIn, amountOut, stop) = Amounts(request, walk);
        var zeroForOne = request.ZeroForOne;
        var balanceIn = (zeroForOne ? s.Balance0 : s.Balance1) + amountIn;
        var balanceOut = (zeroForOne ? s.Balance1 : s.Balance0) - amountOut;
        var after = new V3State(
            (BigInteger)walk.SqrtPriceX96,
            walk.Tick,
            (BigInteger)walk.Liquidity,
            zeroForOne ? balanceIn : balanceOut,
            zeroForOne ? balanceOut : balanceIn);
        var result = new SwapResult(amountIn, amountOut, stop, after.SqrtPriceX96, after.Tick, after.Liquidity, walk.TicksCrossed)
        {
            EdgeSqrtPriceX96 = walk.DryEdge is { } edge ? (BigInteger)edge.SqrtPriceX96 : null,
            EdgeTick = walk.DryEdge?.Tick,
        };
        return (result, after);
    }

    // Checks the order as the contract does and sets up the loop; returns how an order that trades nothing stops
    // (amount 0: the contract reverts "AS"; a limit at or behind the price: "SPL"), or null with the walk ready.
    private SwapStop? Walk(in SwapRequest request, out V3SwapWalk walk)
    {
        walk = null!;
        if (request.Amount.Sign < 0 || request.Amount >= Int256Limit)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Amount, "swap amount must be in [0, 2^255)");
        }

        var s = _state;
        var zeroForOne = request.ZeroForOne;
        var userLimit = request.SqrtPriceLimitX96.HasValue;
        var limit = request.SqrtPriceLimitX96 ?? (zeroForOne ? TickMath.MinSqrtRatio + 1 : TickMath.MaxSqrtRatio - 1);
        if (zeroForOne ? limit <= TickMath.MinSqrtRatio : limit >= TickMath.MaxSqrtRatio)
        {
            throw new ArgumentOutOfRangeException(nameof(request), limit, "SPL: price limit outside (MIN_SQRT_RATIO, MAX_SQRT_RATIO)");
        }

        if (request.Amount.IsZero)
        {
            return SwapStop.Filled;
        }

        if (zeroForOne ? limit >= s.SqrtPriceX96 : limit <= s.SqrtPriceX96)
        {
            return userLimit ? SwapStop.PriceLimit : SwapStop.OutOfLiquidity;
        }

        walk = new V3SwapWalk(_book, FeePips, zeroForOne, request.ExactInput, U256.From(limit), s);
        return null;
    }

    // Runs the loop (resuming exact-input walks without a user limit at a checkpoint) and checks the pool can pay.
    private (BigInteger AmountIn, BigInteger AmountOut, SwapStop Stop) Amounts(in SwapRequest request, V3SwapWalk walk)
    {
        var zeroForOne = request.ZeroForOne;
        var userLimit = request.SqrtPriceLimitX96.HasValue;
        var amount = U256.From(request.Amount);
        var checkpoints = _checkpoints[zeroForOne ? 0 : 1];
        var (amountInWord, amountOutWord, stop) = request.ExactInput && !userLimit
            ? walk.Run(amount, userLimit, LastCheckpointWithin(checkpoints, amount), checkpoints)
            : walk.Run(amount, userLimit);
        var amountOut = (BigInteger)amountOutWord;
        var balanceOut = zeroForOne ? _state.Balance1 : _state.Balance0;
        if (amountOut > balanceOut)
        {
            throw new InvalidOperationException($"pool {Address} would pay out {amountOut} but holds {balanceOut}: tick book inconsistent with liquidity");
        }

        return ((BigInteger)amountInWord, amountOut, stop);
    }

    // The last checkpoint that paid in at most the amount (they are recorded in increasing order).
    private static V3SwapWalk.Checkpoint? LastCheckpointWithin(List<V3SwapWalk.Checkpoint> checkpoints, U256 amount)
    {
        var (lo, hi) = (0, checkpoints.Count - 1);
        V3SwapWalk.Checkpoint? found = null;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (checkpoints[mid].Consumed <= amount)
            {
                found = checkpoints[mid];
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private static SwapResult Empty(V3State s, SwapStop stop) =>
        new(BigInteger.Zero, BigInteger.Zero, stop, s.SqrtPriceX96, s.Tick, s.Liquidity, 0);
}
