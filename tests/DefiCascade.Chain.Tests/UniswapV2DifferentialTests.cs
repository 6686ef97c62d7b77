using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V2;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// DefiCascade.Amm's UniswapV2Pool against the real UniswapV2Pair bytecode (v2-core 1.0.1), to the wei. Each swap:
/// transfer the model's input in, check that one wei more output than the model pays is refused ("UniswapV2: K",
/// so the model pays the maximum), swap the model's output, then compare reserves and the trader's balance.
/// </summary>
[Collection(V2WorldCollection.Name)]
public sealed class UniswapV2DifferentialTests(ChainWorldFixture anvil, ITestOutputHelper output)
{
    private const int DefaultSeed = 20260301;
    private const int Pairs = 8;
    private const int SwapsPerPair = 128;
    // far above uint112 (~5.2e33): a trader never runs dry before a reserve hits the pair's cap.
    private static readonly BigInteger Mint = BigInteger.Pow(10, 40);

    [Fact]
    public async Task Observed_chain_vector_1000_2000_pays_19_743160687941225977()
    {
        var world = V2World.Attach(anvil.Eth, anvil.Accounts[0], anvil.World.V2);
        var p = await world.CreatePairAsync(anvil.Accounts[9], Mint);
        var e18 = BigInteger.Pow(10, 18);

        // token0 holds 1000, token1 2000; 10 token0 in.
        await V2World.AddLiquidityAsync(p, 1000 * e18, 2000 * e18);
        var model = new UniswapV2Pool(p.Pair.Address, Tok(p.Token0), Tok(p.Token1), 1000 * e18, 2000 * e18);
        var result = model.Swap(new SwapRequest(ZeroForOne: true, 10 * e18, ExactInput: true));
        Assert.Equal(BigInteger.Parse("19743160687941225977", CultureInfo.InvariantCulture), result.AmountOut);

        await p.Token0.SendWithGasAsync(p.Trader, V2World.Gas, "transfer", p.Pair.Address, 10 * e18);
        await p.Pair.SendWithGasAsync(p.Trader, V2World.Gas, "swap", BigInteger.Zero, result.AmountOut, p.Trader, Array.Empty<byte>());
        Assert.Equal((model.Reserve0, model.Reserve1), await V2World.ReservesAsync(p));
    }

