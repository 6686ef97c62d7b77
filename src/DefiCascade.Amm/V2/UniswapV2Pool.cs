using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Amm.V2;

/// <summary>
/// Uniswap V2 pair with the router's quoting (UniswapV2Library.getAmountOut / getAmountIn, 0.3% fee).
/// Reserves settle on both sides after every swap.
/// </summary>
public sealed class UniswapV2Pool : IAmmPool
{
    /// <summary>The pair stores reserves as uint112 and reverts ("UniswapV2: OVERFLOW") above it.</summary>
    public static readonly BigInteger Uint112Max = (BigInteger.One << 112) - 1;

    private BigInteger _reserve0;
    private BigInteger _reserve1;
    private BigInteger _sqrtPriceX96;

    public UniswapV2Pool(Address address, Token token0, Token token1, BigInteger reserve0, BigInteger reserve1)
    {
        ArgumentNullException.ThrowIfNull(token0);
        ArgumentNullException.ThrowIfNull(token1);
        if (reserve0.Sign < 0 || reserve1.Sign < 0 || reserve0 > Uint112Max || reserve1 > Uint112Max)
        {
            throw new ArgumentOutOfRangeException(nameof(reserve0), $"V2 reserves must be uint112: {reserve0}, {reserve1}");
        }

        Address = address;
        Token0 = token0;
        Token1 = token1;
        SetReserves(reserve0, reserve1);
    }

    public string Kind => "uniswap-v2";

    public Address Address { get; }

    public Token Token0 { get; }

    public Token Token1 { get; }

    public int FeePips => 3000;

    public BigInteger SqrtPriceX96 => _sqrtPriceX96;

    public BigInteger Balance0 => _reserve0;

    public BigInteger Balance1 => _reserve1;

    public BigInteger Reserve0 => _reserve0;

    public BigInteger Reserve1 => _reserve1;

    public static UniswapV2Pool FromSnapshot(UniswapV2PoolSnapshot s, Token t0, Token t1)
    {
        ArgumentNullException.ThrowIfNull(s);
        PoolChecks.RequireTokens(s, t0, t1);
        return new UniswapV2Pool(s.Address, t0, t1, s.Reserve0, s.Reserve1);
    }

