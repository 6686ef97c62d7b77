using System.Numerics;
using DefiCascade.Core.Math;
using Xunit.Abstractions;

namespace DefiCascade.Core.Tests.Math;

/// <summary>
/// Seeded random comparison against the Solidity formulas written directly on BigInteger, with
/// edge values near 2^256 mixed in. The seed is printed so a failure can be replayed.
/// </summary>
public class ReferenceMathTests(ITestOutputHelper output)
{
    private const int Seed = 4242;
    private const int Rounds = 5_000;

    [Fact]
    public void WadMul_matches_reference() => Compare(WadRayMath.WadMul, WadRayMath.Wad);

    [Fact]
    public void RayMul_matches_reference() => Compare(WadRayMath.RayMul, WadRayMath.Ray);

    [Fact]
    public void RayMul_on_words_matches_reference() => Compare((a, b) => (BigInteger)WadRayMath.RayMul(U256.From(a), U256.From(b)), WadRayMath.Ray);

    [Fact]
    public void PercentMul_matches_reference() => Compare(PercentageMath.PercentMul, PercentageMath.PercentageFactor);

    [Fact]
    public void WadDiv_matches_reference() => CompareDivision(WadRayMath.WadDiv, WadRayMath.Wad);

    [Fact]
    public void RayDiv_matches_reference() => CompareDivision(WadRayMath.RayDiv, WadRayMath.Ray);

    [Fact]
    public void PercentDiv_matches_reference() => CompareDivision(PercentageMath.PercentDiv, PercentageMath.PercentageFactor);

    [Fact]
    public void MulDiv_matches_reference()
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        for (var i = 0; i < Rounds; i++)
        {
            var (a, b, d) = (Draw(random), Draw(random), Draw(random));
            if (d.IsZero)
            {
                continue;
            }

            var exact = BigInteger.DivRem(a * b, d, out var rem);
            var up = rem.IsZero ? exact : exact + 1;
            if (up > UInt256.Max)
            {
                Assert.Throws<OverflowException>(() => UInt256.MulDiv(a, b, d, Rounding.Up));
            }
            else
            {
                Assert.Equal(up, UInt256.MulDiv(a, b, d, Rounding.Up));
            }

            if (exact <= UInt256.Max)
            {
                Assert.Equal(exact, UInt256.MulDiv(a, b, d, Rounding.Down));
            }
        }
    }

    private void Compare(Func<BigInteger, BigInteger, BigInteger> actual, BigInteger unit)
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        var half = unit / 2;
        var overflows = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var (a, b) = (Draw(random), Draw(random));
            // Solidity: require(b == 0 || a <= (MAX - HALF) / b); return (a * b + HALF) / UNIT.
            if (a * b + half > UInt256.Max)
            {
                overflows++;
                Assert.Throws<OverflowException>(() => actual(a, b));
                continue;
            }

            Assert.Equal((a * b + half) / unit, actual(a, b));
        }

        output.WriteLine($"{overflows} of {Rounds} draws overflowed");
        Assert.InRange(overflows, 1, Rounds - 1);
    }

    private void CompareDivision(Func<BigInteger, BigInteger, BigInteger> actual, BigInteger unit)
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed + 1);
        var (overflows, zeros) = (0, 0);
        for (var i = 0; i < Rounds; i++)
        {
            var (a, b) = (Draw(random), Draw(random));
            // Solidity: require(b != 0 && a <= (MAX - b / 2) / UNIT); return (a * UNIT + b / 2) / b.
            if (b.IsZero)
            {
                zeros++;
                Assert.Throws<DivideByZeroException>(() => actual(a, b));
                continue;
            }

            if (a > (UInt256.Max - (b / 2)) / unit)
            {
                overflows++;
                Assert.Throws<OverflowException>(() => actual(a, b));
                continue;
            }

            Assert.Equal(((a * unit) + (b / 2)) / b, actual(a, b));
        }

        output.WriteLine($"{overflows} of {Rounds} draws overflowed, {zeros} divided by zero");
        Assert.InRange(overflows, 1, Rounds - 1);
        Assert.InRange(zeros, 1, Rounds - 1);
    }

    private static readonly BigInteger[] Edges =
    [
        0, 1, 2, 5_000, 10_000, WadRayMath.HalfWad, WadRayMath.Wad, WadRayMath.HalfRay, WadRayMath.Ray,
        UInt256.Max, UInt256.Max - 1, UInt256.Max / 2, (BigInteger.One << 128) - 1, BigInteger.One << 128,
        (UInt256.Max - WadRayMath.HalfWad) / WadRayMath.Wad, (UInt256.Max - WadRayMath.HalfRay) / WadRayMath.Ray,
    ];

    /// <summary>A quarter edge values, the rest uniform in bit length so small and huge values are both common.</summary>
    private static BigInteger Draw(Random random)
    {
        if (random.Next(4) == 0)
        {
            var edge = Edges[random.Next(Edges.Length)];
            var jitter = random.Next(-2, 3);
            return BigInteger.Clamp(edge + jitter, 0, UInt256.Max);
        }

        var bits = random.Next(0, 257);
        var bytes = new byte[33];
        random.NextBytes(bytes);
        bytes[32] = 0;
        var value = new BigInteger(bytes, isUnsigned: true);
        return bits == 0 ? BigInteger.Zero : value & ((BigInteger.One << bits) - 1);
    }
}