    [Fact]
    public async Task Model_matches_the_pair_to_the_wei_over_seeded_random_swaps()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEFICASCADE_CHAIN_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"seed {seed} (set DEFICASCADE_CHAIN_SEED to replay another)");
        var clock = Stopwatch.StartNew();
        var world = V2World.Attach(anvil.Eth, anvil.Accounts[0], anvil.World.V2);

        // pairs are created one after another (one deployer nonce); swaps then run per pair in parallel, each pair with
        // its own trader account, so transactions of different pairs never share a nonce.
        var pairs = new List<V2Pair>();
        for (var i = 0; i < Pairs; i++)
        {
            pairs.Add(await world.CreatePairAsync(anvil.Accounts[1 + i], Mint));
        }

        var mismatches = new ConcurrentQueue<string>();
        int[] counts;
        try
        {
            counts = await Task.WhenAll(pairs.Select((p, i) => RunPairAsync(p, new Random(seed + i), i, mismatches)));
        }
        catch (Exception e) when (e is ContractRevertException or InvalidOperationException)
        {
            throw new InvalidOperationException($"V2 differential with seed {seed} stopped: {e.Message}", e);
        }

        var total = counts.Sum();
        var summary = $"V2 differential: {total} swaps, {mismatches.Count} mismatches ({Pairs} pairs, seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s)";
        output.WriteLine(summary);
        output.WriteLine($"once-per-run world: {anvil.World.StateBytes} bytes of state, built in {anvil.World.BuildTime.TotalSeconds:0.0} s");
        Assert.True(mismatches.IsEmpty, summary + Environment.NewLine + string.Join(Environment.NewLine, mismatches.Take(10)));
        Assert.True(total >= 1000, summary);
    }

    private static async Task<int> RunPairAsync(V2Pair p, Random random, int index, ConcurrentQueue<string> mismatches)
    {
        // pair 0 starts at dust, the others anywhere from 1e4 to 1e30 per side (independently: wild prices too).
        var (r0, r1) = index == 0 ? (RandomAmount(random, 3.5, 5), RandomAmount(random, 3.5, 5)) : (RandomAmount(random, 4, 30), RandomAmount(random, 4, 30));
        await V2World.AddLiquidityAsync(p, r0, r1);
        var pool = await ModelAsync(p);
        var balance0 = Mint - r0;
        var balance1 = Mint - r1;
        for (var n = 0; n < SwapsPerPair; n++)
        {
            if (n > 0 && n % 32 == 0)
            {
                // re-seed: fresh liquidity at a random scale moves the pair to a new depth and price.
                // at least 1% of the reserve and a tilted ratio: the pair mints liquidity only in proportion to both sides.
                var a0 = BigInteger.Max(RandomAmount(random, 3, 29), pool.Reserve0 / 100 + 1);
                var a1 = BigInteger.Max(BigInteger.One, Scale(pool.Reserve1 * a0 / pool.Reserve0, Math.Pow(10, random.NextDouble() - 0.5)));
                await V2World.AddLiquidityAsync(p, a0, a1);
                (balance0, balance1) = (balance0 - a0, balance1 - a1);
                var expected = (pool.Reserve0 + a0, pool.Reserve1 + a1);
                var after = await V2World.ReservesAsync(p);
                Check(mismatches, expected == after, $"pair {index} re-seed {n}: reserves {after}, expected {expected}");
                pool = await ModelAsync(p);
            }

            var zeroForOne = random.Next(2) == 0;
            var exactInput = random.Next(2) == 0;
            var reserveIn = zeroForOne ? pool.Reserve0 : pool.Reserve1;
            var reserveOut = zeroForOne ? pool.Reserve1 : pool.Reserve0;

            // sizes from 1e-9 of the reserve to 10x it (exact in) or to 99.9% of the other side (exact out).
            var amount = exactInput
                ? BigInteger.Max(BigInteger.One, Scale(reserveIn, Math.Pow(10, -9 + (10 * random.NextDouble()))))
                : BigInteger.Max(BigInteger.One, Scale(reserveOut, Math.Pow(10, -9 + (8.9996 * random.NextDouble()))));
            if (!exactInput && amount >= reserveOut)
            {
                amount = reserveOut - 1;
            }

            var where = $"pair {index} swap {n} ({(zeroForOne ? "0->1" : "1->0")}, {(exactInput ? "exact in" : "exact out")} {amount}, reserves {pool.Reserve0}:{pool.Reserve1})";
            var tokenIn = zeroForOne ? p.Token0 : p.Token1;
            var tokenOut = zeroForOne ? p.Token1 : p.Token0;
            var result = pool.Swap(new SwapRequest(zeroForOne, amount, exactInput));
            if (result.AmountOut.IsZero)
            {
                // dust: the model pays nothing; the pair must refuse even one wei for this input, and skim returns it.
                await tokenIn.SendWithGasAsync(p.Trader, V2World.Gas, "transfer", p.Pair.Address, amount);
                Check(mismatches, await RefusesAsync(p, zeroForOne, BigInteger.One), $"{where}: the pair pays 1 wei where the model pays 0");
                await p.Pair.SendWithGasAsync(p.Trader, V2World.Gas, "skim", p.Trader);
                continue;
            }

            await tokenIn.SendWithGasAsync(p.Trader, V2World.Gas, "transfer", p.Pair.Address, result.AmountIn);
            if (result.AmountOut + 1 < reserveOut && exactInput)
            {
                Check(mismatches, await RefusesAsync(p, zeroForOne, result.AmountOut + 1), $"{where}: the pair also pays {result.AmountOut + 1}, the model only {result.AmountOut}");
            }

            var (out0, out1) = zeroForOne ? (BigInteger.Zero, result.AmountOut) : (result.AmountOut, BigInteger.Zero);
            try
            {
                await p.Pair.SendWithGasAsync(p.Trader, V2World.Gas, "swap", out0, out1, p.Trader, Array.Empty<byte>());
            }
            catch (ContractRevertException e)
            {
                mismatches.Enqueue($"{where}: the pair refused the model's swap ({result.AmountIn} in, {result.AmountOut} out): {e.Message}");
                await p.Pair.SendWithGasAsync(p.Trader, V2World.Gas, "skim", p.Trader);
                pool = await ModelAsync(p);
                continue;
            }

            (balance0, balance1) = zeroForOne
                ? (balance0 - result.AmountIn, balance1 + result.AmountOut)
                : (balance0 + result.AmountOut, balance1 - result.AmountIn);
            var reserves = await V2World.ReservesAsync(p);
            var received = await tokenOut.CallUIntAsync("balanceOf", p.Trader);
            Check(mismatches, reserves == (pool.Reserve0, pool.Reserve1), $"{where}: pair reserves {reserves}, model {(pool.Reserve0, pool.Reserve1)}");
            Check(mismatches, received == (zeroForOne ? balance1 : balance0), $"{where}: trader holds {received}, model expects {(zeroForOne ? balance1 : balance0)}");
            if (reserves != (pool.Reserve0, pool.Reserve1))
            {
                pool = await ModelAsync(p);
            }
        }

        return SwapsPerPair;
    }

    private static async Task<bool> RefusesAsync(V2Pair p, bool zeroForOne, BigInteger amountOut)
    {
        var (out0, out1) = zeroForOne ? (BigInteger.Zero, amountOut) : (amountOut, BigInteger.Zero);
        try
        {
            await p.Pair.CallAsync("swap", out0, out1, p.Trader, Array.Empty<byte>());
            return false;
        }
        catch (ContractRevertException e) when (e.Reason is "UniswapV2: K" or "UniswapV2: INSUFFICIENT_LIQUIDITY")
        {
            return true;
        }
    }

    private static void Check(ConcurrentQueue<string> mismatches, bool ok, string what)
    {
        if (!ok)
        {
            mismatches.Enqueue(what);
        }
    }

    private static async Task<UniswapV2Pool> ModelAsync(V2Pair p)
    {
        var (r0, r1) = await V2World.ReservesAsync(p);
        return new UniswapV2Pool(p.Pair.Address, Tok(p.Token0), Tok(p.Token1), r0, r1);
    }

    private static Token Tok(Contract c) => new("T", c.Address, 18);

    /// <summary>10^x for x uniform in [lo, hi): log-uniform amounts from dust to whale.</summary>
    private static BigInteger RandomAmount(Random random, double lo, double hi) =>
        new(Math.Pow(10, lo + ((hi - lo) * random.NextDouble())));

    /// <summary>value * factor, exact enough for picking a test size (the size itself is then used as an integer).</summary>
    private static BigInteger Scale(BigInteger value, double factor) =>
        value * new BigInteger(factor * 1e15) / BigInteger.Pow(10, 15);
}
