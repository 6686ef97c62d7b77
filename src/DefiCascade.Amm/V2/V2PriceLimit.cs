using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Amm.V2;

/// <summary>
/// A sqrt-price limit applied to a V2 pair. The post-swap price is floor(sqrt(r1 * 2^192 / r0)); it must
/// stay at or above the limit when selling token0 and at or below it when selling token1. Allowed prices
/// are tested exactly with integers; the largest allowed input is found from a closed-form estimate and
/// a short exact search (the allowed set of inputs is an interval starting at 0 because the price is
/// monotone in the input).
/// </summary>
internal readonly struct V2PriceLimit
{
    private readonly bool _zeroForOne;
    private readonly BigInteger _limit;

    public V2PriceLimit(bool zeroForOne, BigInteger? limit)
    {
        _zeroForOne = zeroForOne;
        IsSet = limit.HasValue;
        _limit = limit ?? BigInteger.Zero;
        if (IsSet && _limit.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "a sqrt price limit must be positive");
        }
    }

    public bool IsSet { get; }

    /// <summary>True when the price of reserves (rIn, rOut) is strictly on the allowed side of the limit, or at it.</summary>
    public bool Allows(BigInteger reserveIn, BigInteger reserveOut)
    {
        if (_zeroForOne)
        {
            // floor(sqrt(r1 * 2^192 / r0)) >= L  <=>  r1 * 2^192 >= L^2 * r0
            return (reserveOut << 192) >= _limit * _limit * reserveIn;
        }

        // floor(sqrt(r1 * 2^192 / r0)) <= L  <=>  r1 * 2^192 < (L+1)^2 * r0
        var next = _limit + 1;
        return (reserveIn << 192) < next * next * reserveOut;
    }

    /// <summary>The largest input in [0, upper) whose post-swap price the limit allows (upper itself is not allowed).</summary>
    public BigInteger LargestInput(BigInteger reserveIn, BigInteger reserveOut, BigInteger upper)
    {
        var estimate = BigInteger.Min(Estimate(reserveIn, reserveOut), upper - 1);
        BigInteger lo;
        BigInteger hi;
        if (AllowsInput(estimate, reserveIn, reserveOut))
        {
            lo = estimate;
            hi = Gallop(lo, upper, +1, reserveIn, reserveOut);
        }
        else
        {
            hi = estimate;
            lo = Gallop(hi, BigInteger.Zero, -1, reserveIn, reserveOut);
        }

        // invariant: lo allowed, hi not allowed
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >> 1;
            if (AllowsInput(mid, reserveIn, reserveOut))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private bool AllowsInput(BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut)
    {
        if (amountIn.IsZero)
        {
            return true;
        }

        var amountOut = UniswapV2Pool.GetAmountOut(amountIn, reserveIn, reserveOut);
        return Allows(reserveIn + amountIn, reserveOut - amountOut);
    }

    // Steps away from start by 1, 2, 4, ... toward bound until the predicate flips; returns the first flipped
    // point (or bound, whose status is known: upper is not allowed, 0 is allowed).
    private BigInteger Gallop(BigInteger start, BigInteger bound, int direction, BigInteger reserveIn, BigInteger reserveOut)
    {
        var step = BigInteger.One;
        var wantAllowed = direction < 0;
        while (true)
        {
            var probe = start + (direction * step);
            if (direction > 0 ? probe >= bound : probe <= bound)
            {
                return bound;
            }

            if (AllowsInput(probe, reserveIn, reserveOut) == wantAllowed)
            {
                return probe;
            }

            step <<= 1;
        }
    }

    // Continuous model with the 0.3% fee: price after input x is rIn*rOut / ((rIn + 0.997x)(rIn + x)) in
    // out-per-in units; solve 997x^2 + 1997 rIn x + 1000 (rIn^2 - rIn rOut / q) = 0 for the target q.
    private BigInteger Estimate(BigInteger reserveIn, BigInteger reserveOut)
    {
        // q = qNum / qDen is the target out-per-in ratio: L^2 / 2^192 selling token0, 2^192 / L^2 selling token1.
        var limitSquared = _limit * _limit;
        var (qNum, qDen) = _zeroForOne ? (limitSquared, BigInteger.One << 192) : (BigInteger.One << 192, limitSquared);
        var c = (1000 * reserveIn * reserveIn) - (1000 * reserveIn * reserveOut * qDen / qNum);
        if (c.Sign >= 0)
        {
            return BigInteger.Zero;
        }

        var b = 1997 * reserveIn;
        var discriminant = (b * b) - (4 * 997 * c);
        var root = UInt256.Sqrt(discriminant);
        var x = (root - b) / (2 * 997);
        return x.Sign > 0 ? x : BigInteger.Zero;
    }
}
