using System.Globalization;
using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;
using DefiCascade.Chain.Testing;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// Swaps that drain a pool's whole book and go on into the empty range beyond it, where UniswapV3Pool.swap loops
/// word by word with liquidity 0 to the price limit: the model must land on the same slot0 (sqrtPriceX96, tick) and
/// liquidity, and charge the same amounts, at every fee tier.
/// </summary>
public sealed partial class UniswapV3DifferentialTests
{
    /// <summary>Gas for a walk of ~3,600 empty bitmap words (spacing 1, MIN_TICK to MAX_TICK); the node allows 1e9 a block.</summary>
    private const ulong DryWalkGas = 400_000_000;

    [Theory]
    [InlineData(100, -30_000)]
    [InlineData(500, 12_340)]
    [InlineData(3000, 6_000)]
    [InlineData(10000, -40_000)]
    public async Task Swaps_past_the_last_range_land_where_the_pool_does(int fee, int center)
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = await AttachAsync(node, accounts[0]);
        var s = V3World.Spacings[fee];
        var word = 256 * s;
        var (a, b) = (TickMath.GetSqrtRatioAtTick(center), TickMath.GetSqrtRatioAtTick(center + 1));
        var start = a + ((b - a) / 3);
        var p = await world.CreatePoolAsync(accounts[1], fee, start, Mint);

        // three ranges with gaps between them: [c-70s, c-50s), [c-20s, c+20s) around the price, [c+40s, c+60s).
        var e18 = BigInteger.Pow(10, 18);
        (int Lower, int Upper, BigInteger L)[] ranges =
            [(center - (70 * s), center - (50 * s), 3 * e18), (center - (20 * s), center + (20 * s), 50 * e18), (center + (40 * s), center + (60 * s), 7 * e18)];
        foreach (var (lower, upper, liquidity) in ranges)
        {
            var (sa, sb) = (TickMath.GetSqrtRatioAtTick(lower), TickMath.GetSqrtRatioAtTick(upper));
            var amount0 = start < sb ? SqrtPriceMath.GetAmount0Delta(BigInteger.Max(start, sa), sb, liquidity, true) + 1 : BigInteger.Zero;
            var amount1 = start > sa ? SqrtPriceMath.GetAmount1Delta(sa, BigInteger.Min(start, sb), liquidity, true) + 1 : BigInteger.Zero;
            await world.MintAsync(p, lower, upper, amount0, amount1);
        }

        var boundaries = ranges.SelectMany(r => new[] { r.Lower, r.Upper }).ToArray();
        var (lowest, highest) = (boundaries.Min(), boundaries.Max());
        var model = await ModelAsync(p, boundaries);
        Assert.Equal(6, model.Book.Count);

        int WordStart(int tick) => Floor(tick, word);
        var swaps = new (bool ZeroForOne, bool ExactInput, BigInteger? Limit, string What)[]
        {
            (true, true, null, "down, no limit: to MIN_SQRT_RATIO + 1"),
            (false, true, TickMath.GetSqrtRatioAtTick(WordStart(highest) + (2 * word)), "up to a limit on a word start"),
            (true, false, TickMath.GetSqrtRatioAtTick(WordStart(lowest - 1) - word), "down, exact out, to a limit on the second word start below the book"),
            (false, false, TickMath.GetSqrtRatioAtTick(highest + 1000) + 12345, "up, exact out, to a limit inside a tick"),
            (true, true, TickMath.GetSqrtRatioAtTick(WordStart(lowest - 1)), "down to the first word start below the book"),
            (false, true, null, "up, no limit: to MAX_SQRT_RATIO - 1"),
            (true, true, TickMath.GetSqrtRatioAtTick(lowest - 7), "down to a tick inside the first empty word"),
            (false, true, TickMath.GetSqrtRatioAtTick(WordStart(highest) + word - s), "up to a word's last tick"),
        };

        var (balance0, balance1) = await V3World.TraderBalancesAsync(p);
        var seen = new List<string>();
        foreach (var (zeroForOne, exactInput, limit, what) in swaps)
        {
            var request = new SwapRequest(zeroForOne, Huge, exactInput, limit);
            var result = model.Swap(request);
            Assert.Equal(SwapStop.OutOfLiquidity, result.Stop);
            await world.SwapAsync(p, zeroForOne, exactInput, Huge, limit, DryWalkGas);
            var (after0, after1) = await V3World.TraderBalancesAsync(p);
            var (chainIn, chainOut) = zeroForOne ? (balance0 - after0, after1 - balance1) : (balance1 - after1, after0 - balance0);
            (balance0, balance1) = (after0, after1);
            var slot = await V3World.SlotAsync(p);
            var line = $"fee {fee}, {what}: chain in {chainIn} out {chainOut} -> {slot}; model in {result.AmountIn} out {result.AmountOut} -> "
                + $"{new V3Slot(result.SqrtPriceX96After, result.TickAfter, result.LiquidityAfter)}";
            seen.Add(line);
            Assert.True(
                (chainIn, chainOut) == (result.AmountIn, result.AmountOut) && slot == new V3Slot(result.SqrtPriceX96After, result.TickAfter, result.LiquidityAfter),
                string.Join(Environment.NewLine, seen));
            Assert.True(chainIn > 0 && chainOut > 0, line); // every swap crossed the whole book
            Assert.Equal(BigInteger.Zero, slot.Liquidity);
            Assert.Equal(limit ?? (zeroForOne ? TickMath.MinSqrtRatio + 1 : TickMath.MaxSqrtRatio - 1), slot.SqrtPriceX96);
        }

        // the word-start case really left tick = boundary - 1 on the chain (and the rebuilt model agrees with the carried one).
        var fresh = await ModelAsync(p, boundaries);
        Assert.Equal((fresh.SqrtPriceX96, fresh.Tick, fresh.Liquidity), (model.SqrtPriceX96, model.Tick, model.Liquidity));
        Assert.Contains(seen, l => l.Contains("second word start", StringComparison.Ordinal)
            && l.Contains(string.Create(CultureInfo.InvariantCulture, $"Tick = {WordStart(lowest - 1) - word - 1}"), StringComparison.Ordinal));
    }
}
