using DefiCascade.Simulation.MonteCarlo;

namespace DefiCascade.Simulation.Tests.MonteCarlo;

public class PathSeedsTests
{
    [Fact]
    public void SplitMix64_gives_the_reference_outputs()
    {
        // Reference values of SplitMix64 (Vigna's splitmix64.c; Java SplittableRandom(1234567).nextLong()).
        Assert.Equal(0xE220A8397B1DCDAFUL, PathSeeds.SplitMix64(0, 0));
        Assert.Equal(6457827717110365317UL, PathSeeds.SplitMix64(1234567, 0));
        Assert.Equal(3203168211198807973UL, PathSeeds.SplitMix64(1234567, 1));
        Assert.Equal(9817491932198370423UL, PathSeeds.SplitMix64(1234567, 2));
    }

    [Fact]
    public void A_path_seed_is_the_top_31_bits_and_paths_get_distinct_seeds()
    {
        // 6457827717110365317 >> 33 = 751,790,091 (6457827717110365317 / 2^33, floored).
        Assert.Equal(751_790_091, PathSeeds.ForPath(1234567, 0));
        var seeds = Enumerable.Range(0, 10_000).Select(i => PathSeeds.ForPath(7, i)).ToList();
        Assert.All(seeds, s => Assert.InRange(s, 0, int.MaxValue));
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        // A negative run seed is a different stream, not an error.
        Assert.NotEqual(PathSeeds.ForPath(-7, 0), PathSeeds.ForPath(7, 0));
    }
}
