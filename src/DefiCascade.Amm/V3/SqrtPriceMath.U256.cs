using DefiCascade.Core.Math;

namespace DefiCascade.Amm.V3;

/// <summary>
/// SqrtPriceMath on <see cref="U256"/> (liquidity a uint128): the swap walk's hot path, without BigInteger
/// allocations. The same results, and the same exception types where the contract reverts, as the BigInteger
/// methods, which stay the reference checked against the deployed contracts (V3FixedWidthTests).
/// </summary>
public static partial class SqrtPriceMath
{
    private static readonly U256 Q96Word = U256.One << Resolution;
    private static readonly U256 Uint160MaxWord = (U256.One << 160) - U256.One;
    private static readonly U256 Int256MaxWord = (U256.One << 255) - U256.One;

    /// <summary>getNextSqrtPriceFromAmount0RoundingUp (see the BigInteger overload).</summary>
    public static U256 GetNextSqrtPriceFromAmount0RoundingUp(U256 sqrtPX96, UInt128 liquidity, U256 amount, bool add)
    {
        if (amount.IsZero)
        {
            return sqrtPX96;
        }

        var numerator1 = (U256)liquidity << Resolution;
        U256.Multiply(amount, sqrtPX96, out var product, out var productHigh);
        var productFits = productHigh.IsZero;
        if (add)
        {
            if (productFits)
            {
                var denominator = U256.Add(numerator1, product, out var carry);
                if (!carry)
                {
                    return FullMath.MulDivRoundingUp(numerator1, sqrtPX96, denominator);
                }
            }

            var denominator1 = (numerator1 / sqrtPX96) + amount;
            return ToUint160(FullMath.DivRoundingUp(numerator1, denominator1));
        }

        if (!productFits || numerator1 <= product)
        {
            throw new OverflowException("getNextSqrtPriceFromAmount0RoundingUp: output exceeds virtual reserves of token0");
        }

        return ToUint160(FullMath.MulDivRoundingUp(numerator1, sqrtPX96, numerator1 - product));
    }

    /// <summary>getNextSqrtPriceFromAmount1RoundingDown (see the BigInteger overload).</summary>
    public static U256 GetNextSqrtPriceFromAmount1RoundingDown(U256 sqrtPX96, UInt128 liquidity, U256 amount, bool add)
    {
        if (add)
        {
            var quotient = amount <= Uint160MaxWord
                ? (amount << Resolution) / liquidity
                : FullMath.MulDiv(amount, Q96Word, liquidity);
            return ToUint160(sqrtPX96 + quotient);
        }

        var quotientUp = amount <= Uint160MaxWord
            ? FullMath.DivRoundingUp(amount << Resolution, liquidity)
            : FullMath.MulDivRoundingUp(amount, Q96Word, liquidity);
        if (sqrtPX96 <= quotientUp)
        {
            throw new OverflowException("getNextSqrtPriceFromAmount1RoundingDown: output exceeds virtual reserves of token1");
        }

        return sqrtPX96 - quotientUp;
    }

    /// <summary>getNextSqrtPriceFromInput: rounds so that the price does not pass the target.</summary>
    public static U256 GetNextSqrtPriceFromInput(U256 sqrtPX96, UInt128 liquidity, U256 amountIn, bool zeroForOne)
    {
        RequirePositive(sqrtPX96, liquidity);
        return zeroForOne
            ? GetNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
            : GetNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true);
    }

    /// <summary>getNextSqrtPriceFromOutput: rounds so that the price passes the target.</summary>
    public static U256 GetNextSqrtPriceFromOutput(U256 sqrtPX96, UInt128 liquidity, U256 amountOut, bool zeroForOne)
    {
        RequirePositive(sqrtPX96, liquidity);
        return zeroForOne
            ? GetNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
            : GetNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false);
    }

    /// <summary>getAmount0Delta(uint): L * (sqrtB - sqrtA) / sqrtB / sqrtA, the prices taken in either order.</summary>
    public static U256 GetAmount0Delta(U256 sqrtRatioAX96, U256 sqrtRatioBX96, UInt128 liquidity, bool roundUp)
    {
        if (sqrtRatioAX96 > sqrtRatioBX96)
        {
            (sqrtRatioAX96, sqrtRatioBX96) = (sqrtRatioBX96, sqrtRatioAX96);
        }

        if (sqrtRatioAX96.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(sqrtRatioAX96), "getAmount0Delta requires a positive price");
        }

        var numerator1 = (U256)liquidity << Resolution;
        var numerator2 = sqrtRatioBX96 - sqrtRatioAX96;
        return roundUp
            ? FullMath.DivRoundingUp(FullMath.MulDivRoundingUp(numerator1, numerator2, sqrtRatioBX96), sqrtRatioAX96)
            : FullMath.MulDiv(numerator1, numerator2, sqrtRatioBX96) / sqrtRatioAX96;
    }

    /// <summary>getAmount1Delta(uint): L * (sqrtB - sqrtA) / 2^96, the prices taken in either order.</summary>
    public static U256 GetAmount1Delta(U256 sqrtRatioAX96, U256 sqrtRatioBX96, UInt128 liquidity, bool roundUp)
    {
        if (sqrtRatioAX96 > sqrtRatioBX96)
        {
            (sqrtRatioAX96, sqrtRatioBX96) = (sqrtRatioBX96, sqrtRatioAX96);
        }

        return roundUp
            ? FullMath.MulDivRoundingUp(liquidity, sqrtRatioBX96 - sqrtRatioAX96, Q96Word)
            : FullMath.MulDiv(liquidity, sqrtRatioBX96 - sqrtRatioAX96, Q96Word);
    }

    /// <summary>SafeCast.toInt256: reverts unless the value is below 2^255.</summary>
    internal static U256 ToInt256(U256 value) =>
        value > Int256MaxWord ? throw new OverflowException($"{value} does not fit int256") : value;

    /// <summary>SafeCast.toUint160.</summary>
    internal static U256 ToUint160(U256 value) =>
        value > Uint160MaxWord ? throw new OverflowException($"{value} does not fit uint160") : value;

    private static void RequirePositive(U256 sqrtPX96, UInt128 liquidity)
    {
        if (sqrtPX96.IsZero || liquidity == UInt128.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(liquidity), "next sqrt price requires a positive price and liquidity");
        }
    }
}
