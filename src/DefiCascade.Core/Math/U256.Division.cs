using System.Numerics;

namespace DefiCascade.Core.Math;

/// <summary>Products to 512 bits and long division (Knuth's algorithm D on 64-bit limbs).</summary>
public readonly partial struct U256
{
    /// <summary>The full 512-bit product a * b as its low and high 256-bit halves.</summary>
    public static void Multiply(U256 a, U256 b, out U256 low, out U256 high)
    {
        if (a.Fits128 && b.Fits128)
        {
            // The common case (amounts, liquidity, Q64.96 prices): one 128 x 128-bit product.
            var upper = UInt128.BigMul(new UInt128(a._u1, a._u0), new UInt128(b._u1, b._u0), out var lower);
            low = unchecked(new U256((ulong)lower, (ulong)(lower >> 64), (ulong)upper, (ulong)(upper >> 64)));
            high = Zero;
            return;
        }

        Span<ulong> x = [a._u0, a._u1, a._u2, a._u3];
        Span<ulong> y = [b._u0, b._u1, b._u2, b._u3];
        Span<ulong> p = stackalloc ulong[8];
        p.Clear();
        var xn = Length(x);
        var yn = Length(y);
        unchecked
        {
            for (var i = 0; i < xn; i++)
            {
                ulong carry = 0;
                for (var j = 0; j < yn; j++)
                {
                    var hi = System.Math.BigMul(x[i], y[j], out var lo);
                    var sum = lo + p[i + j];
                    hi += sum < lo ? 1UL : 0;
                    var total = sum + carry;
                    hi += total < sum ? 1UL : 0;
                    p[i + j] = total;
                    carry = hi;
                }

                p[i + yn] = carry;
            }
        }

        low = new U256(p[0], p[1], p[2], p[3]);
        high = new U256(p[4], p[5], p[6], p[7]);
    }

    /// <summary>Quotient and remainder of a / b; throws <see cref="DivideByZeroException"/> for b = 0.</summary>
    public static U256 DivRem(U256 a, U256 b, out U256 remainder)
    {
        if (b.IsZero)
        {
            throw new DivideByZeroException("uint256 division by zero");
        }

        if (a < b)
        {
            remainder = a;
            return Zero;
        }

        if ((b._u1 | b._u2 | b._u3) == 0)
        {
            var quotient = ShortDivide(a, b._u0, out var rest);
            remainder = rest;
            return quotient;
        }

        Span<ulong> n = [a._u0, a._u1, a._u2, a._u3];
        Span<ulong> q = stackalloc ulong[4];
        Span<ulong> r = stackalloc ulong[4];
        Divide(n, [b._u0, b._u1, b._u2, b._u3], q, r);
        remainder = new U256(r[0], r[1], r[2], r[3]);
        return new U256(q[0], q[1], q[2], q[3]);
    }

    /// <summary>
    /// floor(a * b / denominator) over the full 512-bit product (FullMath.mulDiv), and whether the division left
    /// a remainder. Throws <see cref="DivideByZeroException"/> for a zero denominator and
    /// <see cref="OverflowException"/> when the quotient does not fit 256 bits.
    /// </summary>
    public static U256 MulDiv(U256 a, U256 b, U256 denominator, out bool inexact)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("mulDiv by zero");
        }

        Multiply(a, b, out var low, out var high);
        if (IsPowerOfTwo(denominator))
        {
            // Q96 and the like: the quotient is the product shifted right; it fits when high < 2^shift.
            var shift = denominator.BitLength - 1;
            if (high.BitLength > shift)
            {
                throw new OverflowException("mulDiv result overflows uint256");
            }

            inexact = shift > 0 && low.TrailingZeroCount < shift;
            return shift == 0 ? low : Or(low >> shift, ShiftLeftUnchecked(high, 256 - shift));
        }

        if (high.IsZero)
        {
            var quotient = DivRem(low, denominator, out var rest);
            inexact = !rest.IsZero;
            return quotient;
        }

        if (high >= denominator)
        {
            throw new OverflowException("mulDiv result overflows uint256");
        }

        Span<ulong> n = [low._u0, low._u1, low._u2, low._u3, high._u0, high._u1, high._u2, high._u3];
        Span<ulong> q = stackalloc ulong[8];
        Span<ulong> r = stackalloc ulong[4];
        Divide(n, [denominator._u0, denominator._u1, denominator._u2, denominator._u3], q, r);
        inexact = (r[0] | r[1] | r[2] | r[3]) != 0;
        return new U256(q[0], q[1], q[2], q[3]);
    }

    /// <summary>The named rounding of a * b / denominator (see <see cref="MulDiv(U256, U256, U256, out bool)"/>).</summary>
    public static U256 MulDiv(U256 a, U256 b, U256 denominator, Rounding rounding)
    {
        if (rounding == Rounding.HalfUp)
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), "U256.MulDiv rounds down or up");
        }

        var quotient = MulDiv(a, b, denominator, out var inexact);
        return rounding == Rounding.Up && inexact ? quotient + One : quotient;
    }

    /// <summary>Floor of the square root (Newton's method from above).</summary>
    public static U256 Sqrt(U256 value)
    {
        if (value.Fits128 && value._u1 == 0)
        {
            var root = (ulong)System.Math.Sqrt(value._u0);
            // the double may be one off either way near 2^64: settle exactly.
            while (root > 0 && (UInt128)root * root > value._u0)
            {
                root--;
            }

            while ((UInt128)(root + 1) * (root + 1) <= value._u0)
            {
                root++;
            }

            return root;
        }

        var x = One << ((value.BitLength + 1) / 2);
        while (true)
        {
            var y = (x + (value / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }

    // a / divisor for a one-limb divisor, limb by limb from the top (a hardware 128 / 64 division each).
    private static U256 ShortDivide(U256 a, ulong divisor, out ulong remainder)
    {
        ulong q3 = 0, q2 = 0, q1 = 0, rest = 0;
        if (a._u3 != 0)
        {
            q3 = DivRem128By64(rest, a._u3, divisor, out rest);
        }

        if ((a._u2 | rest) != 0)
        {
            q2 = DivRem128By64(rest, a._u2, divisor, out rest);
        }

        if ((a._u1 | rest) != 0)
        {
            q1 = DivRem128By64(rest, a._u1, divisor, out rest);
        }

        var q0 = DivRem128By64(rest, a._u0, divisor, out rest);
        remainder = rest;
        return new U256(q0, q1, q2, q3);
    }

    private static bool IsPowerOfTwo(U256 value) =>
        BitOperations.PopCount(value._u0) + BitOperations.PopCount(value._u1) + BitOperations.PopCount(value._u2) + BitOperations.PopCount(value._u3) == 1;

    // Trailing zero bits (256 for zero).
    private int TrailingZeroCount =>
        _u0 != 0 ? BitOperations.TrailingZeroCount(_u0)
        : _u1 != 0 ? 64 + BitOperations.TrailingZeroCount(_u1)
        : _u2 != 0 ? 128 + BitOperations.TrailingZeroCount(_u2)
        : _u3 != 0 ? 192 + BitOperations.TrailingZeroCount(_u3)
        : 256;

    private static U256 Or(U256 a, U256 b) => new(a._u0 | b._u0, a._u1 | b._u1, a._u2 | b._u2, a._u3 | b._u3);

    private static int Length(ReadOnlySpan<ulong> limbs)
    {
        var n = limbs.Length;
        while (n > 0 && limbs[n - 1] == 0)
        {
            n--;
        }

        return n;
    }

    // Knuth, TAOCP vol. 2, 4.3.1, algorithm D: q = u / v, r = u % v; v has at least one non-zero limb.
    // q must have room for u's limbs, r for v's.
    private static void Divide(ReadOnlySpan<ulong> u, ReadOnlySpan<ulong> v, Span<ulong> q, Span<ulong> r)
    {
        q.Clear();
        r.Clear();
        var m = Length(u);
        var n = Length(v);
        unchecked
        {
            if (n == 1)
            {
                ulong rest = 0;
                for (var j = m - 1; j >= 0; j--)
                {
                    q[j] = DivRem128By64(rest, u[j], v[0], out rest);
                }

                r[0] = rest;
                return;
            }

            if (m < n)
            {
                u[..m].CopyTo(r);
                return;
            }

            // D1: normalize so the divisor's top limb has its high bit set.
            var s = BitOperations.LeadingZeroCount(v[n - 1]);
            Span<ulong> vn = stackalloc ulong[n];
            for (var i = n - 1; i > 0; i--)
            {
                vn[i] = (v[i] << s) | (s == 0 ? 0 : v[i - 1] >> (64 - s));
            }

            vn[0] = v[0] << s;
            Span<ulong> un = stackalloc ulong[m + 1];
            un[m] = s == 0 ? 0 : u[m - 1] >> (64 - s);
            for (var i = m - 1; i > 0; i--)
            {
                un[i] = (u[i] << s) | (s == 0 ? 0 : u[i - 1] >> (64 - s));
            }

            un[0] = u[0] << s;

            var top = vn[n - 1];
            var next = vn[n - 2];
            for (var j = m - n; j >= 0; j--)
            {
                // D3: estimate q from the top two limbs (un[j + n] <= top), then correct it (at most twice).
                ulong qd, rhat;
                var rhatOverflow = false;
                if (un[j + n] >= top)
                {
                    // the two-limb quotient would be 2^64 or more: start at 2^64 - 1, rhat = numerator - (2^64 - 1) * top.
                    qd = ulong.MaxValue;
                    rhat = un[j + n - 1] + top;
                    rhatOverflow = rhat < top;
                }
                else
                {
                    qd = DivRem128By64(un[j + n], un[j + n - 1], top, out rhat);
                }

                while (!rhatOverflow)
                {
                    var productHigh = System.Math.BigMul(qd, next, out var productLow);
                    if (productHigh < rhat || (productHigh == rhat && productLow <= un[j + n - 2]))
                    {
                        break;
                    }

                    qd--;
                    rhat += top;
                    rhatOverflow = rhat < top;
                }

                // D4: multiply and subtract.
                ulong carry = 0, borrow = 0;
                for (var i = 0; i < n; i++)
                {
                    var productHigh = System.Math.BigMul(qd, vn[i], out var productLow);
                    productLow += carry;
                    productHigh += productLow < carry ? 1UL : 0;
                    carry = productHigh;
                    var (difference, w) = SubBorrow(un[i + j], productLow, borrow);
                    un[i + j] = difference;
                    borrow = w;
                }

                var (last, lastBorrow) = SubBorrow(un[j + n], carry, borrow);
                un[j + n] = last;

                // D6: the estimate was one too large: add the divisor back.
                if (lastBorrow != 0)
                {
                    qd--;
                    ulong c = 0;
                    for (var i = 0; i < n; i++)
                    {
                        (un[i + j], c) = AddCarry(un[i + j], vn[i], c);
                    }

                    un[j + n] += c;
                }

                q[j] = qd;
            }

            // D8: the remainder, unnormalized.
            for (var i = 0; i < n; i++)
            {
                r[i] = (un[i] >> s) | (s == 0 ? 0 : un[i + 1] << (64 - s));
            }
        }
    }

    // (high:low) / divisor with high < divisor, so the quotient fits 64 bits (the runtime divides a 128-bit value
    // by a 64-bit one in hardware; measured faster than a divlu on 32-bit halves).
    private static ulong DivRem128By64(ulong high, ulong low, ulong divisor, out ulong remainder)
    {
        var (quotient, rest) = UInt128.DivRem(new UInt128(high, low), divisor);
        remainder = (ulong)rest;
        return (ulong)quotient;
    }
}
