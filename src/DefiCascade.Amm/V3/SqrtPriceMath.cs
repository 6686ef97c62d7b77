using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>
/// v3-core 1.0.x SqrtPriceMath: next prices from token deltas and token deltas between prices,
/// each rounded the way the contract rounds it (always in the pool's favour).
/// </summary>
public static partial class SqrtPriceMath
{
    public const int Resolution = 96;
    public static readonly BigInteger Q96 = BigInteger.One << Resolution;
    public static readonly BigInteger Uint160Max = (BigInteger.One << 160) - 1;
    private static readonly BigInteger Int256Max = (BigInteger.One << 255) - 1;

    /// <summary>
    /// getNextSqrtPriceFromAmount0RoundingUp: L * sqrtP / (L +- amount * sqrtP), rounded up; when the
    /// add-path product overflows uint256 the contract falls back to L / (L / sqrtP + amount).
    /// </summary>
    public static BigInteger GetNextSqrtPriceFromAmount0RoundingUp(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amount, bool add)
    {
        if (amount.IsZero)
        {
            return sqrtPX96;
        }

        var numerator1 = liquidity << Resolution;
        var product = amount * sqrtPX96;
        var productFits = product <= FullMath.Uint256Max;
        if (add)
        {
            if (productFits)
            {
                var denominator = numerator1 + product;
                if (denominator <= FullMath.Uint256Max)
                {
                    // always fits in 160 bits
                    return FullMath.MulDivRoundingUp(numerator1, sqrtPX96, denominator);
                }
            }

            // LowGasSafeMath.add reverts if numerator1 / sqrtP + amount leaves uint256.
            var denominator1 = Check256(BigInteger.Divide(numerator1, sqrtPX96) + amount);
            return ToUint160(FullMath.DivRoundingUp(numerator1, denominator1));
        }

        // 1.0.x: require((product = amount * sqrtPX96) / amount == sqrtPX96 && numerator1 > product)
        if (!productFits || numerator1 <= product)
        {
            throw new OverflowException("getNextSqrtPriceFromAmount0RoundingUp: output exceeds virtual reserves of token0");
        }

        return ToUint160(FullMath.MulDivRoundingUp(numerator1, sqrtPX96, numerator1 - product));
    }

    /// <summary>getNextSqrtPriceFromAmount1RoundingDown: sqrtP +- amount / L, the quotient rounded down on add and up on remove.</summary>
    public static BigInteger GetNextSqrtPriceFromAmount1RoundingDown(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amount, bool add)
    {
        // the contract uses (amount << 96) / L below 2^160 and mulDiv above: both are the exact quotient.
        if (add)
        {
            var quotient = amount <= Uint160Max
                ? BigInteger.Divide(amount << Resolution, liquidity)
                : FullMath.MulDiv(amount, Q96, liquidity);
            return ToUint160(Check256(sqrtPX96 + quotient));
        }

        var quotientUp = amount <= Uint160Max
            ? FullMath.DivRoundingUp(amount << Resolution, liquidity)
            : FullMath.MulDivRoundingUp(amount, Q96, liquidity);
        if (sqrtPX96 <= quotientUp)
        {
            throw new OverflowException("getNextSqrtPriceFromAmount1RoundingDown: output exceeds virtual reserves of token1");
        }

        return sqrtPX96 - quotientUp;
    }

