using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Core.Tests.Math;

public class UInt256Tests
{
    [Theory]
    [InlineData(7, 3, 2, Rounding.Down, 10)] // 21 / 2 = 10.5
    [InlineData(7, 3, 2, Rounding.Up, 11)]
    [InlineData(7, 3, 2, Rounding.HalfUp, 11)] // exactly half rounds away from zero
    [InlineData(9, 1, 4, Rounding.Down, 2)] // 2.25
    [InlineData(9, 1, 4, Rounding.Up, 3)]
    [InlineData(9, 1, 4, Rounding.HalfUp, 2)]
    [InlineData(11, 1, 4, Rounding.HalfUp, 3)] // 2.75
    [InlineData(6, 2, 4, Rounding.Up, 3)] // exact: no rounding in any mode
    [InlineData(0, 5, 3, Rounding.Up, 0)]
    public void MulDiv_rounds_as_named(long a, long b, long d, Rounding rounding, long expected) =>
        Assert.Equal(new BigInteger(expected), UInt256.MulDiv(a, b, d, rounding));

    [Fact]
    public void MulDiv_keeps_the_full_512_bit_product()
    {
        Assert.Equal(UInt256.Max, UInt256.MulDiv(UInt256.Max, UInt256.Max, UInt256.Max, Rounding.Down));
        // 3 * (2^256 - 1) / 4 = 3 * 2^254 - 0.75: the product needs 258 bits, the quotient fits.
        var threeQuarters = 3 * (BigInteger.One << 254);
        Assert.Equal(threeQuarters - 1, UInt256.MulDiv(UInt256.Max, 3, 4, Rounding.Down));
        Assert.Equal(threeQuarters, UInt256.MulDiv(UInt256.Max, 3, 4, Rounding.Up));
        Assert.Equal(threeQuarters - 1, UInt256.MulDiv(UInt256.Max, 3, 4, Rounding.HalfUp)); // .25 below half
        Assert.Equal(UInt256.Max - 1, UInt256.MulDiv(UInt256.Max, UInt256.Max - 1, UInt256.Max, Rounding.Up));
    }

    [Fact]
    public void Results_and_operands_past_uint256_throw()
    {
        Assert.Throws<OverflowException>(() => UInt256.MulDiv(UInt256.Max, 2, 1, Rounding.Down));
        Assert.Throws<OverflowException>(() => UInt256.MulDiv(UInt256.Max, UInt256.Max, UInt256.Max - 1, Rounding.Down));
        Assert.Throws<OverflowException>(() => UInt256.MulDiv(UInt256.Max + 1, 1, 1, Rounding.Down));
        Assert.Throws<OverflowException>(() => UInt256.MulDiv(-1, 1, 1, Rounding.Down));
        Assert.Throws<OverflowException>(() => UInt256.Check(UInt256.Modulus));
        Assert.Throws<DivideByZeroException>(() => UInt256.MulDiv(1, 1, 0, Rounding.Up));
        Assert.Equal(UInt256.Max, UInt256.Check(UInt256.Max));
    }

    [Fact]
    public void Sqrt_is_the_floor()
    {
        Assert.Equal(new BigInteger(3), UInt256.Sqrt(15));
        Assert.Equal(new BigInteger(4), UInt256.Sqrt(16));
        Assert.Equal(BigInteger.One << 128, UInt256.Sqrt(UInt256.Modulus));
        Assert.Equal((BigInteger.One << 128) - 1, UInt256.Sqrt(UInt256.Max));
    }

    [Fact]
    public void Sqrt_is_the_floor_at_every_size()
    {
        // r^2 <= x < (r + 1)^2 over bit lengths 1..1100, on random values and on squares and their neighbours.
        var random = new Random(77);
        for (var k = 0; k < 3_000; k++)
        {
            var bits = 1 + random.Next(1100);
            var bytes = new byte[(bits / 8) + 2];
            random.NextBytes(bytes);
            bytes[^1] = 0;
            var x = new BigInteger(bytes) & ((BigInteger.One << bits) - 1);
            var candidates = k % 3 == 0 ? new[] { x * x - 1, x * x, x * x + 1 } : [x];
            foreach (var value in candidates.Where(v => v.Sign >= 0))
            {
                var r = UInt256.Sqrt(value);
                Assert.True(r * r <= value && (r + 1) * (r + 1) > value, $"sqrt({value}) = {r}");
            }
        }
    }
}
