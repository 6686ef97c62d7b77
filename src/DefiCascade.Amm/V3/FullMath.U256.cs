using DefiCascade.Core.Math;

namespace DefiCascade.Amm.V3;

/// <summary>FullMath on <see cref="U256"/>: the same results and reverts as the BigInteger methods (V3FixedWidthTests).</summary>
public static partial class FullMath
{
    /// <summary>FullMath.mulDiv: floor(a * b / denominator).</summary>
    public static U256 MulDiv(U256 a, U256 b, U256 denominator) => U256.MulDiv(a, b, denominator, out _);

    /// <summary>FullMath.mulDivRoundingUp: ceil(a * b / denominator); reverts when the result needs 2^256.</summary>
    public static U256 MulDivRoundingUp(U256 a, U256 b, U256 denominator)
    {
        var quotient = U256.MulDiv(a, b, denominator, out var inexact);
        return inexact ? quotient + U256.One : quotient;
    }

    /// <summary>UnsafeMath.divRoundingUp: ceil(x / y).</summary>
    public static U256 DivRoundingUp(U256 x, U256 y)
    {
        var quotient = U256.DivRem(x, y, out var remainder);
        return remainder.IsZero ? quotient : quotient + U256.One;
    }
}
