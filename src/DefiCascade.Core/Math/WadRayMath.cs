using System.Numerics;

namespace DefiCascade.Core.Math;

/// <summary>
/// Aave V3's WadRayMath (aave-v3-core 1.19.x, contracts/protocol/libraries/math/WadRayMath.sol):
/// wad = 1e18, ray = 1e27, multiplication and division round half up. Where the contract
/// reverts on overflow this throws <see cref="OverflowException"/>.
/// </summary>
public static class WadRayMath
{
    public static readonly BigInteger Wad = BigInteger.Pow(10, 18);
    public static readonly BigInteger HalfWad = Wad / 2;
    public static readonly BigInteger Ray = BigInteger.Pow(10, 27);
    public static readonly BigInteger HalfRay = Ray / 2;
    public static readonly BigInteger WadRayRatio = BigInteger.Pow(10, 9);

    /// <summary>wadMul: (a * b + HALF_WAD) / WAD; reverts if a &gt; (MAX - HALF_WAD) / b.</summary>
    public static BigInteger WadMul(BigInteger a, BigInteger b) => HalfUp.Mul(a, b, WadWord, HalfWadWord, "wadMul");

    /// <summary>wadDiv: (a * WAD + b / 2) / b; reverts on b == 0 or a &gt; (MAX - b/2) / WAD.</summary>
    public static BigInteger WadDiv(BigInteger a, BigInteger b) => HalfUp.Div(a, b, WadWord, "wadDiv");

    /// <summary>rayMul: (a * b + HALF_RAY) / RAY.</summary>
    public static BigInteger RayMul(BigInteger a, BigInteger b) => HalfUp.Mul(a, b, RayWord, HalfRayWord, "rayMul");

    /// <summary>rayMul on 256-bit words: the same result and the same overflow revert, without a BigInteger.</summary>
    public static U256 RayMul(U256 a, U256 b) => HalfUp.Mul(a, b, RayWord, HalfRayWord, "rayMul");

    /// <summary>rayDiv: (a * RAY + b / 2) / b.</summary>
    public static BigInteger RayDiv(BigInteger a, BigInteger b) => HalfUp.Div(a, b, RayWord, "rayDiv");

    /// <summary>rayToWad: rounds half up by WAD_RAY_RATIO.</summary>
    public static BigInteger RayToWad(BigInteger a)
    {
        UInt256.Check(a);
        var quotient = BigInteger.DivRem(a, WadRayRatio, out var remainder);
        return remainder >= WadRayRatio / 2 ? quotient + 1 : quotient;
    }

    /// <summary>wadToRay: a * WAD_RAY_RATIO, reverting on overflow.</summary>
    public static BigInteger WadToRay(BigInteger a) => UInt256.Check(UInt256.Check(a) * WadRayRatio, "wadToRay");

    private static readonly U256 WadWord = 1_000_000_000_000_000_000UL;
    private static readonly U256 RayWord = U256.From(BigInteger.Pow(10, 27));
    private static readonly U256 HalfWadWord = WadWord >> 1;
    private static readonly U256 HalfRayWord = RayWord >> 1;
}
