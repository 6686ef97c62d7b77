using System.Numerics;
using DefiCascade.Core.Math;
using Xunit.Abstractions;

namespace DefiCascade.Core.Tests.Math;

/// <summary>
/// Every U256 operation held to BigInteger over seeded draws that stress limb boundaries (see
/// <see cref="U256Samples"/>). The seed is printed so a failure can be replayed.
/// </summary>
public class U256Tests(ITestOutputHelper output)
{
    private const int Rounds = 4_000;
    private static readonly BigInteger Max = U256Samples.Max;

    [Fact]
    public void Limbs_round_trip_through_BigInteger()
    {
        var random = U256Samples.Seeded(output, 1);
        for (var i = 0; i < Rounds; i++)
        {
            var limbs = new ulong[4];
            for (var k = 0; k < 4; k++)
            {
                limbs[k] = U256Samples.Limb(random);
            }

            var value = new U256(limbs[0], limbs[1], limbs[2], limbs[3]);
            var expected = limbs[0] + ((BigInteger)limbs[1] << 64) + ((BigInteger)limbs[2] << 128) + ((BigInteger)limbs[3] << 192);
            Assert.Equal(expected, (BigInteger)value);
            Assert.Equal(value, U256.From(expected));
            Assert.Equal(expected.ToString(), value.ToString());
            Assert.Equal((int)expected.GetBitLength(), value.BitLength);
            Assert.Equal(expected < BigInteger.One << 128, value.Fits128);
            Assert.Equal(expected.IsZero, value.IsZero);
            for (var k = 0; k < 4; k++)
            {
                Assert.Equal(limbs[k], value.Limb(k));
            }

            if (expected < BigInteger.One << 128)
            {
                var narrow = (UInt128)value;
                Assert.Equal(expected, (BigInteger)narrow);
                Assert.Equal(value, (U256)narrow);
            }
            else
            {
                Assert.Throws<OverflowException>(() => (UInt128)value);
            }

            Assert.Equal((BigInteger)limbs[0], (BigInteger)(U256)limbs[0]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => U256.One.Limb(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => U256.One.Limb(-1));
    }

    [Fact]
    public void From_accepts_exactly_zero_to_two_to_the_256_minus_one()
    {
        Assert.Equal(U256.MaxValue, U256.From(Max));
        Assert.Equal(U256.Zero, U256.From(BigInteger.Zero));
        Assert.Equal(Max, (BigInteger)U256.MaxValue);
        Assert.All(new[] { BigInteger.MinusOne, -Max, Max + 1, Max + 2, BigInteger.One << 300, -(BigInteger.One << 256) }, outside => Assert.Throws<OverflowException>(() => U256.From(outside)));

        // Each side of the one-limb and two-limb conversions.
        Assert.All(new[] { (BigInteger)ulong.MaxValue, (BigInteger)ulong.MaxValue + 1, (BigInteger)UInt128.MaxValue, (BigInteger)UInt128.MaxValue + 1, (BigInteger.One << 255) - 1 }, edge => Assert.Equal(edge, (BigInteger)U256.From(edge)));

        Assert.Equal((BigInteger)UInt128.MaxValue, (BigInteger)(U256)UInt128.MaxValue);
        Assert.Equal(UInt128.MaxValue, (UInt128)(U256)UInt128.MaxValue);
        Assert.Throws<OverflowException>(() => (UInt128)U256.From(BigInteger.One << 128));
    }

    [Fact]
    public void Comparisons_equality_hash_min_max_match_BigInteger()
    {
        var random = U256Samples.Seeded(output, 2);
        for (var i = 0; i < Rounds; i++)
        {
            var x = U256Samples.Draw(random);
            // a near neighbour half the time, so equal and adjacent pairs are common.
            var y = random.Next(2) == 0 ? U256Samples.Draw(random) : BigInteger.Clamp(x + random.Next(-1, 2), 0, Max);
            var (a, b) = (U256.From(x), U256.From(y));
            Assert.Equal(x.CompareTo(y), a.CompareTo(b));
            Assert.Equal(x == y, a == b);
            Assert.Equal(x != y, a != b);
            Assert.Equal(x < y, a < b);
            Assert.Equal(x > y, a > b);
            Assert.Equal(x <= y, a <= b);
            Assert.Equal(x >= y, a >= b);
            Assert.Equal(x == y, a.Equals(b));
            Assert.Equal(x == y, a.Equals((object)b));
            Assert.False(a.Equals((object)(BigInteger)a));
            Assert.Equal(BigInteger.Min(x, y), (BigInteger)U256.Min(a, b));
            Assert.Equal(BigInteger.Max(x, y), (BigInteger)U256.Max(a, b));
            Assert.Equal(a.GetHashCode(), U256.From(x).GetHashCode());
        }

        // one limb replaced by a random one: every limb must reach the hash. (Structured limbs can collide:
        // ulong hashes fold their halves, so 0 and 2^64 - 1, or 2^k and 2^(k+32), hash alike in any limb.)
        var collisions = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var value = U256.From(U256Samples.Draw(random));
            var limbs = Enumerable.Range(0, 4).Select(value.Limb).ToArray();
            limbs[random.Next(4)] = U256Samples.NextULong(random);
            var other = new U256(limbs[0], limbs[1], limbs[2], limbs[3]);
            collisions += other != value && other.GetHashCode() == value.GetHashCode() ? 1 : 0;
        }

        Assert.InRange(collisions, 0, 2);
    }

    [Fact]
    public void Add_subtract_multiply_match_BigInteger_and_throw_outside_uint256()
    {
        var random = U256Samples.Seeded(output, 3);
        var (addOverflows, subUnderflows, mulOverflows) = (0, 0, 0);
        for (var i = 0; i < Rounds; i++)
        {
            var (x, y) = (U256Samples.Draw(random), U256Samples.Draw(random));
            var (a, b) = (U256.From(x), U256.From(y));
            if (x + y > Max)
            {
                addOverflows++;
                Assert.Throws<OverflowException>(() => a + b);
            }
            else
            {
                Assert.Equal(x + y, (BigInteger)(a + b));
            }

            if (x < y)
            {
                subUnderflows++;
                Assert.Throws<OverflowException>(() => a - b);
            }
            else
            {
                Assert.Equal(x - y, (BigInteger)(a - b));
            }

            U256.Multiply(a, b, out var low, out var high);
            Assert.Equal(x * y, (BigInteger)low + ((BigInteger)high << 256));
            if (x * y > Max)
            {
                mulOverflows++;
                Assert.Throws<OverflowException>(() => a * b);
            }
            else
            {
                Assert.Equal(x * y, (BigInteger)(a * b));
            }
        }

        output.WriteLine($"overflows: add {addOverflows}, subtract {subUnderflows}, multiply {mulOverflows} of {Rounds}");
        Assert.All(new[] { addOverflows, subUnderflows, mulOverflows }, n => Assert.InRange(n, Rounds / 20, Rounds - Rounds / 20));
        Assert.Throws<OverflowException>(() => U256.MaxValue + U256.One);
        Assert.Throws<OverflowException>(() => U256.Zero - U256.One);
        Assert.Throws<OverflowException>(() => U256.From(BigInteger.One << 128) * U256.From(BigInteger.One << 128));
        Assert.Equal(Max, (BigInteger)(U256.From((BigInteger.One << 128) + 1) * U256.From((BigInteger.One << 128) - 1)));
    }

    [Fact]
    public void Wrapping_add_and_subtract_report_carry_and_borrow()
    {
        var random = U256Samples.Seeded(output, 4);
        var modulus = BigInteger.One << 256;
        var carries = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var (x, y) = (U256Samples.Draw(random), U256Samples.Draw(random));
            var sum = U256.Add(U256.From(x), U256.From(y), out var carry);
            Assert.Equal((x + y) % modulus, (BigInteger)sum);
            Assert.Equal(x + y >= modulus, carry);
            var difference = U256.Subtract(U256.From(x), U256.From(y), out var borrow);
            Assert.Equal(((x - y) % modulus + modulus) % modulus, (BigInteger)difference);
            Assert.Equal(x < y, borrow);
            carries += carry ? 1 : 0;
        }

        Assert.InRange(carries, Rounds / 20, Rounds - Rounds / 20);
        // a carry rippling through all four limbs, and a borrow through all four.
        Assert.Equal(U256.Zero, U256.Add(U256.MaxValue, U256.One, out var c));
        Assert.True(c);
        Assert.Equal(U256.MaxValue, U256.Subtract(U256.Zero, U256.One, out var w));
        Assert.True(w);
        Assert.Equal(BigInteger.One << 192, (BigInteger)U256.Add(new U256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, 0), U256.One, out c));
        Assert.False(c);
    }

    [Fact]
    public void Shifts_match_BigInteger_at_limb_boundaries()
    {
        var random = U256Samples.Seeded(output, 5);
        int[] fixedShifts = [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256, 257, 1000];
        for (var i = 0; i < Rounds / 4; i++)
        {
            var x = U256Samples.Draw(random);
            var a = U256.From(x);
            foreach (var shift in fixedShifts.Append(random.Next(0, 257)))
            {
                Assert.Equal(x >> shift, (BigInteger)(a >> shift));
                if (!x.IsZero && x << shift > Max)
                {
                    Assert.Throws<OverflowException>(() => a << shift);
                }
                else
                {
                    Assert.Equal(x << shift, (BigInteger)(a << shift));
                }
            }
        }

        Assert.Equal(BigInteger.One << 255, (BigInteger)(U256.One << 255));
        Assert.Throws<OverflowException>(() => U256.One << 256);
        Assert.Throws<OverflowException>(() => U256.MaxValue << 1);
        Assert.Throws<OverflowException>(() => U256.One << int.MaxValue);
        Assert.Equal(U256.Zero, U256.MaxValue >> 256);
        Assert.Equal(U256.Zero, U256.MaxValue >> int.MaxValue);
        Assert.Equal(U256.One, U256.MaxValue >> 255);
        Assert.Throws<ArgumentOutOfRangeException>(() => U256.One >> -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => U256.One << -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => U256.Zero << -1);
    }

    [Fact]
    public void Sqrt_is_the_floor_root()
    {
        var random = U256Samples.Seeded(output, 6);
        var values = new List<BigInteger>();
        for (var i = 0; i < Rounds; i++)
        {
            values.Add(U256Samples.Draw(random));
        }

        // perfect squares, and one below and above them, around 2^32, 2^64, 2^96, 2^128 - 1 and at random.
        BigInteger[] roots = [1, 2, 3, (1UL << 32) - 1, 1UL << 32, (1UL << 32) + 1, ulong.MaxValue, BigInteger.One << 64,
            BigInteger.One << 96, (BigInteger.One << 127) + 12345, (BigInteger.One << 128) - 2, (BigInteger.One << 128) - 1];
        foreach (var root in roots.Concat(Enumerable.Range(0, 500).Select(_ => U256Samples.WithBitLength(random, random.Next(1, 129)))))
        {
            values.AddRange([root * root - 1, root * root, root * root + 1]);
        }

        values.AddRange([0, Max, Max - 1, BigInteger.One << 255, (BigInteger.One << 64) - 1, BigInteger.One << 64, (BigInteger.One << 64) + 1]);
        foreach (var x in values.Where(v => v >= 0 && v <= Max))
        {
            var r = (BigInteger)U256.Sqrt(U256.From(x));
            Assert.True(r * r <= x && x < (r + 1) * (r + 1), $"Sqrt({x}) = {r}");
        }
    }

    [Fact]
    public void ToDouble_is_the_nearest_double()
    {
        var random = U256Samples.Seeded(output, 7);
        for (var i = 0; i < Rounds; i++)
        {
            var x = U256Samples.Draw(random);
            Assert.Equal(NearestDouble(x), U256.From(x).ToDouble());
        }

        // 2^117 + 2^64 + 1 is just above the midpoint between two doubles: rounding the limbs one at a time
        // lands on the lower one. Ties go to the even mantissa, 2^256 - 1 rounds up to 2^256.
        var one = BigInteger.One;
        BigInteger[] hard = [(one << 117) + (one << 64) + 1, (one << 117) + (one << 64), (one << 117) + (3 * one << 64), Max, (one << 64) - 1];
        Assert.Equal([System.Math.ScaleB(1, 117) + System.Math.ScaleB(1, 65), System.Math.ScaleB(1, 117),
            System.Math.ScaleB(1, 117) + System.Math.ScaleB(1, 66), System.Math.ScaleB(1, 256), System.Math.ScaleB(1, 64)],
            hard.Select(x => U256.From(x).ToDouble()));
    }

    /// <summary>The double nearest x, ties to even, computed exactly.</summary>
    private static double NearestDouble(BigInteger x)
    {
        var bits = (int)x.GetBitLength();
        if (bits <= 53)
        {
            return (double)(ulong)x;
        }

        var shift = bits - 53;
        var mantissa = x >> shift;
        var rest = x - (mantissa << shift);
        var half = BigInteger.One << (shift - 1);
        if (rest > half || (rest == half && !mantissa.IsEven))
        {
            mantissa++;
        }

        return System.Math.ScaleB((double)(ulong)mantissa, shift);
    }
}

