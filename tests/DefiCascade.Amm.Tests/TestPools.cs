using System.Globalization;
using System.Numerics;
using DefiCascade.Amm.V2;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Amm.Tests;

/// <summary>Builders for test pools: a position list becomes a tick book with consistent liquidity.</summary>
internal static class TestPools
{
    public static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    public static readonly Token Weth = new("WETH", Address.FromNumber(1, 1), 18);
    public static readonly Token Usdc = new("USDC", Address.FromNumber(1, 2), 18);
    public static readonly Address PoolAddress = Address.FromNumber(2, 1);

    public static BigInteger Big(string digits) => BigInteger.Parse(digits, CultureInfo.InvariantCulture);

    public static UniswapV2Pool NewV2(BigInteger r0, BigInteger r1) => new UniswapV2Pool(PoolAddress, Weth, Usdc, r0, r1);

    public readonly record struct Position(int Lower, int Upper, BigInteger Liquidity);

    /// <summary>A V3 pool at the given price whose book is the sum of the positions (active liquidity derived).</summary>
    public static UniswapV3Pool NewV3(int fee, int spacing, BigInteger sqrtPriceX96, IEnumerable<Position> positions, int? tick = null, int? bookLower = null, int? bookUpper = null)
    {
        var net = new SortedDictionary<int, BigInteger>();
        var gross = new SortedDictionary<int, BigInteger>();
        var t = tick ?? TickMath.GetTickAtSqrtRatio(sqrtPriceX96);
        var active = BigInteger.Zero;
        foreach (var p in positions)
        {
            net[p.Lower] = net.GetValueOrDefault(p.Lower) + p.Liquidity;
            net[p.Upper] = net.GetValueOrDefault(p.Upper) - p.Liquidity;
            gross[p.Lower] = gross.GetValueOrDefault(p.Lower) + p.Liquidity;
            gross[p.Upper] = gross.GetValueOrDefault(p.Upper) + p.Liquidity;
            if (p.Lower <= t && t < p.Upper)
            {
                active += p.Liquidity;
            }
        }

        var ticks = net.Select(kv => new TickSnapshot(kv.Key, kv.Value, gross[kv.Key])).ToList();
        return new UniswapV3Pool(PoolAddress, Weth, Usdc, fee, spacing, sqrtPriceX96, t, active, ticks, bookLower, bookUpper);
    }

    public static UniswapV3Pool NewV3AtTick(int fee, int spacing, int tick, IEnumerable<Position> positions) =>
        NewV3(fee, spacing, TickMath.GetSqrtRatioAtTick(tick), positions);

    /// <summary>A random pool book: a few positions around the current tick, aligned to the spacing.</summary>
    public static UniswapV3Pool RandomV3Pool(Random rng)
    {
        var (fee, spacing) = rng.Next(4) switch { 0 => (100, 1), 1 => (500, 10), 2 => (3000, 60), _ => (10000, 200) };
        var center = rng.Next(-50_000, 50_000);
        var positions = new List<Position>();
        var count = rng.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            var width = spacing * rng.Next(1, 600);
            var lower = Align(center + (spacing * rng.Next(-400, 100)), spacing);
            var upper = Math.Min(lower + width, Align(TickMath.MaxTick, spacing));
            var liquidity = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.Next(1, 1_000_000);
            positions.Add(new Position(lower, upper, liquidity));
        }

        if (rng.Next(3) == 0)
        {
            positions.Add(new Position(Align(TickMath.MinTick, spacing) + spacing, Align(TickMath.MaxTick, spacing), new BigInteger(rng.NextInt64(1, long.MaxValue))));
        }

        // price sometimes exactly on a tick, usually strictly inside
        var sqrt = rng.Next(4) == 0
            ? TickMath.GetSqrtRatioAtTick(Align(center, spacing))
            : TickMath.GetSqrtRatioAtTick(center) + new BigInteger(rng.NextInt64(0, long.MaxValue));
        return NewV3(fee, spacing, sqrt, positions);
    }

    public static BigInteger RandomAmount(Random rng, int maxDigits)
    {
        var digits = rng.Next(1, maxDigits + 1);
        var value = BigInteger.Zero;
        for (var i = 0; i < digits; i++)
        {
            value = (value * 10) + rng.Next(10);
        }

        return value.IsZero ? BigInteger.One : value;
    }

    private static int Align(int tick, int spacing)
    {
        var c = tick / spacing;
        if (tick < 0 && tick % spacing != 0)
        {
            c--;
        }

        var aligned = c * spacing;
        return aligned < TickMath.MinTick ? aligned + spacing : aligned;
    }
}
