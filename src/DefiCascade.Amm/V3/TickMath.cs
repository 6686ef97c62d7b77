using System.Globalization;
using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>
/// Bit-exact port of v3-core's TickMath library: sqrt(1.0001^tick) * 2^96 as a Q64.96 and its
/// inverse. Both functions reproduce the contract's fixed-point chains, not the real-valued formula,
/// so the results match the deployed bytecode to the last bit.
/// </summary>
public static partial class TickMath
{
    public const int MinTick = -887272;
    public const int MaxTick = -MinTick;

    public static readonly BigInteger MinSqrtRatio = 4295128739;
    public static readonly BigInteger MaxSqrtRatio = Parse("1461446703485210103287273052203988822378723970342");

    private static readonly BigInteger Uint256Max = (BigInteger.One << 256) - 1;
    private static readonly BigInteger Mask32 = (BigInteger.One << 32) - 1;

    // ratio multipliers for bits 0x2 .. 0x80000 of |tick|: 2^128 / sqrt(1.0001)^(2^i), as in getSqrtRatioAtTick.
    private static readonly BigInteger[] Multipliers =
    [
        Hex("fff97272373d413259a46990580e213a"),
        Hex("fff2e50f5f656932ef12357cf3c7fdcc"),
        Hex("ffe5caca7e10e4e61c3624eaa0941cd0"),
        Hex("ffcb9843d60f6159c9db58835c926644"),
        Hex("ff973b41fa98c081472e6896dfb254c0"),
        Hex("ff2ea16466c96a3843ec78b326b52861"),
        Hex("fe5dee046a99a2a811c461f1969c3053"),
        Hex("fcbe86c7900a88aedcffc83b479aa3a4"),
        Hex("f987a7253ac413176f2b074cf7815e54"),
        Hex("f3392b0822b70005940c7a398e4b70f3"),
        Hex("e7159475a2c29b7443b29c7fa6e889d9"),
        Hex("d097f3bdfd2022b8845ad8f792aa5825"),
        Hex("a9f746462d870fdf8a65dc1f90e061e5"),
        Hex("70d869a156d2a1b890bb3df62baf32f7"),
        Hex("31be135f97d08fd981231505542fcfa6"),
        Hex("9aa508b5b7a84e1c677de54f3e99bc9"),
        Hex("5d6af8dedb81196699c329225ee604"),
        Hex("2216e584f5fa1ea926041bedfe98"),
        Hex("48a170391f7dc42444e8fa2"),
    ];

    private static readonly BigInteger Bit0Multiplier = Hex("fffcb933bd6fad37aa2d162d1a594001");
    private static readonly BigInteger Q128 = BigInteger.One << 128;

    // log_2 -> log_sqrt(1.0001) conversion and the error bounds of getTickAtSqrtRatio.
    private static readonly BigInteger LogSqrt10001Factor = Parse("255738958999603826347141");
    private static readonly BigInteger TickLowOffset = Parse("3402992956809132418596140100660247210");
    private static readonly BigInteger TickHiOffset = Parse("291339464771989622907027621153398088495");