/// <summary>Seeded operands that stress limb boundaries and long division.</summary>
internal static class U256Samples
{
    public const ulong High = 0x8000_0000_0000_0000;
    public static readonly BigInteger Max = (BigInteger.One << 256) - 1;
    public static readonly BigInteger Base = BigInteger.One << 64;

    public static Random Seeded(ITestOutputHelper output, int test)
    {
        var seed = 256_000 + test;
        output.WriteLine($"seed {seed}");
        return new Random(seed);
    }

    public static ulong NextULong(Random random) => unchecked((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));

    /// <summary>A limb: zero, all ones, a single bit, a power of two minus one, the top bit, or random.</summary>
    public static ulong Limb(Random random) => random.Next(9) switch
    {
        0 => 0,
        1 => ulong.MaxValue,
        2 => 1UL << random.Next(64),
        3 => (1UL << random.Next(64)) - 1,
        4 => High,
        5 => High - 1,
        6 => 1,
        _ => NextULong(random),
    };

    public static BigInteger FromLimbs(params ulong[] limbs) =>
        limbs.Select((limb, k) => (BigInteger)limb << (64 * k)).Aggregate(BigInteger.Zero, (s, v) => s + v);

    /// <summary>A random value of exactly the given bit length.</summary>
    public static BigInteger WithBitLength(Random random, int bits)
    {
        if (bits == 0)
        {
            return BigInteger.Zero;
        }

        var bytes = new byte[33];
        random.NextBytes(bytes.AsSpan(0, 32));
        var top = BigInteger.One << (bits - 1);
        return (new BigInteger(bytes, isUnsigned: true) & (top - 1)) | top;
    }

