using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>v3-core LiquidityMath: uint128 liquidity plus a signed int128 delta.</summary>
public static partial class LiquidityMath
{
    public static readonly BigInteger Uint128Max = (BigInteger.One << 128) - 1;
    public static readonly BigInteger Int128Max = (BigInteger.One << 127) - 1;
    public static readonly BigInteger Int128Min = -(BigInteger.One << 127);

    /// <summary>LiquidityMath.addDelta: reverts "LS" on underflow and "LA" on overflow of uint128.</summary>
    public static BigInteger AddDelta(BigInteger x, BigInteger y)
    {
        if (x.Sign < 0 || x > Uint128Max)
        {
            throw new OverflowException($"liquidity {x} is not a uint128");
        }

        if (y < Int128Min || y > Int128Max)
        {
            throw new OverflowException($"liquidity delta {y} is not an int128");
        }

        var z = x + y;
        if (z.Sign < 0)
        {
            throw new OverflowException($"LS: liquidity {x} + {y} underflows");
        }

        if (z > Uint128Max)
        {
            throw new OverflowException($"LA: liquidity {x} + {y} overflows uint128");
        }

        return z;
    }
}
