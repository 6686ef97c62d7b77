using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Mitigations;

/// <summary>The risk steward's volatility and threshold cut, derived by hand for a short price sequence.</summary>
public class DynamicThresholdMathTests
{
    private static readonly BigInteger Usd = 100_000_000;

    // Baseline 3000% a year, 2 bps of LT per point above it, steps of 25 bps, at most 5000 bps.
    private static readonly DynamicThresholdSpec Spec = new([], WindowBlocks: 3, BaselineVolPercent: 3000, SensitivityBps: 2, MaxCutBps: 5000, StepBps: 25, UpdateEveryBlocks: 1);

    [Fact]
    public void Volatility_and_cut_follow_the_hand_derivation()
    {
        // 12-s blocks: 365 x 86,400 / 12 = 2,628,000 blocks a year. Window 3, starting full of zero returns at $3,000.
        var vol = new RealizedVolatility(3000 * Usd, windowBlocks: 3, blockSeconds: 12);
        Assert.Equal(0, vol.Bps);
        Assert.Equal(0, Spec.CutBps(vol.Bps));

        // $2,900: r = -100 / 3000 = -0.0333.. wad, truncated toward zero: -33,333,333,333,333,333; r^2 = 1,111,111,111,111,111,088,888,888,888,888,889.
        // vol = floor(sqrt(r^2 x 2,628,000 x 1e8 / (3 x 1e36))) = floor(sqrt(9.7333e10)) = 311,982 bps (3,119.82% a year).
        // Cut: (311,982 - 300,000) x 2 / 100 = 239 bps, down to the 25-bps grid: 225.
        vol.Observe(2900 * Usd);
        Assert.Equal(BigInteger.Parse("1111111111111111088888888888888889", System.Globalization.CultureInfo.InvariantCulture), vol.SumOfSquares);
        Assert.Equal(311_982, vol.Bps);
        Assert.Equal(225, Spec.CutBps(vol.Bps));

        // No move: the window holds (0, -1/30, 0); same volatility.
        vol.Observe(2900 * Usd);
        Assert.Equal(311_982, vol.Bps);

        // $3,016: r = 116 / 2900 = 0.04 exactly, r^2 = 1.6e33; sum 2.7111e33 -> sqrt(2.37493e11) = 487,332 bps.
        // Cut: (487,332 - 300,000) x 2 / 100 = 3,746 -> 3,725.
        vol.Observe(3016 * Usd);
        Assert.Equal(487_332, vol.Bps);
        Assert.Equal(3_725, Spec.CutBps(vol.Bps));

        // No move: the -1/30 return leaves the 3-block window; sum 1.6e33 -> sqrt(1.4016e11) = 374,379 bps. Cut 1,487 -> 1,475.
        vol.Observe(3016 * Usd);
        Assert.Equal(374_379, vol.Bps);
        Assert.Equal(1_475, Spec.CutBps(vol.Bps));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(300_000, 0)]           // at the baseline: no cut
    [InlineData(301_249, 0)]           // 1,249 bps over: 24 bps, below one step
    [InlineData(301_250, 25)]          // 25 bps exactly
    [InlineData(550_000, 5000)]        // 250,000 over: 5,000, the maximum
    [InlineData(10_000_000, 5000)]     // capped
    public void The_cut_is_floored_to_the_step_and_capped(long volBps, int cut) => Assert.Equal(cut, Spec.CutBps(volBps));
}
