using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Core.Tests.Math;

/// <summary>Hand-derived vectors: each comment shows the contract's formula evaluated on paper.</summary>
public class WadRayPercentageTests
{
    private static readonly BigInteger Wad = WadRayMath.Wad;
    private static readonly BigInteger Ray = WadRayMath.Ray;

    [Fact]
    public void WadMul_rounds_half_up()
    {
        // (1 * 5e17 + 5e17) / 1e18 = 1: exactly one half rounds up.
        Assert.Equal(BigInteger.One, WadRayMath.WadMul(1, Wad / 2));
        // (1 * (5e17 - 1) + 5e17) / 1e18 = 0.999.. -> 0.
        Assert.Equal(BigInteger.Zero, WadRayMath.WadMul(1, Wad / 2 - 1));
        // 2.5 * 0.5 = 1.25 exactly.
        Assert.Equal(Wad * 5 / 4, WadRayMath.WadMul(Wad * 5 / 2, Wad / 2));
    }

    [Fact]
    public void WadDiv_rounds_half_up()
    {
        // (1 * 1e18 + 1e18) / 2e18 = 1: 0.5 -> 1.
        Assert.Equal(BigInteger.One, WadRayMath.WadDiv(1, 2 * Wad));
        // (1e18 + (2e18 + 2) / 2) / (2e18 + 2) = (2e18 + 1) / (2e18 + 2) -> 0.
        Assert.Equal(BigInteger.Zero, WadRayMath.WadDiv(1, 2 * Wad + 2));
        // HF of $830 LT-adjusted collateral over $1000 debt: 0.83e18.
        Assert.Equal(Wad * 83 / 100, WadRayMath.WadDiv(830, 1000));
        Assert.Throws<DivideByZeroException>(() => WadRayMath.WadDiv(1, 0));
    }

    [Fact]
    public void Ray_operations_round_half_up()
    {
        // (1 * 5e26 + 5e26) / 1e27 = 1, and one less rounds to 0.
        Assert.Equal(BigInteger.One, WadRayMath.RayMul(1, Ray / 2));
        Assert.Equal(BigInteger.Zero, WadRayMath.RayMul(1, Ray / 2 - 1));
        // (3 * 1e27 + 1e27) / 2e27 = 2: 1.5 -> 2.
        Assert.Equal(new BigInteger(2), WadRayMath.RayDiv(3, 2 * Ray));
        // rayToWad: 5e8 / 1e9 = 0.5 -> 1; (5e8 - 1) -> 0.
        Assert.Equal(BigInteger.One, WadRayMath.RayToWad(500_000_000));
        Assert.Equal(BigInteger.Zero, WadRayMath.RayToWad(499_999_999));
        Assert.Equal(Ray, WadRayMath.WadToRay(Wad));
        Assert.Throws<OverflowException>(() => WadRayMath.WadToRay(UInt256.Max));
    }

    [Fact]
    public void Mul_overflow_boundary_matches_the_contract_check()
    {
        // wadMul reverts iff a > (MAX - HALF_WAD) / b; the largest a that passes still fits.
        var b = new BigInteger(3);
        var largest = (UInt256.Max - WadRayMath.HalfWad) / b;
        Assert.Equal((largest * b + WadRayMath.HalfWad) / Wad, WadRayMath.WadMul(largest, b));
        Assert.Throws<OverflowException>(() => WadRayMath.WadMul(largest + 1, b));
    }

    [Fact]
    public void PercentageMath_rounds_half_up()
    {
        // (10000 * 8300 + 5000) / 10000 = 8300.5 -> 8300 (integer division drops .5 of the added half).
        Assert.Equal(new BigInteger(8300), PercentageMath.PercentMul(10_000, 8_300));
        // (1 * 5000 + 5000) / 10000 = 1; (1 * 4999 + 5000) / 10000 = 0.
        Assert.Equal(BigInteger.One, PercentageMath.PercentMul(1, 5_000));
        Assert.Equal(BigInteger.Zero, PercentageMath.PercentMul(1, 4_999));
        // lt 8300 x bonus 10500: (8300 * 10500 + 5000) / 10000 = 8715.5 -> 8715.
        Assert.Equal(new BigInteger(8715), PercentageMath.PercentMul(8_300, 10_500));
        // (1 * 10000 + 10000) / 20000 = 1; (1 * 10000 + 10001) / 20002 = 0.
        Assert.Equal(BigInteger.One, PercentageMath.PercentDiv(1, 20_000));
        Assert.Equal(BigInteger.Zero, PercentageMath.PercentDiv(1, 20_002));
        Assert.Throws<DivideByZeroException>(() => PercentageMath.PercentDiv(1, 0));
        Assert.Throws<OverflowException>(() => PercentageMath.PercentMul(UInt256.Max, 2));
    }
}
