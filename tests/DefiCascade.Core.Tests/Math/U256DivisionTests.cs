using System.Numerics;
using DefiCascade.Core.Math;
using Xunit.Abstractions;
using static DefiCascade.Core.Tests.Math.U256Samples;

namespace DefiCascade.Core.Tests.Math;

/// <summary>
/// U256 long division (Knuth's algorithm D) and mulDiv held to BigInteger, with operands built to reach
/// every branch: short division, each divisor length, normalization shifts, the qhat corrections and the
/// add-back step (checked against a BigInteger model of the algorithm, <see cref="Trace"/>).
/// </summary>
public class U256DivisionTests(ITestOutputHelper output)
{
    private const int Rounds = 6_000;

    [Fact]
    public void DivRem_matches_BigInteger_for_every_divisor_length()
    {
        var random = Seeded(output, 11);
        var longDivisions = new int[5]; // by divisor limbs, counting only divisions that leave the 128-bit path
        for (var i = 0; i < Rounds; i++)
        {
            var d = random.Next(4) == 0 ? Draw(random) : Divisor(random);
            var x = random.Next(3) switch { 0 => Draw(random), _ => NearMultiple(random, BigInteger.Max(d, 1)) };
            CheckDivision(x, d);
            if (!d.IsZero && x >= d && (x >> 128 != 0 || d >> 128 != 0))
            {
                longDivisions[(d.GetBitLength() + 63) / 64]++;
            }
        }

        output.WriteLine($"long divisions by 1..4 limbs: {string.Join(", ", longDivisions.Skip(1))}");
        Assert.All(longDivisions.Skip(1), n => Assert.InRange(n, 200, Rounds));
    }

    [Fact]
    public void Division_by_zero_throws_DivideByZeroException()
    {
        foreach (var x in new[] { U256.Zero, U256.One, U256.MaxValue })
        {
            Assert.Throws<DivideByZeroException>(() => x / U256.Zero);
            Assert.Throws<DivideByZeroException>(() => x % U256.Zero);
            Assert.Throws<DivideByZeroException>(() => U256.DivRem(x, U256.Zero, out _));
            Assert.Throws<DivideByZeroException>(() => U256.MulDiv(x, U256.MaxValue, U256.Zero, out _));
            Assert.Throws<DivideByZeroException>(() => U256.MulDiv(x, x, U256.Zero, Rounding.Up));
            Assert.Throws<DivideByZeroException>(() => U256.MulDiv(x, x, U256.Zero, Rounding.Down));
        }
    }

    /// <summary>Hacker's Delight's divmnu test vectors, digits widened to 64-bit limbs (little-endian).</summary>
    public static readonly ulong[][][] KnuthVectors =
    [
        [[3], [2]], [[3], [4]], [[0], [ulong.MaxValue]], [[ulong.MaxValue], [3]],
        [[ulong.MaxValue, ulong.MaxValue], [ulong.MaxValue]], [[ulong.MaxValue, ulong.MaxValue - 1], [ulong.MaxValue]],
        [[0x5678, 0x1234], [0x9abc]], [[0, 7], [0, 3]], [[5, 7], [0, 3]], [[0, 6], [0, 2]],
        [[High], [0x4000_0000_0000_0001]], [[0, High], [0x4000_0000_0000_0001]], [[0, High], [1, 0x4000_0000_0000_0000]],
        [[0x789b, 0xbcde], [0x789a, 0xbcde]], [[ulong.MaxValue, ulong.MaxValue], [0, 1]],
        [[0x89ab, 0x4567, 0x123], [0, 1]],
        [[0, ulong.MaxValue - 1, High], [ulong.MaxValue, High]], // the multiply-subtract result is not signed
        [[3, 0, High], [1, 0, High >> 2]], // add back
        [[3, 0, 0x8000_0000], [1, 0, 0x2000_0000]], // add back after a 34-bit normalization shift
        [[0, 0, High, High - 1], [1, 0, High]], // add back
        [[0, ulong.MaxValue - 1, 0, High], [ulong.MaxValue, 0, High]], // qhat = b + 1
        [[0, ulong.MaxValue - 1, 0, High], [0xffff, 0, High]],
        [[0, 0, 0, High], [1, 0, 0, High >> 1]], [[0, 0, 0, High - 1], [ulong.MaxValue, 0, High >> 1]],
        [[ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue], [1, 0, High]],
        [[ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue], [ulong.MaxValue, 0, 0, 1]],
        [[0, 0, 0, ulong.MaxValue], [ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, High - 1]],
    ];

