using DefiCascade.Core.Math;

namespace DefiCascade.Amm.V3;

/// <summary>One step of a V3 swap within a single liquidity range, in <see cref="U256"/>.</summary>
public readonly record struct SwapStep256(U256 SqrtPriceNextX96, U256 AmountIn, U256 AmountOut, U256 FeeAmount);

/// <summary>SwapMath.computeSwapStep on <see cref="U256"/>: the same step as the BigInteger method (V3FixedWidthTests).</summary>
public static partial class SwapMath
{
    private static readonly U256 OneMillionWord = 1_000_000UL;

    /// <summary>
    /// SwapMath.computeSwapStep with the signed amountRemaining of the contract split into its magnitude
    /// <paramref name="amountRemaining"/> and <paramref name="exactIn"/> (exact input when true, exact output when false).
    /// </summary>
    public static SwapStep256 ComputeSwapStep(U256 sqrtPX96, U256 sqrtPTargetX96, UInt128 liquidity, U256 amountRemaining, bool exactIn, int feePips)
    {
        if (feePips < 0 || feePips >= 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(feePips), feePips, "fee must be in [0, 1e6)");
        }

        var zeroForOne = sqrtPX96 >= sqrtPTargetX96;
        var fee = (U256)(ulong)feePips;
        U256 sqrtQX96;
        U256 amountIn = default, amountOut = default;

        if (exactIn)
        {
            var amountRemainingLessFee = FullMath.MulDiv(amountRemaining, OneMillionWord - fee, OneMillionWord);
            amountIn = zeroForOne
                ? SqrtPriceMath.GetAmount0Delta(sqrtPTargetX96, sqrtPX96, liquidity, true)
                : SqrtPriceMath.GetAmount1Delta(sqrtPX96, sqrtPTargetX96, liquidity, true);
            sqrtQX96 = amountRemainingLessFee >= amountIn
                ? sqrtPTargetX96
                : SqrtPriceMath.GetNextSqrtPriceFromInput(sqrtPX96, liquidity, amountRemainingLessFee, zeroForOne);
        }
        else
        {
            amountOut = zeroForOne
                ? SqrtPriceMath.GetAmount1Delta(sqrtPTargetX96, sqrtPX96, liquidity, false)
                : SqrtPriceMath.GetAmount0Delta(sqrtPX96, sqrtPTargetX96, liquidity, false);
            sqrtQX96 = amountRemaining >= amountOut
                ? sqrtPTargetX96
                : SqrtPriceMath.GetNextSqrtPriceFromOutput(sqrtPX96, liquidity, amountRemaining, zeroForOne);
        }

        var max = sqrtPTargetX96 == sqrtQX96;

        if (zeroForOne)
        {
            amountIn = max && exactIn ? amountIn : SqrtPriceMath.GetAmount0Delta(sqrtQX96, sqrtPX96, liquidity, true);
            amountOut = max && !exactIn ? amountOut : SqrtPriceMath.GetAmount1Delta(sqrtQX96, sqrtPX96, liquidity, false);
        }
        else
        {
            amountIn = max && exactIn ? amountIn : SqrtPriceMath.GetAmount1Delta(sqrtPX96, sqrtQX96, liquidity, true);
            amountOut = max && !exactIn ? amountOut : SqrtPriceMath.GetAmount0Delta(sqrtPX96, sqrtQX96, liquidity, false);
        }

        // cap the output amount to not exceed the remaining output amount
        if (!exactIn && amountOut > amountRemaining)
        {
            amountOut = amountRemaining;
        }

        // target not reached on exact input: the remainder of the maximum input is the fee.
        var feeAmount = exactIn && sqrtQX96 != sqrtPTargetX96
            ? amountRemaining - amountIn
            : FullMath.MulDivRoundingUp(amountIn, fee, OneMillionWord - fee);

        return new SwapStep256(sqrtQX96, amountIn, amountOut, feeAmount);
    }
}
