using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Paths;

/// <summary>
/// Draws a Merton jump-diffusion multiplier on the block clock. Floating point lives only here,
/// in the generator: every block's multiplier is rounded once to a wad integer, and the draws use
/// <see cref="SeededRandom"/> and <see cref="PortableMath"/>, so a seed gives the same integers on any machine.
/// </summary>
public static class JumpDiffusion
{
    public const double SecondsPerYear = 365.0 * 24 * 3600;

    // e^40 ~ 2e17: far beyond any price path; keeps the wad conversion finite if a wild spec runs away.
    private const double MaxAbsLogLevel = 40;

    /// <summary>Multipliers (wad) for blocks 0..<paramref name="blocks"/>; block 0 is exactly one.</summary>
    public static BigInteger[] Multipliers(JumpDiffusionSpec spec, int blockSeconds, int blocks, SeededRandom random)
    {
        var drift = ToDouble(spec.DriftAnnualWad);
        var vol = ToDouble(spec.VolAnnualWad);
        var intensity = ToDouble(spec.JumpsPerYearWad);
        var jumpMean = ToDouble(spec.JumpMeanWad);
        var jumpStd = ToDouble(spec.JumpStdWad);
        var dt = blockSeconds / SecondsPerYear;

        // Compensator: the mean jump multiplier minus one, E[e^J] - 1, so the jumps add no expected return.
        var compensator = PortableMath.Exp(jumpMean + (jumpStd * jumpStd / 2)) - 1;
        var driftStep = (drift - (vol * vol / 2) - (intensity * compensator)) * dt;
        var volStep = vol * System.Math.Sqrt(dt);
        var jumpsPerBlock = intensity * dt;

        var result = new BigInteger[blocks + 1];
        result[0] = WadRayMath.Wad;
        var level = 0.0;
        for (var b = 1; b <= blocks; b++)
        {
            level += driftStep + (volStep * random.NextNormal());
            if (jumpsPerBlock > 0)
            {
                for (var j = random.NextPoisson(jumpsPerBlock); j > 0; j--)
                {
                    level += jumpMean + (jumpStd * random.NextNormal());
                }
            }

            var clamped = System.Math.Clamp(level, -MaxAbsLogLevel, MaxAbsLogLevel);
            result[b] = new BigInteger(System.Math.Round(PortableMath.Exp(clamped) * 1e18));
        }

        return result;
    }

    private static double ToDouble(BigInteger wad) => (double)wad / 1e18;
}
