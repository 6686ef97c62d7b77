using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>One step of a V3 swap within a single liquidity range.</summary>
public readonly record struct SwapStepResult(BigInteger SqrtPriceNextX96, BigInteger AmountIn, BigInteger AmountOut, BigInteger FeeAmount);

/// <summary>v3-core 1.0.x SwapMath: the fee is taken from the input.</summary>
public static partial class SwapMath
{
    private static readonly BigInteger OneMillion = 1_000_000;

    /// <summary>
    /// SwapMath.computeSwapStep. <paramref name="amountRemaining"/> is signed as in the contract:
    /// positive = exact input remaining, negative = exact output remaining.
    /// </summary>
    public static SwapStepResult ComputeSwapStep(BigInteger sqrtPX96, BigInteger sqrtPTargetX96, BigInteger liquidity, BigInteger amountRemaining, int feePips)
    {
        if (feePips < 0 || feePips >= 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(feePips), feePips, "fee must be in [0, 1e6)");
        }

        var zeroForOne = sqrtPX96 >= sqrtPTargetX96;
        var exactIn = amountRemaining.Sign >= 0;
        BigInteger sqrtQX96;
        var amountIn = BigInteger.Zero;
        var amountOut = BigInteger.Zero;

        if (exactIn)
        {
            var amountRemainingLessFee = FullMath.MulDiv(amountRemaining, OneMillion - feePips, OneMillion);
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
            sqrtQX96 = -amountRemaining >= amountOut
                ? sqrtPTargetX96
                : SqrtPriceMath.GetNextSqrtPriceFromOutput(sqrtPX96, liquidity, -amountRemaining, zeroForOne);
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
        if (!exactIn && amountOut > -amountRemaining)
        {
            amountOut = -amountRemaining;
        }

        // target not reached on exact input: the remainder of the maximum input is the fee.
        var feeAmount = exactIn && sqrtQX96 != sqrtPTargetX96
            ? amountRemaining - amountIn
            : FullMath.MulDivRoundingUp(amountIn, feePips, OneMillion - feePips);

        return new SwapStepResult(sqrtQX96, amountIn, amountOut, feeAmount);
    }
}
