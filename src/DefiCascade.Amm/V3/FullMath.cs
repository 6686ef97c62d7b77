using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>
/// v3-core FullMath: a * b / denominator over the full 512-bit product. BigInteger holds the
/// product exactly, so only the contract's reverts remain: a zero denominator or a result that
/// does not fit uint256 throws (revert semantics).
/// </summary>
public static partial class FullMath
{
    internal static readonly BigInteger Uint256Max = (BigInteger.One << 256) - 1;

    /// <summary>FullMath.mulDiv: floor(a * b / denominator).</summary>
    public static BigInteger MulDiv(BigInteger a, BigInteger b, BigInteger denominator)
    {
        CheckOperands(a, b, denominator);
        var result = BigInteger.Divide(a * b, denominator);
        return CheckResult(result);
    }

    /// <summary>FullMath.mulDivRoundingUp: ceil(a * b / denominator).</summary>
    public static BigInteger MulDivRoundingUp(BigInteger a, BigInteger b, BigInteger denominator)
    {
        CheckOperands(a, b, denominator);
        var quotient = BigInteger.DivRem(a * b, denominator, out var remainder);
        // the contract reverts when mulDiv's result is already type(uint256).max and would need +1.
        return CheckResult(remainder.IsZero ? quotient : quotient + 1);
    }

    /// <summary>UnsafeMath.divRoundingUp: ceil(x / y); the contract returns 0 for y == 0, callers never pass it.</summary>
    public static BigInteger DivRoundingUp(BigInteger x, BigInteger y)
    {
        if (y.IsZero)
        {
            throw new DivideByZeroException("divRoundingUp by zero");
        }

        var quotient = BigInteger.DivRem(x, y, out var remainder);
        return remainder.IsZero ? quotient : quotient + 1;
    }

    private static void CheckOperands(BigInteger a, BigInteger b, BigInteger denominator)
    {
        if (a.Sign < 0 || a > Uint256Max || b.Sign < 0 || b > Uint256Max || denominator.Sign < 0 || denominator > Uint256Max)
        {
            throw new OverflowException("mulDiv operand outside uint256");
        }

        if (denominator.IsZero)
        {
            throw new DivideByZeroException("mulDiv by zero (FullMath reverts)");
        }
    }

    private static BigInteger CheckResult(BigInteger result) =>
        result > Uint256Max ? throw new OverflowException("mulDiv result overflows uint256 (FullMath reverts)") : result;
}
