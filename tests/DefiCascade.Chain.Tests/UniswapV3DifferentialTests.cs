using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// DefiCascade.Amm's UniswapV3Pool against the real UniswapV3Pool bytecode (v3-core 1.0.1), to the wei. Each pool gets
/// a random book of many positions (full range, narrow, wide, hugging MIN/MAX_TICK; price inside a range or exactly on
/// an initialized tick) minted through the NonfungiblePositionManager; the model is built from what the pool says
/// (slot0, liquidity, ticks(t) of every minted boundary). Each swap goes through the SwapRouter (exact in or out, with
/// or without a price limit); amounts in and out (the trader's balance deltas), sqrtPriceX96, tick and liquidity after
/// must equal the model's, which applies the same swap. Every 32 swaps the model is rebuilt from the chain and
/// compared with the one carried along.
/// </summary>
public sealed partial class UniswapV3DifferentialTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20260303;
    private const int Pools = 8;
    private const int SwapsPerPool = 128;
    private const int Positions = 40;
    private static readonly int[] Fees = [100, 500, 3000, 10000];
    private static readonly BigInteger Mint = BigInteger.One << 250;
    private static readonly BigInteger Huge = BigInteger.One << 200;

    /// <summary>
    /// Near MIN_TICK the position manager cannot mint a range that needs token0: LiquidityAmounts.getLiquidityForAmount0
    /// computes mulDiv(sqrtA, sqrtB, Q96), which is 0 below tick ~-443,000, so the liquidity is 0 and the pool's
    /// require(amount > 0) reverts. Pools that start near MIN_TICK are therefore initialized here, above every range
    /// near the bottom, minted (token1 only), and swapped down to their start price before the differential begins.
    /// </summary>
    private const int StagingTick = -600_000;

    /// <summary>
    /// Own node per test, started from the once-per-run world (<see cref="ChainWorld"/>) with a block gas limit far
    /// above 30M (eight traders' long tick walks share a block); the world's V3 infrastructure is attached.
    /// </summary>
    private static async Task<V3World> AttachAsync(AnvilNode node, Address deployer) =>
        V3World.Attach(node.Eth, deployer, (await ChainWorld.GetAsync()).V3);

    [Fact]
    public async Task Observed_chain_vector_price_2_full_range_pays_19_743160687941225977()
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = await AttachAsync(node, accounts[0]);
        var e18 = BigInteger.Pow(10, 18);
        var p = await world.CreatePoolAsync(accounts[1], 3000, Sqrt(BigInteger.One << 193), Mint);
        await world.MintAsync(p, -887220, 887220, 1000 * e18, 2000 * e18);
        var model = await ModelAsync(p, [-887220, 887220]);
        Assert.Equal((6931, BigInteger.Parse("1414213562373095048856", CultureInfo.InvariantCulture)), (model.Tick, model.Liquidity));

        var before = await V3World.TraderBalancesAsync(p);
        await world.SwapAsync(p, zeroForOne: true, exactInput: true, 10 * e18, null);
        var after = await V3World.TraderBalancesAsync(p);
        var result = model.Swap(new SwapRequest(true, 10 * e18, true));
        Assert.Equal(BigInteger.Parse("19743160687941225977", CultureInfo.InvariantCulture), after.Balance1 - before.Balance1);
        Assert.Equal((10 * e18, after.Balance1 - before.Balance1), (result.AmountIn, result.AmountOut));
        var slot = await V3World.SlotAsync(p);
        Assert.Equal(6733, slot.Tick);
        Assert.Equal(slot, new V3Slot(model.SqrtPriceX96, model.Tick, model.Liquidity));
    }

    [Fact]
    public async Task Thousand_random_swaps_match_the_real_pool_to_the_wei()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEFICASCADE_CHAIN_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"seed {seed} (set DEFICASCADE_CHAIN_SEED to replay another)");
        var clock = Stopwatch.StartNew();
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = await AttachAsync(node, accounts[0]);

        // pools are created one after another (one deployer nonce); each then has its own trader, so positions and
        // swaps of different pools run in parallel without sharing a nonce.
        var pools = new List<(V3Pool Pool, int Kind, Random Random, BigInteger Start)>();
        for (var i = 0; i < Pools; i++)
        {
            var fee = Fees[i % Fees.Length];
            var kind = (i + (i / Fees.Length)) % 4; // every fee tier gets two different price placements
            var random = new Random(seed + 1 + i);
            var sqrtPrice = StartPrice(random, V3World.Spacings[fee], kind);
            var initial = kind == 1 ? TickMath.GetSqrtRatioAtTick(StagingTick) : sqrtPrice;
            pools.Add((await world.CreatePoolAsync(accounts[1 + i], fee, initial, Mint), kind, random, sqrtPrice));
        }

        var mismatches = new ConcurrentQueue<string>();
        var stats = new Coverage();
        int[] counts;
        try
        {
            counts = await Task.WhenAll(pools.Select((p, i) => RunPoolAsync(world, p.Pool, p.Kind, p.Start, p.Random, i, mismatches, stats)));
        }
        catch (Exception e) when (e is ContractRevertException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"V3 differential with seed {seed} stopped: {e.Message}", e);
        }

        var total = counts.Sum();
        var summary = $"V3 differential: {total} swaps, {mismatches.Count} mismatches ({Pools} pools, seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s)";
        output.WriteLine(summary);
        output.WriteLine(stats.ToString());
        Assert.True(mismatches.IsEmpty, summary + Environment.NewLine + string.Join(Environment.NewLine, mismatches.Take(10)));
        Assert.True(total >= 1000, summary);
        Assert.True(stats.ExactOut > 300 && stats.Limited > 150 && stats.Refused > 5 && stats.EndedOnTick > 10 && stats.MaxCrossed > 25, stats.ToString());
    }

    /// <summary>What the random swaps exercised, so a change of the generator cannot silently make the test easy.</summary>
    private sealed class Coverage
    {
        public int ExactOut;
        public int Limited;
        public int Refused;
        public int EndedOnTick;
        public int Crossed;
        public int MaxCrossed;

        public override string ToString() =>
            $"coverage: {ExactOut} exact out, {Limited} with a price limit, {Refused} refused (SPL), {EndedOnTick} ended on an initialized tick, {Crossed} ticks crossed (max {MaxCrossed} in one swap)";
    }

    private static async Task<int> RunPoolAsync(V3World world, V3Pool p, int kind, BigInteger startPrice, Random random, int index, ConcurrentQueue<string> mismatches, Coverage stats)
    {
        var spacing = p.TickSpacing;
        var (minUsable, maxUsable) = (TickMath.MinTick / spacing * spacing, TickMath.MaxTick / spacing * spacing);
        var boundaries = new List<int>();
        async Task AddAsync(int lower, int upper, BigInteger liquidity, BigInteger sqrtPrice)
        {
            (lower, upper) = (Math.Max(lower, minUsable), Math.Min(upper, maxUsable));
            if (lower >= upper)
            {
                return;
            }

            // the amounts that liquidity needs at this price, plus one wei: the manager mints about that liquidity.
            var (sa, sb) = (TickMath.GetSqrtRatioAtTick(lower), TickMath.GetSqrtRatioAtTick(upper));
            var amount0 = sqrtPrice < sb ? SqrtPriceMath.GetAmount0Delta(BigInteger.Max(sqrtPrice, sa), sb, liquidity, true) + 1 : BigInteger.Zero;
            var amount1 = sqrtPrice > sa ? SqrtPriceMath.GetAmount1Delta(sa, BigInteger.Min(sqrtPrice, sb), liquidity, true) + 1 : BigInteger.Zero;
            await world.MintAsync(p, lower, upper, amount0, amount1);
            boundaries.AddRange([lower, upper]);
        }

        var start = await V3World.SlotAsync(p);
        var center = Floor(TickMath.GetTickAtSqrtRatio(startPrice), spacing);
        await AddAsync(minUsable, maxUsable, RandomAmount(random, 18, 24), start.SqrtPriceX96);
        if (kind == 3)
        {
            // the price sits exactly on `center`: ranges ending and starting there.
            await AddAsync(center - (random.Next(1, 20) * spacing), center, RandomAmount(random, 15, 24), start.SqrtPriceX96);
            await AddAsync(center, center + (random.Next(1, 20) * spacing), RandomAmount(random, 15, 24), start.SqrtPriceX96);
        }

        for (var j = 0; j < Positions; j++)
        {
            var width = random.Next(5) switch { <= 2 => random.Next(1, 6), 3 => random.Next(10, 2000), _ => random.Next(1, 50) } * spacing;
            var lower = random.Next(6) switch
            {
                <= 2 => center + (random.Next(-40, 40) * spacing),
                3 => center - (random.Next(0, width / spacing) * spacing),
                4 => minUsable + (random.Next(0, 20) * spacing),
                _ => maxUsable - (random.Next(0, 20) * spacing) - width,
            };
            await AddAsync(lower, lower + width, RandomAmount(random, 15, 24), start.SqrtPriceX96);
        }

        if (kind == 1)
        {
            // everything near MIN_TICK was minted below the staging price (token1 only); now walk down to the start.
            await world.SwapAsync(p, zeroForOne: true, exactInput: true, Huge, startPrice);
        }

        var model = await ModelAsync(p, boundaries);
        var (balance0, balance1) = await V3World.TraderBalancesAsync(p);
        var done = 0;
        for (var attempt = 0; done < SwapsPerPool && attempt < SwapsPerPool * 3; attempt++)
        {
            if (NextSwap(random, model, minUsable, maxUsable) is not { } request)
            {
                continue;
            }

            var limitText = request.SqrtPriceLimitX96?.ToString(CultureInfo.InvariantCulture) ?? "none";
            var where = $"pool {index} (fee {p.Fee}) swap {done} ({(request.ZeroForOne ? "0->1" : "1->0")}, {(request.ExactInput ? "exact in" : "exact out")} {request.Amount}, "
                + $"limit {limitText}, from sqrtP {model.SqrtPriceX96} tick {model.Tick} L {model.Liquidity})";
            SwapResult result;
            try
            {
                result = model.Swap(request);
            }
            catch (InvalidOperationException e)
            {
                mismatches.Enqueue($"{where}: the model throws {e.Message}");
                model = await ModelAsync(p, boundaries);
                continue;
            }

            try
            {
                await world.SwapAsync(p, request.ZeroForOne, request.ExactInput, request.Amount, request.SqrtPriceLimitX96);
            }
            catch (ContractRevertException e)
            {
                // the model trades nothing exactly when the pool refuses (SPL: limit at or behind the price).
                if (result.AmountIn.IsZero && result.AmountOut.IsZero && e.Reason == "SPL")
                {
                    Interlocked.Increment(ref stats.Refused);
                }
                else
                {
                    mismatches.Enqueue($"{where}: the pool refused ({e.Reason}) what the model did: {result}");
                }

                model = await ModelAsync(p, boundaries);
                continue;
            }

            var (after0, after1) = await V3World.TraderBalancesAsync(p);
            var (chainIn, chainOut) = request.ZeroForOne ? (balance0 - after0, after1 - balance1) : (balance1 - after1, after0 - balance0);
            (balance0, balance1) = (after0, after1);
            var slot = await V3World.SlotAsync(p);
            var ok = (chainIn, chainOut) == (result.AmountIn, result.AmountOut)
                && slot == new V3Slot(result.SqrtPriceX96After, result.TickAfter, result.LiquidityAfter)
                && slot == new V3Slot(model.SqrtPriceX96, model.Tick, model.Liquidity);
            if (!ok)
            {
                mismatches.Enqueue($"{where}: chain in {chainIn} out {chainOut} -> {slot}; model in {result.AmountIn} out {result.AmountOut} -> "
                    + $"sqrtP {result.SqrtPriceX96After} tick {result.TickAfter} L {result.LiquidityAfter} ({result.Stop}, {result.TicksCrossed} crossed)");
            }

            done++;
            Interlocked.Add(ref stats.ExactOut, request.ExactInput ? 0 : 1);
            Interlocked.Add(ref stats.Limited, request.SqrtPriceLimitX96.HasValue ? 1 : 0);
            Interlocked.Add(ref stats.Crossed, result.TicksCrossed);
            lock (stats)
            {
                stats.MaxCrossed = Math.Max(stats.MaxCrossed, result.TicksCrossed);
            }

            var onTick = model.Book.LastAtOrBelow(model.Tick + 1);
            var endedOnTick = onTick >= 0 && TickMath.GetSqrtRatioAtTick(model.Book.TickAt(onTick)) == model.SqrtPriceX96;
            Interlocked.Add(ref stats.EndedOnTick, endedOnTick ? 1 : 0);
            if (!ok || done % 32 == 0)
            {
                var fresh = await ModelAsync(p, boundaries);
                if (ok && (fresh.SqrtPriceX96, fresh.Tick, fresh.Liquidity) != (model.SqrtPriceX96, model.Tick, model.Liquidity))
                {
                    mismatches.Enqueue($"pool {index} after swap {done}: rebuilt from the chain {fresh.SqrtPriceX96}/{fresh.Tick}/{fresh.Liquidity}, carried {model.SqrtPriceX96}/{model.Tick}/{model.Liquidity}");
                }

                model = fresh;
            }
        }

        return done;
    }

    private static BigInteger StartPrice(Random random, int spacing, int kind)
    {
        var (minUsable, maxUsable) = (TickMath.MinTick / spacing * spacing, TickMath.MaxTick / spacing * spacing);
        var tick = kind switch
        {
            0 => random.Next(-50_000, 50_000),
            1 => minUsable + (random.Next(1, 60) * spacing) + random.Next(0, spacing),
            2 => maxUsable - (random.Next(1, 60) * spacing) - random.Next(0, spacing),
            _ => Floor(random.Next(-50_000, 50_000), spacing),
        };
        var a = TickMath.GetSqrtRatioAtTick(tick);
        if (kind == 3)
        {
            return a;
        }

        var b = TickMath.GetSqrtRatioAtTick(tick + 1);
        return a + ((b - a) * random.Next(1, 1_000_000) / 1_000_000);
    }

    private static async Task<UniswapV3Pool> ModelAsync(V3Pool p, IEnumerable<int> boundaries)
    {
        var slot = await V3World.SlotAsync(p);
        var ticks = await V3World.TicksAsync(p, boundaries);
        return new UniswapV3Pool(p.Pool.Address, Tok(p.Token0), Tok(p.Token1), p.Fee, p.TickSpacing, slot.SqrtPriceX96, slot.Tick, slot.Liquidity, ticks);
    }

    private static Token Tok(Contract c) => new("T", c.Address, 18);

    private static int Floor(int tick, int spacing) => (int)Math.Floor(tick / (double)spacing) * spacing;

    /// <summary>10^x for x uniform in [lo, hi): log-uniform amounts from dust to whale.</summary>
    private static BigInteger RandomAmount(Random random, double lo, double hi) =>
        new(Math.Pow(10, lo + ((hi - lo) * random.NextDouble())));

    private static BigInteger Scale(BigInteger value, double factor) =>
        value * new BigInteger(factor * 1e15) / BigInteger.Pow(10, 15);

    /// <summary>floor(sqrt(n)) by Newton's method.</summary>
    private static BigInteger Sqrt(BigInteger n)
    {
        var x = n;
        for (var y = (x + 1) / 2; y < x; y = (x + (n / x)) / 2)
        {
            x = y;
        }

        return x;
    }
}
