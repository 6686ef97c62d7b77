namespace DefiCascade.Simulation.MonteCarlo;

/// <summary>
/// The seed of Monte Carlo path i: the (i+1)-th output of SplitMix64 (Steele, Lea and Flood 2014,
/// the generator behind Java's SplittableRandom) started at the run's seed, top 31 bits. A path's
/// seed depends only on (seed, i), never on which thread runs it or in what order, and
/// <c>simulate --seed &lt;path seed&gt;</c> reproduces that path alone.
/// </summary>
public static class PathSeeds
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>Seed handed to the engine for path <paramref name="path"/> (0-based), in [0, 2^31).</summary>
    public static int ForPath(int seed, int path)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(path);
        // A negative seed is its two's-complement bit pattern, as Java's SplittableRandom takes a long.
        return (int)(SplitMix64(unchecked((ulong)(long)seed), path) >> 33);
    }

    /// <summary>The (index+1)-th output of SplitMix64 from <paramref name="state"/>.</summary>
    public static ulong SplitMix64(ulong state, int index)
    {
        // The generator is defined modulo 2^64: wrapping is the algorithm, not an accident.
        unchecked
        {
            var z = state + (ulong)(index + 1) * Gamma;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
