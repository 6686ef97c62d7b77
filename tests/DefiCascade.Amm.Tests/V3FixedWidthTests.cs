using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Math;
using Xunit.Abstractions;

namespace DefiCascade.Amm.Tests;

/// <summary>
/// The swap walk's 256-bit words (<see cref="U256"/>) against the BigInteger V3 math, which the chain tests hold to
/// the deployed contracts: every result equal, and where the BigInteger method throws (a revert), the word method
/// throws the same exception type. Inputs are seeded and mix the ranges a pool meets with the edges of each type.
/// </summary>
public class V3FixedWidthTests(ITestOutputHelper output)
{
    private const int Seed = 9_001;
    private const int Rounds = 20_000;

    [Fact]
    public void Price_and_amount_math_matches_the_BigInteger_methods()
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        var (results, reverts) = (0, 0);
        for (var k = 0; k < Rounds; k++)
        {
            var sqrtA = SqrtPrice(random);
            var sqrtB = SqrtPrice(random);
            var liquidity = Liquidity(random);
            var amount = Amount(random);
            var flag = random.Next(2) == 0;
            var (a, b, l, x) = (U256.From(sqrtA), U256.From(sqrtB), (UInt128)liquidity, U256.From(amount));
            var where = $"round {k}: sqrtA {sqrtA}, sqrtB {sqrtB}, L {liquidity}, amount {amount}, flag {flag}";

            Same(() => SqrtPriceMath.GetAmount0Delta(sqrtA, sqrtB, liquidity, flag), () => SqrtPriceMath.GetAmount0Delta(a, b, l, flag), where + " amount0", ref results, ref reverts);
            Same(() => SqrtPriceMath.GetAmount1Delta(sqrtA, sqrtB, liquidity, flag), () => SqrtPriceMath.GetAmount1Delta(a, b, l, flag), where + " amount1", ref results, ref reverts);
            Same(() => SqrtPriceMath.GetNextSqrtPriceFromInput(sqrtA, liquidity, amount, flag), () => SqrtPriceMath.GetNextSqrtPriceFromInput(a, l, x, flag), where + " from input", ref results, ref reverts);
            Same(() => SqrtPriceMath.GetNextSqrtPriceFromOutput(sqrtA, liquidity, amount, flag), () => SqrtPriceMath.GetNextSqrtPriceFromOutput(a, l, x, flag), where + " from output", ref results, ref reverts);
        }