    /// <summary>getNextSqrtPriceFromInput: rounds so that the price does not pass the target.</summary>
    public static BigInteger GetNextSqrtPriceFromInput(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amountIn, bool zeroForOne)
    {
        RequirePositive(sqrtPX96, liquidity);
        return zeroForOne
            ? GetNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
            : GetNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true);
    }

    /// <summary>getNextSqrtPriceFromOutput: rounds so that the price passes the target.</summary>
    public static BigInteger GetNextSqrtPriceFromOutput(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amountOut, bool zeroForOne)
    {
        RequirePositive(sqrtPX96, liquidity);
        return zeroForOne
            ? GetNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
            : GetNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false);
    }

    /// <summary>getAmount0Delta(uint): L * (sqrtB - sqrtA) / sqrtB / sqrtA, the prices taken in either order.</summary>
    public static BigInteger GetAmount0Delta(BigInteger sqrtRatioAX96, BigInteger sqrtRatioBX96, BigInteger liquidity, bool roundUp)
    {
        if (sqrtRatioAX96 > sqrtRatioBX96)
        {
            (sqrtRatioAX96, sqrtRatioBX96) = (sqrtRatioBX96, sqrtRatioAX96);
        }

        if (sqrtRatioAX96.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sqrtRatioAX96), "getAmount0Delta requires a positive price");
        }

        var numerator1 = liquidity << Resolution;
        var numerator2 = sqrtRatioBX96 - sqrtRatioAX96;
        return roundUp
            ? FullMath.DivRoundingUp(FullMath.MulDivRoundingUp(numerator1, numerator2, sqrtRatioBX96), sqrtRatioAX96)
            : BigInteger.Divide(FullMath.MulDiv(numerator1, numerator2, sqrtRatioBX96), sqrtRatioAX96);
    }

    /// <summary>getAmount1Delta(uint): L * (sqrtB - sqrtA) / 2^96, the prices taken in either order.</summary>
    public static BigInteger GetAmount1Delta(BigInteger sqrtRatioAX96, BigInteger sqrtRatioBX96, BigInteger liquidity, bool roundUp)
    {
        if (sqrtRatioAX96 > sqrtRatioBX96)
        {
            (sqrtRatioAX96, sqrtRatioBX96) = (sqrtRatioBX96, sqrtRatioAX96);
        }

        return roundUp
            ? FullMath.MulDivRoundingUp(liquidity, sqrtRatioBX96 - sqrtRatioAX96, Q96)
            : FullMath.MulDiv(liquidity, sqrtRatioBX96 - sqrtRatioAX96, Q96);
    }

    /// <summary>getAmount0Delta(int128): rounds up when liquidity is added, down when removed (negative result).</summary>
    public static BigInteger GetAmount0Delta(BigInteger sqrtRatioAX96, BigInteger sqrtRatioBX96, BigInteger liquidityDelta) =>
        liquidityDelta.Sign < 0
            ? -ToInt256(GetAmount0Delta(sqrtRatioAX96, sqrtRatioBX96, -liquidityDelta, false))
            : ToInt256(GetAmount0Delta(sqrtRatioAX96, sqrtRatioBX96, liquidityDelta, true));

    /// <summary>getAmount1Delta(int128): rounds up when liquidity is added, down when removed (negative result).</summary>
    public static BigInteger GetAmount1Delta(BigInteger sqrtRatioAX96, BigInteger sqrtRatioBX96, BigInteger liquidityDelta) =>
        liquidityDelta.Sign < 0
            ? -ToInt256(GetAmount1Delta(sqrtRatioAX96, sqrtRatioBX96, -liquidityDelta, false))
            : ToInt256(GetAmount1Delta(sqrtRatioAX96, sqrtRatioBX96, liquidityDelta, true));

    /// <summary>SafeCast.toInt256: reverts unless the value is below 2^255.</summary>
    internal static BigInteger ToInt256(BigInteger value) =>
        value > Int256Max ? throw new OverflowException($"{value} does not fit int256") : value;

    /// <summary>SafeCast.toUint160.</summary>
    internal static BigInteger ToUint160(BigInteger value) =>
        value > Uint160Max ? throw new OverflowException($"{value} does not fit uint160") : value;

    private static BigInteger Check256(BigInteger value) =>
        value > FullMath.Uint256Max ? throw new OverflowException("uint256 addition overflows (LowGasSafeMath reverts)") : value;

    private static void RequirePositive(BigInteger sqrtPX96, BigInteger liquidity)
    {
        if (sqrtPX96.Sign <= 0 || liquidity.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(liquidity), "next sqrt price requires a positive price and liquidity");
        }
    }
}
