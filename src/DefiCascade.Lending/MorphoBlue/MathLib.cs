using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Lending.MorphoBlue;

/// <summary>
/// Solidity 0.8 checked arithmetic on uint256 / uint128 held as <see cref="BigInteger"/>: where
/// the compiled contract panics, this throws <see cref="MorphoRevertException"/>.
/// </summary>
internal static class Checked
{
    public static BigInteger Mul(BigInteger a, BigInteger b) => Fit256(a * b, "multiplication");

    public static BigInteger Add(BigInteger a, BigInteger b) => Fit256(a + b, "addition");

    /// <summary>uint128 += (the Market fields): overflows above type(uint128).max.</summary>
    public static BigInteger Add128(BigInteger a, BigInteger b)
    {
        var sum = a + b;
        return sum <= MorphoBlueVersion.MaxUint128
            ? sum
            : throw new MorphoRevertException(MorphoError.ArithmeticOverflow, $"uint128 addition {a} + {b}");
    }

    public static BigInteger Sub(BigInteger a, BigInteger b) =>
        a >= b ? a - b : throw new MorphoRevertException(MorphoError.ArithmeticUnderflow, $"{a} - {b}");

    /// <summary>Solidity's bare <c>/</c> on unsigned integers: floor, Panic(0x12) on zero.</summary>
    public static BigInteger DivDown(BigInteger a, BigInteger d) =>
        d.IsZero
            ? throw new MorphoRevertException(MorphoError.DivisionByZero, $"{a} / 0")
            : UInt256.Divide(a, d, Rounding.Down);

    private static BigInteger Fit256(BigInteger value, string what) =>
        value <= UInt256.Max ? value : throw new MorphoRevertException(MorphoError.ArithmeticOverflow, $"uint256 {what}");
}

/// <summary>MathLib.sol: wad fixed point; every product is a checked uint256 (no 512-bit intermediate).</summary>
public static class MathLib
{
    /// <summary>MathLib.wMulDown: (x * y) / WAD.</summary>
    public static BigInteger WMulDown(BigInteger x, BigInteger y) => MulDivDown(x, y, MorphoBlueVersion.Wad);

    /// <summary>MathLib.wDivDown: (x * WAD) / y.</summary>
    public static BigInteger WDivDown(BigInteger x, BigInteger y) => MulDivDown(x, MorphoBlueVersion.Wad, y);

    /// <summary>MathLib.wDivUp: (x * WAD + (y - 1)) / y.</summary>
    public static BigInteger WDivUp(BigInteger x, BigInteger y) => MulDivUp(x, MorphoBlueVersion.Wad, y);

    /// <summary>MathLib.mulDivDown: (x * y) / d; the product overflows like the contract's.</summary>
    public static BigInteger MulDivDown(BigInteger x, BigInteger y, BigInteger d) => Checked.DivDown(Checked.Mul(x, y), d);

    /// <summary>
    /// MathLib.mulDivUp: (x * y + (d - 1)) / d, evaluated left to right as compiled: the product,
    /// then d - 1 (underflows when d == 0), then the sum (may overflow by the added d - 1).
    /// </summary>
    public static BigInteger MulDivUp(BigInteger x, BigInteger y, BigInteger d)
    {
        var product = Checked.Mul(x, y);
        var dMinusOne = Checked.Sub(d, BigInteger.One);
        return Checked.DivDown(Checked.Add(product, dMinusOne), d);
    }

    /// <summary>MathLib.wTaylorCompounded: x*n + (x*n)^2/(2 WAD) + (x*n)^3/(6 WAD^2), the last term from the rounded second.</summary>
    public static BigInteger WTaylorCompounded(BigInteger x, BigInteger n)
    {
        var firstTerm = Checked.Mul(x, n);
        var secondTerm = MulDivDown(firstTerm, firstTerm, 2 * MorphoBlueVersion.Wad);
        var thirdTerm = MulDivDown(secondTerm, firstTerm, 3 * MorphoBlueVersion.Wad);
        return Checked.Add(Checked.Add(firstTerm, secondTerm), thirdTerm);
    }
}

/// <summary>SharesMathLib.sol: virtual shares (1e6) and virtual assets (1) on every conversion.</summary>
public static class SharesMathLib
{
    /// <summary>SharesMathLib.toSharesDown: assets.mulDivDown(totalShares + 1e6, totalAssets + 1).</summary>
    public static BigInteger ToSharesDown(BigInteger assets, BigInteger totalAssets, BigInteger totalShares) =>
        MathLib.MulDivDown(assets, VirtualTotalShares(totalShares), VirtualTotalAssets(totalAssets));

    /// <summary>SharesMathLib.toAssetsDown: shares.mulDivDown(totalAssets + 1, totalShares + 1e6).</summary>
    public static BigInteger ToAssetsDown(BigInteger shares, BigInteger totalAssets, BigInteger totalShares) =>
        MathLib.MulDivDown(shares, VirtualTotalAssets(totalAssets), VirtualTotalShares(totalShares));

    /// <summary>SharesMathLib.toSharesUp: assets.mulDivUp(totalShares + 1e6, totalAssets + 1).</summary>
    public static BigInteger ToSharesUp(BigInteger assets, BigInteger totalAssets, BigInteger totalShares) =>
        MathLib.MulDivUp(assets, VirtualTotalShares(totalShares), VirtualTotalAssets(totalAssets));

    /// <summary>SharesMathLib.toAssetsUp: shares.mulDivUp(totalAssets + 1, totalShares + 1e6).</summary>
    public static BigInteger ToAssetsUp(BigInteger shares, BigInteger totalAssets, BigInteger totalShares) =>
        MathLib.MulDivUp(shares, VirtualTotalAssets(totalAssets), VirtualTotalShares(totalShares));

    private static BigInteger VirtualTotalAssets(BigInteger totalAssets) => Checked.Add(totalAssets, MorphoBlueVersion.VirtualAssets);

    private static BigInteger VirtualTotalShares(BigInteger totalShares) => Checked.Add(totalShares, MorphoBlueVersion.VirtualShares);
}

/// <summary>UtilsLib.sol.</summary>
public static class UtilsLib
{
    /// <summary>UtilsLib.exactlyOneZero: xor(iszero(x), iszero(y)).</summary>
    public static bool ExactlyOneZero(BigInteger x, BigInteger y) => x.IsZero ^ y.IsZero;

    public static BigInteger Min(BigInteger x, BigInteger y) => y < x ? y : x;

    /// <summary>UtilsLib.zeroFloorSub: max(0, x - y).</summary>
    public static BigInteger ZeroFloorSub(BigInteger x, BigInteger y) => x > y ? x - y : BigInteger.Zero;

    /// <summary>UtilsLib.toUint128: require(x &lt;= type(uint128).max, MAX_UINT128_EXCEEDED).</summary>
    public static BigInteger ToUint128(BigInteger x) =>
        x <= MorphoBlueVersion.MaxUint128
            ? x
            : throw new MorphoRevertException(MorphoError.MaxUint128Exceeded, $"{x} does not fit a uint128");
}
