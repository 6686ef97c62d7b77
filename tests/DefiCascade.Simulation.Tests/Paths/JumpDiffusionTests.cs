using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Paths;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Paths;

/// <summary>
/// The seeded jump-diffusion: reproducible per seed, and statistically what its parameters say.
/// Statistical tolerances are 4 standard errors of the estimator: a correct generator passes with
/// probability > 99.99% for any seed set, a wrong one (e.g. a missing -vol^2/2, a vol off by 1%,
/// an uncompensated jump) fails. The seeds are fixed, so the result never flickers.
/// </summary>
public class JumpDiffusionTests
{
    private const int HourBlocks = 24 * 365;

    private static Scenario Gbm(string drift, string vol, string jumpsPerYear = "0", string jumpMean = "0", string jumpStd = "0", int blockSeconds = 3600, int blocks = HourBlocks) =>
        Scenario.Default with
        {
            BlockSeconds = blockSeconds,
            DurationBlocks = blocks,
            DriverPath = [new PathPoint(0, Wad.One)],
            Diffusions = new Dictionary<string, JumpDiffusionSpec>
            {
                ["WETH"] = new(Wad.FromDecimal(drift), Wad.FromDecimal(vol), Wad.FromDecimal(jumpsPerYear), Wad.FromDecimal(jumpMean), Wad.FromDecimal(jumpStd)),
            },
        };

    private static BigInteger[] Path(Scenario scenario, int seed)
    {
        var path = new PricePath(scenario, ["WETH"], [2000_00000000], seed);
        return Enumerable.Range(0, scenario.DurationBlocks + 1).Select(b => path.Multiplier(0, b)).ToArray();
    }

    private static double Ln(BigInteger a, BigInteger b) => Math.Log((double)a / (double)b);

    [Fact]
    public void Same_seed_gives_the_identical_path_and_other_seeds_differ()
    {
        var scenario = Gbm("0", "0.8", "20", "-0.05", "0.03", blockSeconds: 12, blocks: 2_000);
        var first = Path(scenario, 11);
        Assert.Equal(first, Path(scenario, 11));
        Assert.Equal(Wad.One, first[0]);
        Assert.NotEqual(first, Path(scenario, 12));
        Assert.True(first.Distinct().Count() > 1_900, "a diffusion moves nearly every block");
        Assert.True(scenario.IsStochastic);
    }

    [Fact]
    public void A_seeded_path_is_pinned_so_a_change_of_generator_is_seen()
    {
        // Not derived by hand: recorded once. SplitMix64 + polar normals over PortableMath use only
        // integer steps and IEEE + - * / sqrt, so these integers are the same on every platform.
        var path = Path(Gbm("0", "0.8", "20", "-0.05", "0.03", blockSeconds: 12, blocks: 3), 1);
        string[] pinned = ["1000000000000000000", "1001087300553194624", "1001074454478220672", "1001079814383144576"];
        Assert.Equal(pinned, path.Select(x => x.ToString()).ToArray());
    }

    [Fact]
    public void Log_returns_match_drift_and_volatility()
    {
        // Hourly blocks over one year, 400 paths, drift 1.0, vol 0.4, no jumps.
        // ln S_T ~ N((mu - vol^2/2) T, vol^2 T) = N(0.92, 0.16): SE of the mean 0.4/sqrt(400) = 0.02 -> tolerance 0.08.
        // One block's log return has variance vol^2 dt = 0.16/8760 = 1.8265e-5; over n = 3,504,000 returns the
        // sample variance has relative SE sqrt(2/n) = 0.076% -> tolerance 0.3% (pins vol to 0.15%).
        // E[S_T] = e^(mu T) = 2.718; S_T's sd is e * sqrt(e^0.16 - 1) = 1.11, SE 0.055 -> tolerance 0.22.
        var scenario = Gbm("1.0", "0.4");
        var terminal = new List<double>();
        double sum = 0, sumSquares = 0;
        long n = 0;
        for (var seed = 1; seed <= 400; seed++)
        {
            var path = Path(scenario, seed);
            for (var b = 1; b < path.Length; b++)
            {
                var r = Ln(path[b], path[b - 1]);
                sum += r;
                sumSquares += r * r;
                n++;
            }

            terminal.Add(Ln(path[^1], path[0]));
        }

        var blockMean = sum / n;
        var blockVariance = (sumSquares / n) - (blockMean * blockMean);
        Assert.InRange(terminal.Average(), 0.92 - 0.08, 0.92 + 0.08);
        Assert.InRange(blockVariance / (0.16 / HourBlocks), 0.997, 1.003);
        Assert.InRange(terminal.Average(Math.Exp), Math.E - 0.22, Math.E + 0.22);
    }

    [Fact]
    public void Jumps_arrive_at_the_configured_rate_with_the_configured_size()
    {
        // 50 jumps a year of size J ~ N(-0.10, 0.02), tiny diffusion (vol 0.05: 5.3e-4 per hourly block), 100 one-year paths.
        // A block holds at least one jump with probability 1 - e^(-50/8760) = 0.0056915: expected 876,000 x that
        // = 4,985.8 jump blocks, binomial sd 70.4 -> tolerance 300. A jump block returns J plus the drift
        // (~5e-4) and noise, so it shows below -0.03 (no diffusion step reaches that: 56 sd), and its mean is
        // -0.10 within 0.02/sqrt(4986) = 2.8e-4 (tolerance 0.0015); its sd is 0.02 within 2e-4 (tolerance 0.001).
        var scenario = Gbm("0", "0.05", "50", "-0.10", "0.02");
        var jumps = new List<double>();
        var terminal = new List<double>();
        for (var seed = 1; seed <= 100; seed++)
        {
            var path = Path(scenario, seed);
            for (var b = 1; b < path.Length; b++)
            {
                var r = Ln(path[b], path[b - 1]);
                if (r < -0.03)
                {
                    jumps.Add(r);
                }
            }

            terminal.Add((double)path[^1] / 1e18);
        }

        Assert.InRange(jumps.Count, 4_986 - 300, 4_986 + 300);
        Assert.InRange(jumps.Average(), -0.10 - 0.0015, -0.10 + 0.0015);
        var sd = Math.Sqrt(jumps.Select(j => (j - jumps.Average()) * (j - jumps.Average())).Average());
        Assert.InRange(sd, 0.019, 0.021);

        // Drift 0 means no expected return: the jumps' -0.1 x 50 = -5 a year in log is compensated by
        // +50 x (1 - e^(-0.0998)) = +4.75, so E[S_T] = 1. ln S_T has sd sqrt(0.05^2 + 50 x (0.1^2 + 0.02^2)) = 0.72,
        // S_T's sd ~ sqrt(e^0.52 - 1) = 0.83, SE 0.083 over 100 paths -> tolerance 0.33 (without the compensator E[S_T] ~ e^-5).
        Assert.InRange(terminal.Average(), 1 - 0.33, 1 + 0.33);
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(0.001)]
    [InlineData(0.5)]
    [InlineData(0.999999)]
    [InlineData(1.0)]
    [InlineData(1.7)]
    [InlineData(12345.678)]
    public void Portable_ln_and_exp_agree_with_the_platform_to_a_few_ulps(double x)
    {
        Assert.Equal(Math.Log(x), PortableMath.Log(x), Math.Abs(Math.Log(x)) * 1e-15 + 1e-16);
        var y = Math.Log(x) / 10;
        Assert.Equal(Math.Exp(y), PortableMath.Exp(y), Math.Exp(y) * 1e-15);
    }
}