    /// <summary>
    /// TickMath.getSqrtRatioAtTick, reverting ("T") when |tick| &gt; MAX_TICK. The same multiplication
    /// chain as the contract, in 128-bit words: every factor and partial product is below 2^128, so
    /// (ratio * m) &gt;&gt; 128 is the high half of a 128x128 product. Tested equal to the reference.
    /// </summary>
    public static BigInteger GetSqrtRatioAtTick(int tick)
    {
        if (tick < MinTick || tick > MaxTick)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "T: tick outside [MIN_TICK, MAX_TICK]");
        }

        // Pure function of the tick; swap walks hit the same boundaries again and again.
        return SqrtRatioCache.GetOrAdd(tick, ComputeSqrtRatioAtTick);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, BigInteger> SqrtRatioCache = new();

    // The multiplication chain is written once, on words (TickMath.U256.cs); this cache keeps the BigInteger.
    private static BigInteger ComputeSqrtRatioAtTick(int tick) => (BigInteger)ComputeSqrtRatioAtTickWord(tick);

    /// <summary>
    /// TickMath.getTickAtSqrtRatio: the greatest tick whose ratio is &lt;= sqrtPriceX96, reverting ("R")
    /// unless MIN_SQRT_RATIO &lt;= sqrtPriceX96 &lt; MAX_SQRT_RATIO. The contract's result is exactly
    /// that tick, so a floating-point estimate settled by exact comparisons returns the same value
    /// (tested against the line-by-line reference).
    /// </summary>
    public static int GetTickAtSqrtRatio(BigInteger sqrtPriceX96)
    {
        if (sqrtPriceX96 < MinSqrtRatio || sqrtPriceX96 >= MaxSqrtRatio)
        {
            throw new ArgumentOutOfRangeException(nameof(sqrtPriceX96), sqrtPriceX96, "R: sqrt price outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO)");
        }

        // In range, the price is a uint160: the word method (a float estimate settled by exact comparisons).
        return GetTickAtSqrtRatio(Core.Math.U256.From(sqrtPriceX96));
    }

    // High 128 bits of a 128x128-bit product, from four 64x64 partial products. The casts to
    // ulong deliberately keep the low 64 bits (unchecked); no sum here can exceed 2^128 - 1.
    private static UInt128 MulHigh(UInt128 a, UInt128 b)
    {
        unchecked
        {
            var (a1, a0) = ((ulong)(a >> 64), (ulong)a);
            var (b1, b0) = ((ulong)(b >> 64), (ulong)b);
            var p00 = (UInt128)a0 * b0;
            var p01 = (UInt128)a0 * b1;
            var p10 = (UInt128)a1 * b0;
            var p11 = (UInt128)a1 * b1;
            var mid = (p00 >> 64) + (ulong)p01 + (ulong)p10;
            return p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
        }
    }

    /// <summary>Reference: a line-by-line BigInteger transcription of TickMath.getSqrtRatioAtTick; reverts ("T") when |tick| &gt; MAX_TICK.</summary>
    public static BigInteger GetSqrtRatioAtTickReference(int tick)
    {
        if (tick < MinTick || tick > MaxTick)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "T: tick outside [MIN_TICK, MAX_TICK]");
        }

        var absTick = tick < 0 ? -tick : tick;
        var ratio = (absTick & 1) != 0 ? Bit0Multiplier : Q128;
        for (var i = 0; i < Multipliers.Length; i++)
        {
            if ((absTick & (2 << i)) != 0)
            {
                // both factors < 2^128, so the product fits uint256 as in the contract.
                ratio = (ratio * Multipliers[i]) >> 128;
            }
        }

        if (tick > 0)
        {
            ratio = Uint256Max / ratio;
        }

        // Q128.128 -> Q64.96, rounding up so that getTickAtSqrtRatio of the result is consistent.
        return (ratio >> 32) + ((ratio & Mask32).IsZero ? BigInteger.Zero : BigInteger.One);
    }

    /// <summary>
    /// Reference: a line-by-line transcription of TickMath.getTickAtSqrtRatio (msb, 14 log2 squarings): the greatest tick whose ratio is &lt;= sqrtPriceX96. Reverts ("R")
    /// unless MIN_SQRT_RATIO &lt;= sqrtPriceX96 &lt; MAX_SQRT_RATIO.
    /// </summary>
    public static int GetTickAtSqrtRatioReference(BigInteger sqrtPriceX96)
    {
        if (sqrtPriceX96 < MinSqrtRatio || sqrtPriceX96 >= MaxSqrtRatio)
        {
            throw new ArgumentOutOfRangeException(nameof(sqrtPriceX96), sqrtPriceX96, "R: sqrt price outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO)");
        }

        var ratio = sqrtPriceX96 << 32;
        var msb = (int)ratio.GetBitLength() - 1;
        var r = msb >= 128 ? ratio >> (msb - 127) : ratio << (127 - msb);
        var log2 = new BigInteger(msb - 128) << 64;

        // 14 squaring steps: fractional bits 63 down to 50 of log2, as the contract's assembly blocks.
        for (var bit = 63; bit >= 50; bit--)
        {
            r = (r * r) >> 127;
            var f = (int)(r >> 128);
            log2 |= new BigInteger(f) << bit;
            r >>= f;
        }

        var logSqrt10001 = log2 * LogSqrt10001Factor;
        // int256 >> is arithmetic in Solidity, as is BigInteger's >>.
        var tickLow = (int)((logSqrt10001 - TickLowOffset) >> 128);
        var tickHi = (int)((logSqrt10001 + TickHiOffset) >> 128);
        if (tickLow == tickHi)
        {
            return tickLow;
        }

        return GetSqrtRatioAtTickReference(tickHi) <= sqrtPriceX96 ? tickHi : tickLow;
    }

    /// <summary>GetTickAtSqrtRatio with the price clamped into the accepted range (for V2 display ticks).</summary>
    public static int GetTickAtSqrtRatioClamped(BigInteger sqrtPriceX96)
    {
        if (sqrtPriceX96 < MinSqrtRatio)
        {
            return MinTick;
        }

        return sqrtPriceX96 >= MaxSqrtRatio ? MaxTick - 1 : GetTickAtSqrtRatio(sqrtPriceX96);
    }

    private static readonly UInt128[] Multipliers128 = Multipliers.Select(m => (UInt128)m).ToArray();
    private static readonly UInt128 Bit0Multiplier128 = (UInt128)Bit0Multiplier;

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static BigInteger Parse(string dec) => BigInteger.Parse(dec, CultureInfo.InvariantCulture);
}
