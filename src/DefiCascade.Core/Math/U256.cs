using System.Numerics;

namespace DefiCascade.Core.Math;

/// <summary>
/// An unsigned 256-bit contract integer as four 64-bit limbs (little-endian), for exact math in hot loops
/// without BigInteger's allocations. Arithmetic is checked: a sum, difference, product or shift that
/// leaves [0, 2^256) throws <see cref="OverflowException"/>, never wraps (a wrapping uint256 is a bug in
/// an accounting engine). Full 512-bit products divide exactly (<see cref="MulDiv"/>). Tests hold every
/// operation to BigInteger over edge and random values (U256Tests).
/// </summary>
public readonly partial struct U256 : IEquatable<U256>, IComparable<U256>
{
    private readonly ulong _u0, _u1, _u2, _u3;

    public U256(ulong u0, ulong u1, ulong u2, ulong u3)
    {
        (_u0, _u1, _u2, _u3) = (u0, u1, u2, u3);
    }

    public static U256 Zero => default;

    public static U256 One => new(1, 0, 0, 0);

    public static U256 MaxValue => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public bool IsZero => (_u0 | _u1 | _u2 | _u3) == 0;

    /// <summary>Fits 128 bits (the upper two limbs are zero).</summary>
    public bool Fits128 => (_u2 | _u3) == 0;

    public ulong Limb(int k) => k switch
    {
        0 => _u0,
        1 => _u1,
        2 => _u2,
        3 => _u3,
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    /// <summary>Bits needed to write the value (0 for zero).</summary>
    public int BitLength =>
        _u3 != 0 ? 256 - BitOperations.LeadingZeroCount(_u3)
        : _u2 != 0 ? 192 - BitOperations.LeadingZeroCount(_u2)
        : _u1 != 0 ? 128 - BitOperations.LeadingZeroCount(_u1)
        : 64 - BitOperations.LeadingZeroCount(_u0);

    public static implicit operator U256(ulong value) => new(value, 0, 0, 0);

    public static implicit operator U256(UInt128 value) => new((ulong)(value & ulong.MaxValue), (ulong)(value >> 64), 0, 0);

    /// <summary>The low 128 bits; throws when the value does not fit.</summary>
    public static explicit operator UInt128(U256 value) =>
        value.Fits128 ? new UInt128(value._u1, value._u0) : throw new OverflowException($"{value} does not fit 128 bits");

    public static explicit operator BigInteger(U256 value)
    {
        if (value.Fits128)
        {
            return value._u1 == 0 ? new BigInteger(value._u0) : (BigInteger)new UInt128(value._u1, value._u0);
        }

        Span<byte> bytes = stackalloc byte[33];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, value._u0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], value._u1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], value._u2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], value._u3);
        bytes[32] = 0;
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>The value of a BigInteger in [0, 2^256); throws <see cref="OverflowException"/> outside it.</summary>
    public static U256 From(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new OverflowException($"{value} is not a uint256");
        }

        // Most contract amounts fit one or two limbs: the runtime's own conversions, no byte copy. The width is
        // read off the value (comparing with UInt128.MaxValue would build that BigInteger, an allocation, per call).
        var bits = value.GetBitLength();
        if (bits <= 64)
        {
            return (ulong)value;
        }

        if (bits <= 128)
        {
            return (UInt128)value;
        }

        if (bits > 256)
        {
            throw new OverflowException($"{value} is not a uint256");
        }

        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        if (!value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new OverflowException($"{value} is not a uint256");
        }

        return new U256(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
    }

    /// <summary>The nearest double (for estimates only; exact math never reads it).</summary>
    public double ToDouble()
    {
        var shift = BitLength - 64;
        if (shift <= 0)
        {
            return _u0;
        }

        // Round once: the top 64 bits, with any dropped bit folded into the lowest (sticky) bit, then one
        // ulong -> double conversion. Summing rounded limbs rounds twice and can miss the nearest by an ulp.
        var top = (this >> shift)._u0;
        var dropped = this != ((this >> shift) << shift);
        return System.Math.ScaleB(top | (dropped ? 1UL : 0), shift);
    }

    public static U256 operator +(U256 a, U256 b)
    {
        var sum = Add(a, b, out var carry);
        return carry ? throw new OverflowException("uint256 addition overflows") : sum;
    }

    public static U256 operator -(U256 a, U256 b)
    {
        var difference = Subtract(a, b, out var borrow);
        return borrow ? throw new OverflowException("uint256 subtraction underflows") : difference;
    }

    public static U256 operator *(U256 a, U256 b)
    {
        Multiply(a, b, out var low, out var high);
        return high.IsZero ? low : throw new OverflowException("uint256 multiplication overflows");
    }

    public static U256 operator /(U256 a, U256 b) => DivRem(a, b, out _);

    public static U256 operator %(U256 a, U256 b)
    {
        DivRem(a, b, out var remainder);
        return remainder;
    }

    /// <summary>Shift left; throws when a set bit would leave 256 bits.</summary>
    public static U256 operator <<(U256 a, int shift)
    {
        if (shift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shift));
        }

        if (shift == 0 || a.IsZero)
        {
            return a;
        }

        if (shift > 256 - a.BitLength)
        {
            throw new OverflowException($"uint256 shift left by {shift} overflows");
        }

        return ShiftLeftUnchecked(a, shift);
    }

    public static U256 operator >>(U256 a, int shift)
    {
        if (shift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shift));
        }

        if (shift >= 256)
        {
            return Zero;
        }

        unchecked
        {
            var words = shift >> 6;
            var bits = shift & 63;
            Span<ulong> limbs = [a._u0, a._u1, a._u2, a._u3];
            Span<ulong> result = stackalloc ulong[4];
            for (var k = 0; k < 4 - words; k++)
            {
                var lo = limbs[k + words] >> bits;
                var hi = bits != 0 && k + words + 1 < 4 ? limbs[k + words + 1] << (64 - bits) : 0;
                result[k] = lo | hi;
            }

            return new U256(result[0], result[1], result[2], result[3]);
        }
    }

    public static bool operator ==(U256 a, U256 b) => a.Equals(b);

    public static bool operator !=(U256 a, U256 b) => !a.Equals(b);

    public static bool operator <(U256 a, U256 b) => a.CompareTo(b) < 0;

    public static bool operator >(U256 a, U256 b) => a.CompareTo(b) > 0;

    public static bool operator <=(U256 a, U256 b) => a.CompareTo(b) <= 0;

    public static bool operator >=(U256 a, U256 b) => a.CompareTo(b) >= 0;

    public bool Equals(U256 other) => _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2 && _u3 == other._u3;

    public override bool Equals(object? obj) => obj is U256 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2, _u3);

    public int CompareTo(U256 other) =>
        _u3 != other._u3 ? _u3.CompareTo(other._u3)
        : _u2 != other._u2 ? _u2.CompareTo(other._u2)
        : _u1 != other._u1 ? _u1.CompareTo(other._u1)
        : _u0.CompareTo(other._u0);

    public static U256 Min(U256 a, U256 b) => a <= b ? a : b;

    public static U256 Max(U256 a, U256 b) => a >= b ? a : b;

    public override string ToString() => ((BigInteger)this).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>a + b modulo 2^256, with the carry out.</summary>
    public static U256 Add(U256 a, U256 b, out bool carry)
    {
        unchecked
        {
            var s0 = a._u0 + b._u0;
            var c = s0 < a._u0 ? 1UL : 0;
            var (s1, c1) = AddCarry(a._u1, b._u1, c);
            var (s2, c2) = AddCarry(a._u2, b._u2, c1);
            var (s3, c3) = AddCarry(a._u3, b._u3, c2);
            carry = c3 != 0;
            return new U256(s0, s1, s2, s3);
        }
    }

    /// <summary>a - b modulo 2^256, with the borrow out.</summary>
    public static U256 Subtract(U256 a, U256 b, out bool borrow)
    {
        unchecked
        {
            var d0 = a._u0 - b._u0;
            var w = a._u0 < b._u0 ? 1UL : 0;
            var (d1, w1) = SubBorrow(a._u1, b._u1, w);
            var (d2, w2) = SubBorrow(a._u2, b._u2, w1);
            var (d3, w3) = SubBorrow(a._u3, b._u3, w2);
            borrow = w3 != 0;
            return new U256(d0, d1, d2, d3);
        }
    }

    private static (ulong Sum, ulong Carry) AddCarry(ulong a, ulong b, ulong carry)
    {
        unchecked
        {
            var s = a + b;
            var c = s < a ? 1UL : 0;
            var t = s + carry;
            return (t, c | (t < s ? 1UL : 0));
        }
    }

    private static (ulong Difference, ulong Borrow) SubBorrow(ulong a, ulong b, ulong borrow)
    {
        unchecked
        {
            var d = a - b;
            var w = a < b ? 1UL : 0;
            var t = d - borrow;
            return (t, w | (d < borrow ? 1UL : 0));
        }
    }

    private static U256 ShiftLeftUnchecked(U256 a, int shift)
    {
        unchecked
        {
            var words = shift >> 6;
            var bits = shift & 63;
            Span<ulong> limbs = [a._u0, a._u1, a._u2, a._u3];
            Span<ulong> result = stackalloc ulong[4];
            for (var k = 3; k >= words; k--)
            {
                var hi = limbs[k - words] << bits;
                var lo = bits != 0 && k - words - 1 >= 0 ? limbs[k - words - 1] >> (64 - bits) : 0;
                result[k] = hi | lo;
            }

            return new U256(result[0], result[1], result[2], result[3]);
        }
    }
}
