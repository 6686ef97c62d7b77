namespace DefiCascade.Amm.V3;

/// <summary>LiquidityMath.addDelta on uint128 / int128 words (the swap walk's crossings).</summary>
public static partial class LiquidityMath
{
    /// <summary>LiquidityMath.addDelta: reverts "LS" on underflow and "LA" on overflow of uint128.</summary>
    public static UInt128 AddDelta(UInt128 x, Int128 y)
    {
        if (y < 0)
        {
            // |int128.min| = 2^127 fits uint128.
            var magnitude = y == Int128.MinValue ? (UInt128)1 << 127 : (UInt128)(-y);
            return magnitude > x ? throw new OverflowException($"LS: liquidity {x} + {y} underflows") : x - magnitude;
        }

        var delta = (UInt128)y;
        return delta > UInt128.MaxValue - x ? throw new OverflowException($"LA: liquidity {x} + {y} overflows uint128") : x + delta;
    }
}