    /// <summary>UniswapV2Library.getAmountOut: in*997*Rout / (Rin*1000 + in*997), rounded down.</summary>
    public static BigInteger GetAmountOut(BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut)
    {
        if (amountIn.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amountIn), "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT");
        }

        RequireLiquidity(reserveIn, reserveOut);
        var amountInWithFee = amountIn * 997;
        return amountInWithFee * reserveOut / (reserveIn * 1000 + amountInWithFee);
    }

    /// <summary>UniswapV2Library.getAmountIn: Rin*out*1000 / ((Rout-out)*997) + 1 (the +1 always, not a ceiling).</summary>
    public static BigInteger GetAmountIn(BigInteger amountOut, BigInteger reserveIn, BigInteger reserveOut)
    {
        if (amountOut.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amountOut), "UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT");
        }

        RequireLiquidity(reserveIn, reserveOut);
        if (amountOut >= reserveOut)
        {
            // SafeMath.sub reverts below zero; equal reserves divide by zero.
            throw new ArgumentOutOfRangeException(nameof(amountOut), "UniswapV2Library: output must be below the reserve");
        }

        return reserveIn * amountOut * 1000 / ((reserveOut - amountOut) * 997) + 1;
    }

    public SwapResult Quote(in SwapRequest request) => Compute(request).Result;

    public SwapResult Swap(in SwapRequest request)
    {
        var (result, r0, r1) = Compute(request);
        SetReserves(r0, r1);
        return result;
    }

    public SwapAmounts QuoteExactInput(bool zeroForOne, BigInteger amountIn)
    {
        var (paid, received, stop) = Trade(new SwapRequest(zeroForOne, amountIn, ExactInput: true));
        return new SwapAmounts(paid, received, stop, 0);
    }

    public IAmmPool Clone() => new UniswapV2Pool(Address, Token0, Token1, _reserve0, _reserve1);

    private static void RequireLiquidity(BigInteger reserveIn, BigInteger reserveOut)
    {
        if (reserveIn.Sign <= 0 || reserveOut.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(reserveIn), "UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        }
    }

    private void SetReserves(BigInteger reserve0, BigInteger reserve1)
    {
        _reserve0 = reserve0;
        _reserve1 = reserve1;
        _sqrtPriceX96 = reserve0.IsZero ? BigInteger.Zero : PoolPricing.SqrtPriceX96FromRatio(reserve1, reserve0);
    }

    private (SwapResult Result, BigInteger Reserve0, BigInteger Reserve1) Compute(in SwapRequest request)
    {
        var (amountIn, amountOut, stop) = Trade(request);
        if (amountOut.IsZero)
        {
            return (Empty(stop), _reserve0, _reserve1);
        }

        var zeroForOne = request.ZeroForOne;
        var newIn = (zeroForOne ? _reserve0 : _reserve1) + amountIn;
        var newOut = (zeroForOne ? _reserve1 : _reserve0) - amountOut;
        var (r0, r1) = zeroForOne ? (newIn, newOut) : (newOut, newIn);
        var sqrtAfter = PoolPricing.SqrtPriceX96FromRatio(r1, r0);
        var result = new SwapResult(amountIn, amountOut, stop, sqrtAfter, TickMath.GetTickAtSqrtRatioClamped(sqrtAfter), BigInteger.Zero, 0);
        return (result, r0, r1);
    }

    // The trade's amounts and stop (zero amounts: nothing trades, as the pair reverts or the order is empty).
    private (BigInteger AmountIn, BigInteger AmountOut, SwapStop Stop) Trade(in SwapRequest request)
    {
        if (request.Amount.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "swap amount must not be negative");
        }

        var zeroForOne = request.ZeroForOne;
        var reserveIn = zeroForOne ? _reserve0 : _reserve1;
        var reserveOut = zeroForOne ? _reserve1 : _reserve0;
        if (reserveIn.IsZero || reserveOut.IsZero)
        {
            return (BigInteger.Zero, BigInteger.Zero, SwapStop.OutOfLiquidity);
        }

        if (request.Amount.IsZero)
        {
            return (BigInteger.Zero, BigInteger.Zero, SwapStop.Filled);
        }

        var limit = new V2PriceLimit(zeroForOne, request.SqrtPriceLimitX96);
        if (limit.IsSet && !limit.Allows(reserveIn, reserveOut))
        {
            // limit on the wrong side of (or at) the current price: nothing can trade (the V3 pool would revert SPL).
            return (BigInteger.Zero, BigInteger.Zero, SwapStop.PriceLimit);
        }

        BigInteger amountIn;
        var stop = SwapStop.Filled;
        if (request.ExactInput)
        {
            amountIn = request.Amount;
        }
        else if (request.Amount >= reserveOut)
        {
            if (reserveOut.IsOne)
            {
                return (BigInteger.Zero, BigInteger.Zero, SwapStop.OutOfLiquidity);
            }


            // never pay out the whole reserve: the largest feasible trade takes all but one unit.
            amountIn = GetAmountIn(reserveOut - 1, reserveIn, reserveOut);
            stop = SwapStop.OutOfLiquidity;
        }
        else
        {
            amountIn = GetAmountIn(request.Amount, reserveIn, reserveOut);
        }

        // the pair reverts when a balance leaves uint112: cap the input at the pool's capacity.
        if (reserveIn + amountIn > Uint112Max)
        {
            amountIn = Uint112Max - reserveIn;
            stop = SwapStop.OutOfLiquidity;
        }

        if (limit.IsSet && amountIn.Sign > 0 && !limit.Allows(reserveIn + amountIn, reserveOut - GetAmountOut(amountIn, reserveIn, reserveOut)))
        {
            amountIn = limit.LargestInput(reserveIn, reserveOut, amountIn);
            stop = SwapStop.PriceLimit;
        }

        var amountOut = amountIn.Sign > 0 ? GetAmountOut(amountIn, reserveIn, reserveOut) : BigInteger.Zero;
        if (amountOut.IsZero)
        {
            // the pair reverts with INSUFFICIENT_OUTPUT_AMOUNT: dust input trades nothing.
            return (BigInteger.Zero, BigInteger.Zero, stop);
        }

        if (!request.ExactInput && stop == SwapStop.Filled)
        {
            // swapTokensForExactTokens asks the pair for exactly the requested output; getAmountIn's +1
            // may have paid for a little more, which stays in the pool.
            amountOut = request.Amount;
        }

        return (amountIn, amountOut, stop);
    }

    private SwapResult Empty(SwapStop stop) =>
        new(BigInteger.Zero, BigInteger.Zero, stop, _sqrtPriceX96, _sqrtPriceX96.IsZero ? 0 : TickMath.GetTickAtSqrtRatioClamped(_sqrtPriceX96), BigInteger.Zero, 0);
}