        output.WriteLine($"{results} equal results, {reverts} equal reverts");
        // the mix reaches both sides: results, and the reverts of outputs beyond the reserves.
        Assert.True(results > Rounds && reverts > Rounds / 100, $"{results} results, {reverts} reverts");
    }

    [Fact]
    public void Swap_steps_match_the_BigInteger_method()
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed + 1);
        var (results, reverts, reached) = (0, 0, 0);
        for (var k = 0; k < Rounds; k++)
        {
            var sqrtP = SqrtPrice(random);
            var target = random.Next(4) == 0 ? sqrtP : SqrtPrice(random);
            var liquidity = random.Next(20) == 0 ? BigInteger.Zero : Liquidity(random);
            var amount = BigInteger.Max(BigInteger.One, Amount(random));
            var exactIn = random.Next(2) == 0;
            var fee = random.Next(5) switch { 0 => 0, 1 => 100, 2 => 500, 3 => 3000, _ => random.Next(0, 1_000_000) };
            var where = $"round {k}: sqrtP {sqrtP}, target {target}, L {liquidity}, amount {amount}, exactIn {exactIn}, fee {fee}";

            SwapStepResult expected;
            try
            {
                expected = SwapMath.ComputeSwapStep(sqrtP, target, liquidity, exactIn ? amount : -amount, fee);
            }
            catch (Exception e) when (e is OverflowException or DivideByZeroException or ArgumentOutOfRangeException)
            {
                var thrown = Record.Exception(() => SwapMath.ComputeSwapStep(U256.From(sqrtP), U256.From(target), (UInt128)liquidity, U256.From(amount), exactIn, fee));
                Assert.True(thrown?.GetType() == e.GetType(), $"{where}: reference threw {e.GetType().Name}, words {thrown?.GetType().Name ?? "nothing"}");
                reverts++;
                continue;
            }

            var step = SwapMath.ComputeSwapStep(U256.From(sqrtP), U256.From(target), (UInt128)liquidity, U256.From(amount), exactIn, fee);
            Assert.True(
                ((BigInteger)step.SqrtPriceNextX96, (BigInteger)step.AmountIn, (BigInteger)step.AmountOut, (BigInteger)step.FeeAmount)
                    == (expected.SqrtPriceNextX96, expected.AmountIn, expected.AmountOut, expected.FeeAmount),
                $"{where}: words {step} vs reference {expected}");
            results++;
            reached += expected.SqrtPriceNextX96 == target ? 1 : 0;
        }

        output.WriteLine($"{results} equal steps ({reached} reached their target), {reverts} equal reverts");
        Assert.True(results > Rounds / 2 && reached > Rounds / 10 && results - reached > Rounds / 10, $"{results} steps, {reached} reached");
    }

    [Fact]
    public void Tick_math_matches_the_BigInteger_methods()
    {
        var random = new Random(Seed + 2);
        for (var k = 0; k < Rounds; k++)
        {
            var tick = k switch { 0 => TickMath.MinTick, 1 => TickMath.MaxTick, 2 => 0, 3 => -1, 4 => 1, _ => random.Next(TickMath.MinTick, TickMath.MaxTick + 1) };
            var ratio = TickMath.GetSqrtRatioAtTick(tick);
            Assert.Equal(ratio, (BigInteger)TickMath.GetSqrtRatioAtTickWord(tick));

            // on a tick's ratio, one below it, and strictly between it and the next.
            foreach (var price in new[] { ratio, ratio - 1, ratio + 1, ratio + ((TickMath.GetSqrtRatioAtTick(Math.Min(tick + 1, TickMath.MaxTick)) - ratio) / 2) })
            {
                if (price < TickMath.MinSqrtRatio || price >= TickMath.MaxSqrtRatio)
                {
                    Assert.Throws<ArgumentOutOfRangeException>(() => TickMath.GetTickAtSqrtRatio(U256.From(price)));
                    continue;
                }

                Assert.True(TickMath.GetTickAtSqrtRatioReference(price) == TickMath.GetTickAtSqrtRatio(U256.From(price)), $"tick {tick}, price {price}");
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => TickMath.GetSqrtRatioAtTickWord(TickMath.MaxTick + 1));
    }

    private static void Same(Func<BigInteger> reference, Func<U256> words, string where, ref int results, ref int reverts)
    {
        BigInteger expected;
        try
        {
            expected = reference();
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException or ArgumentOutOfRangeException)
        {
            var thrown = Record.Exception(() => words());
            Assert.True(thrown?.GetType() == e.GetType(), $"{where}: reference threw {e.GetType().Name}, words {thrown?.GetType().Name ?? "nothing"}");
            reverts++;
            return;
        }

        Assert.Equal(expected, (BigInteger)words());
        results++;
    }

    // Mostly pool-like prices (ticks within +-200k), sometimes the range's edges.
    private static BigInteger SqrtPrice(Random random) => random.Next(10) switch
    {
        0 => TickMath.MinSqrtRatio + random.Next(0, 1000),
        1 => TickMath.MaxSqrtRatio - 1 - random.Next(0, 1000),
        _ => TickMath.GetSqrtRatioAtTick(random.Next(-200_000, 200_000)) + random.NextInt64(-1_000_000, 1_000_000),
    };

    // uint128: uniform on bit length, with the edges.
    private static BigInteger Liquidity(Random random) => random.Next(12) switch
    {
        0 => BigInteger.One,
        1 => LiquidityMath.Uint128Max,
        _ => RandomBits(random, random.Next(1, 129)),
    };

    // Below 2^255 (the pool's range for amounts): uniform on bit length.
    private static BigInteger Amount(Random random) => random.Next(20) == 0 ? BigInteger.Zero : RandomBits(random, random.Next(1, 256));

    private static BigInteger RandomBits(Random random, int bits)
    {
        var bytes = new byte[(bits / 8) + 2];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        var value = new BigInteger(bytes) & ((BigInteger.One << bits) - 1);
        return value | (BigInteger.One << (bits - 1));
    }
}
