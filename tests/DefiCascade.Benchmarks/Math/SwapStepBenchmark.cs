using System.Numerics;
using BenchmarkDotNet.Attributes;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Math;

namespace DefiCascade.Benchmarks.Math;

/// <summary>
/// SwapMath.computeSwapStep on BigInteger (the reference the chain tests hold to the contracts) against its
/// twin on 256-bit words (<see cref="U256"/>, what the swap walk runs), side by side on the same 256 seeded
/// steps: pool-like prices (ticks within +-200k), liquidity and amounts uniform in bit length, exact input
/// and exact output, the common fee tiers. V3FixedWidthTests hold the two to the same results.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class SwapStepBenchmark
{
    private const int Steps = 256;
    private readonly (BigInteger Price, BigInteger Target, BigInteger Liquidity, BigInteger Amount, bool ExactIn, int Fee)[] _big = new (BigInteger, BigInteger, BigInteger, BigInteger, bool, int)[Steps];
    private readonly (U256 Price, U256 Target, UInt128 Liquidity, U256 Amount, bool ExactIn, int Fee)[] _words = new (U256, U256, UInt128, U256, bool, int)[Steps];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2026_12_07);
        var fees = new[] { 100, 500, 3000, 10_000 };
        for (var k = 0; k < Steps; k++)
        {
            var price = TickMath.GetSqrtRatioAtTick(random.Next(-200_000, 200_000));
            var target = TickMath.GetSqrtRatioAtTick(TickMath.GetTickAtSqrtRatio(price) + random.Next(-2_000, 2_000));
            var liquidity = Bits(random, random.Next(40, 129));
            var amount = Bits(random, random.Next(20, 129));
            var exactIn = random.Next(2) == 0;
            var fee = fees[random.Next(fees.Length)];
            _big[k] = (price, target, liquidity, amount, exactIn, fee);
            _words[k] = (U256.From(price), U256.From(target), (UInt128)liquidity, U256.From(amount), exactIn, fee);
        }
    }

    [Benchmark(Baseline = true, Description = "256 swap steps, BigInteger")]
    public BigInteger BigIntegerSteps()
    {
        var sum = BigInteger.Zero;
        foreach (var (price, target, liquidity, amount, exactIn, fee) in _big)
        {
            sum += SwapMath.ComputeSwapStep(price, target, liquidity, exactIn ? amount : -amount, fee).AmountOut;
        }

        return sum;
    }

    [Benchmark(Description = "256 swap steps, U256 words")]
    public U256 WordSteps()
    {
        var sum = U256.Zero;
        foreach (var (price, target, liquidity, amount, exactIn, fee) in _words)
        {
            sum = U256.Add(sum, SwapMath.ComputeSwapStep(price, target, liquidity, amount, exactIn, fee).AmountOut, out _);
        }

        return sum;
    }

    private static BigInteger Bits(Random random, int bits)
    {
        var bytes = new byte[(bits / 8) + 2];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        return (new BigInteger(bytes) & ((BigInteger.One << bits) - 1)) | (BigInteger.One << (bits - 1));
    }
}