    /// <summary>A value in [0, 2^256) from a mix weighted toward limb boundaries.</summary>
    public static BigInteger Draw(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
            case 1:
                return WithBitLength(random, random.Next(257)); // uniform on bit length, not on value
            case 2:
                var count = random.Next(1, 5);
                return FromLimbs(Enumerable.Range(0, count).Select(_ => Limb(random)).ToArray());
            case 3:
                int[] edges = [64, 128, 192, 256, random.Next(257)];
                var edge = BigInteger.One << edges[random.Next(edges.Length)];
                return BigInteger.Clamp(edge + random.Next(-3, 4), 0, Max);
            case 4:
                var sparse = BigInteger.Zero;
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    sparse |= BigInteger.One << random.Next(256);
                }

                return sparse;
            default:
                return BigInteger.Clamp((BigInteger.One << random.Next(257)) - random.Next(0, 2), 0, Max);
        }
    }

    /// <summary>
    /// A non-zero divisor of 1 to 4 limbs whose top limb is small (large normalization shift), has the high
    /// bit set (no shift), or is a limb pattern.
    /// </summary>
    public static BigInteger Divisor(Random random)
    {
        var limbs = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Limb(random)).ToArray();
        limbs[^1] = random.Next(3) switch
        {
            0 => (ulong)random.Next(1, 256),
            1 => High | NextULong(random),
            _ => System.Math.Max(1, limbs[^1]),
        };
        return FromLimbs(limbs);
    }

    /// <summary>A numerator next to a multiple of d: q*d, q*d - 1, q*d + d - 1 or q*d + a random remainder.</summary>
    public static BigInteger NearMultiple(Random random, BigInteger d)
    {
        var most = (Max - d + 1) / d;
        var q = most.IsZero ? BigInteger.Zero : BigInteger.Min(most, WithBitLength(random, random.Next(1, (int)most.GetBitLength() + 1)));
        var offset = random.Next(4) switch
        {
            0 => BigInteger.Zero,
            1 => BigInteger.MinusOne,
            2 => d - 1,
            _ => BigInteger.Remainder(Draw(random), d),
        };
        return BigInteger.Clamp(q * d + offset, 0, Max);
    }
}