    [Fact]
    public void Knuth_vectors_divide_exactly_and_reach_the_add_back_and_qhat_corrections()
    {
        var traces = new List<(bool AddBack, bool QhatTooWide, int Corrections)>();
        foreach (var vector in KnuthVectors)
        {
            var (x, d) = (FromLimbs(vector[0]), FromLimbs(vector[1]));
            CheckDivision(x, d);
            // the same digits one and two limbs up, as the 512-bit mulDiv numerator x * 2^64k sees them.
            for (var k = 1; k <= 2 && x.GetBitLength() + 64 * k <= 256; k++)
            {
                CheckDivision(x << (64 * k), d);
                CheckMulDiv(x, BigInteger.One << (64 * k), d);
            }

            traces.Add(Trace(x, d));
        }

        Assert.Contains(traces, t => t.AddBack);
        Assert.Contains(traces, t => t.QhatTooWide);
        Assert.Contains(traces, t => t.Corrections >= 2);
        Assert.True(Trace(FromLimbs(3, 0, High), FromLimbs(1, 0, High >> 2)).AddBack); // the model itself can tell
    }

    [Fact]
    public void Division_that_needs_the_add_back_step_matches_BigInteger()
    {
        // x = c*d - e with d's second limb zero: the top two limbs estimate c, the low limbs make it c - 1.
        var random = Seeded(output, 12);
        var (addBacks, mulDivAddBacks) = (0, 0);
        for (var i = 0; i < Rounds; i++)
        {
            var limbs = random.Next(3, 5);
            var top = random.Next(2) == 0 ? High | NextULong(random) : (ulong)random.Next(1, 1 << 20);
            var low = Enumerable.Range(0, limbs).Select(k => k == limbs - 1 ? top : k == limbs - 2 ? (ulong)random.Next(4) : Limb(random)).ToArray();
            var d = FromLimbs(low);
            var c = BigInteger.Max(1, WithBitLength(random, random.Next(1, 257 - (int)d.GetBitLength())));
            var x = BigInteger.Clamp(c * d - random.Next(1, 1 << 16), 0, Max);
            CheckDivision(x, d);
            addBacks += Trace(x, d).AddBack ? 1 : 0;
            // the same numerator shifted into the high half of a 512-bit product.
            var k = random.Next(1, 4);
            var product = x << (64 * k);
            if (product >> 256 < d)
            {
                CheckMulDiv(x, BigInteger.One << (64 * k), d);
                mulDivAddBacks += Trace(product, d).AddBack ? 1 : 0;
            }
        }

        output.WriteLine($"add-back in {addBacks} divisions and {mulDivAddBacks} mulDivs of {Rounds}");
        Assert.InRange(addBacks, Rounds / 10, Rounds);
        Assert.InRange(mulDivAddBacks, Rounds / 10, Rounds);
    }

