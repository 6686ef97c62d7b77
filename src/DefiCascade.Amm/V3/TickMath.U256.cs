using DefiCascade.Core.Math;

namespace DefiCascade.Amm.V3;

/// <summary>TickMath on <see cref="U256"/>: the same ticks and ratios as the BigInteger methods (V3FixedWidthTests).</summary>
public static partial class TickMath
{
    public static readonly U256 MinSqrtRatioWord = U256.From(MinSqrtRatio);
    public static readonly U256 MaxSqrtRatioWord = U256.From(MaxSqrtRatio);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, U256> SqrtRatioWordCache = new();
    private static readonly double Ln2Times96 = 96 * Math.Log(2);
    private static readonly double LnSqrt10001 = Math.Log(1.0001) / 2;

    /// <summary>getSqrtRatioAtTick as a <see cref="U256"/>; reverts ("T") when |tick| &gt; MAX_TICK.</summary>
    public static U256 GetSqrtRatioAtTickWord(int tick)
    {
        if (tick < MinTick || tick > MaxTick)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "T: tick outside [MIN_TICK, MAX_TICK]");
        }

        return SqrtRatioWordCache.GetOrAdd(tick, ComputeSqrtRatioAtTickWord);
    }

    private static U256 ComputeSqrtRatioAtTickWord(int tick)
    {
        var absTick = tick < 0 ? -tick : tick;
        var ratio = (absTick & 1) != 0 ? Bit0Multiplier128 : UInt128.MaxValue;
        var one = (absTick & 1) == 0;
        for (var i = 0; i < Multipliers128.Length; i++)
        {
            if ((absTick & (2 << i)) != 0)
            {
                ratio = one ? Multipliers128[i] : MulHigh(ratio, Multipliers128[i]);
                one = false;
            }
        }

        var full = one ? U256.One << 128 : (U256)ratio;
        if (tick > 0)
        {
            full = U256.MaxValue / full;
        }

        return (full >> 32) + ((full.Limb(0) & 0xFFFFFFFFUL) == 0 ? U256.Zero : U256.One);
    }

    /// <summary>getTickAtSqrtRatio on a <see cref="U256"/>: a float estimate settled by exact comparisons; reverts ("R") outside the range.</summary>
    public static int GetTickAtSqrtRatio(U256 sqrtPriceX96)
    {
        if (sqrtPriceX96 < MinSqrtRatioWord || sqrtPriceX96 >= MaxSqrtRatioWord)
        {
            throw new ArgumentOutOfRangeException(nameof(sqrtPriceX96), sqrtPriceX96.ToString(), "R: sqrt price outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO)");
        }

        var estimate = (Math.Log(sqrtPriceX96.ToDouble()) - Ln2Times96) / LnSqrt10001;
        var tick = (int)Math.Clamp(Math.Floor(estimate), MinTick, MaxTick - 1);
        while (tick > MinTick && GetSqrtRatioAtTickWord(tick) > sqrtPriceX96)
        {
            tick--;
        }

        while (tick + 1 < MaxTick && GetSqrtRatioAtTickWord(tick + 1) <= sqrtPriceX96)
        {
            tick++;
        }

        return tick;
    }
}