    [Fact]
    public void MulDiv_matches_BigInteger_over_512_bit_products()
    {
        var random = Seeded(output, 13);
        var (overflows, wide, inexact) = (0, 0, 0);
        for (var i = 0; i < Rounds; i++)
        {
            var (a, b) = (Draw(random), Draw(random));
            var high = a * b >> 256;
            // denominators at, just around, below and above the product's high half (where the quotient stops fitting).
            var d = random.Next(5) switch
            {
                0 => Divisor(random),
                1 => Draw(random),
                2 => BigInteger.Clamp(high + random.Next(-2, 3), 0, Max),
                3 => WithBitLength(random, random.Next((int)high.GetBitLength(), 257)),
                _ => NearMultiple(random, BigInteger.Max(high, 1)),
            };
            var outcome = CheckMulDiv(a, b, d);
            overflows += outcome == MulDivOutcome.Overflow ? 1 : 0;
            wide += high.IsZero || outcome == MulDivOutcome.Overflow ? 0 : 1;
            inexact += outcome == MulDivOutcome.Inexact ? 1 : 0;
        }

        output.WriteLine($"{overflows} overflows, {wide} quotients of 512-bit products, {inexact} inexact of {Rounds}");
        Assert.All(new[] { overflows, wide, inexact }, n => Assert.InRange(n, Rounds / 10, Rounds));
    }

    [Fact]
    public void MulDiv_by_a_power_of_two_matches_BigInteger()
    {
        // the shift path (Q96 in the V3 math): every exponent, products of every size, exact and inexact quotients.
        var random = Seeded(output, 17);
        var (overflows, inexact, exact) = (0, 0, 0);
        for (var i = 0; i < Rounds; i++)
        {
            var shift = i < 256 ? i : random.Next(256);
            var (a, b) = (Draw(random), Draw(random));
            if (random.Next(4) == 0)
            {
                // a multiple of the power: the quotient is exact.
                a = (a >> shift) << shift;
            }

            var outcome = CheckMulDiv(a, b, BigInteger.One << shift);
            overflows += outcome == MulDivOutcome.Overflow ? 1 : 0;
            inexact += outcome == MulDivOutcome.Inexact ? 1 : 0;
            exact += outcome == MulDivOutcome.Exact ? 1 : 0;
        }

        output.WriteLine($"{overflows} overflows, {inexact} inexact, {exact} exact of {Rounds}");
        Assert.All(new[] { overflows, inexact, exact }, n => Assert.InRange(n, Rounds / 20, Rounds));
    }

    [Fact]
    public void MulDiv_rounding_up_overflows_only_past_the_largest_quotient()
    {
        var random = Seeded(output, 14);
        var found = 0;
        for (var i = 0; i < 200; i++)
        {
            // (Max - t)(d + 1) = Max*d + (Max mod (d + 1)): the floor is Max with a remainder when that is in (0, d).
            var d = Divisor(random);
            var (a, b) = (Max - Max / (d + 1), d + 1);
            if (b > Max || BigInteger.DivRem(a * b, d, out var rest) != Max || rest.IsZero)
            {
                continue;
            }

            found++;
            Assert.Equal(Max, (BigInteger)U256.MulDiv(U256.From(a), U256.From(b), U256.From(d), Rounding.Down));
            Assert.Throws<OverflowException>(() => U256.MulDiv(U256.From(a), U256.From(b), U256.From(d), Rounding.Up));
        }

        output.WriteLine($"{found} of 200 denominators give a floor of 2^256 - 1 with a remainder");
        Assert.InRange(found, 20, 200);
        Assert.Equal(U256.MaxValue, U256.MulDiv(U256.MaxValue, U256.MaxValue, U256.MaxValue, Rounding.Up));
        Assert.Throws<OverflowException>(() => U256.MulDiv(U256.MaxValue, U256.MaxValue, U256.MaxValue - U256.One, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => U256.MulDiv(7, 3, 2, Rounding.HalfUp));
        Assert.Equal((U256)11UL, U256.MulDiv(7, 3, 2, Rounding.Up));
        Assert.Equal((U256)10UL, U256.MulDiv(7, 3, 2, Rounding.Down));
    }

    private static void CheckDivision(BigInteger x, BigInteger d)
    {
        var (a, b) = (U256.From(x), U256.From(d));
        if (d.IsZero)
        {
            Assert.Throws<DivideByZeroException>(() => U256.DivRem(a, b, out _));
            return;
        }

        var q = BigInteger.DivRem(x, d, out var r);
        var quotient = U256.DivRem(a, b, out var remainder);
        if ((BigInteger)quotient != q || (BigInteger)remainder != r)
        {
            Assert.Fail($"DivRem({x}, {d}) = ({quotient}, {remainder}), expected ({q}, {r})");
        }

        Assert.Equal(quotient, a / b);
        Assert.Equal(remainder, a % b);
    }

    private enum MulDivOutcome { Exact, Inexact, Overflow, DivideByZero }

    private static MulDivOutcome CheckMulDiv(BigInteger x, BigInteger y, BigInteger d)
    {
        var (a, b, denominator) = (U256.From(x), U256.From(y), U256.From(d));
        if (d.IsZero)
        {
            Assert.Throws<DivideByZeroException>(() => U256.MulDiv(a, b, denominator, out _));
            return MulDivOutcome.DivideByZero;
        }

        var floor = BigInteger.DivRem(x * y, d, out var rest);
        var ceiling = rest.IsZero ? floor : floor + 1;
        if (floor > Max)
        {
            Assert.Throws<OverflowException>(() => U256.MulDiv(a, b, denominator, out _));
            Assert.Throws<OverflowException>(() => U256.MulDiv(a, b, denominator, Rounding.Down));
            Assert.Throws<OverflowException>(() => U256.MulDiv(a, b, denominator, Rounding.Up));
            return MulDivOutcome.Overflow;
        }

        var quotient = U256.MulDiv(a, b, denominator, out var inexact);
        if ((BigInteger)quotient != floor || inexact == rest.IsZero)
        {
            Assert.Fail($"MulDiv({x}, {y}, {d}) = ({quotient}, {inexact}), expected ({floor}, {!rest.IsZero})");
        }

        Assert.Equal(quotient, U256.MulDiv(a, b, denominator, Rounding.Down));
        if (ceiling > Max)
        {
            Assert.Throws<OverflowException>(() => U256.MulDiv(a, b, denominator, Rounding.Up));
        }
        else
        {
            Assert.Equal(ceiling, (BigInteger)U256.MulDiv(a, b, denominator, Rounding.Up));
        }

        return inexact ? MulDivOutcome.Inexact : MulDivOutcome.Exact;
    }

    /// <summary>
    /// Algorithm D on 64-bit limbs, in BigInteger, reporting what U256's Divide will meet on (u, v): whether a qhat
    /// started at the base or above, how many times step D3 lowered it, and whether step D6 added the divisor back.
    /// </summary>
    private static (bool AddBack, bool QhatTooWide, int Corrections) Trace(BigInteger u, BigInteger v)
    {
        var (n, m) = ((int)((v.GetBitLength() + 63) / 64), (int)((u.GetBitLength() + 63) / 64));
        if (n < 2 || m < n)
        {
            return default;
        }

        var shift = 64 * n - (int)v.GetBitLength();
        var (vn, rest) = (v << shift, u << shift);
        var (top, next) = (vn >> (64 * (n - 1)), (vn >> (64 * (n - 2))) & (Base - 1));
        var (addBack, wide, corrections) = (false, false, 0);
        for (var j = m - n; j >= 0; j--)
        {
            var window = rest >> (64 * j);
            var qhat = BigInteger.DivRem(window >> (64 * (n - 1)), top, out var rhat);
            var below = (window >> (64 * (n - 2))) & (Base - 1);
            wide |= qhat >= Base;
            while (qhat >= Base || qhat * next > rhat * Base + below)
            {
                (qhat, rhat, corrections) = (qhat - 1, rhat + top, corrections + 1);
                if (rhat >= Base)
                {
                    break;
                }
            }

            if (qhat * vn > window)
            {
                (qhat, addBack) = (qhat - 1, true);
            }

            rest -= qhat * vn << (64 * j);
        }

        return (addBack, wide, corrections);
    }
}
