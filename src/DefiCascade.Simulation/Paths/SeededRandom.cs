using System.Text;

namespace DefiCascade.Simulation.Paths;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): 64-bit integer steps only, so a seed gives the same
/// numbers on every platform and .NET version (System.Random's algorithm is an implementation
/// detail). Normals by Marsaglia's polar method over <see cref="PortableMath"/>.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;
    private double? _spareNormal;

    public SeededRandom(ulong state) => _state = state;

    /// <summary>
    /// An independent stream for one (seed, asset, purpose): each stochastic part of a path draws
    /// from its own stream, so adding noise to one asset never shifts the draws of another.
    /// </summary>
    public static SeededRandom Stream(int seed, string asset, string purpose) =>
        new(Mix(Mix(unchecked((ulong)(uint)seed)) ^ Fnv1a($"{asset}/{purpose}")));

    /// <summary>The SplitMix64 finalizer: a bijection that spreads nearby inputs over all 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        var z = Mix(_state);
        _state = unchecked(_state + 0x9E3779B97F4A7C15);
        return z;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        while (true)
        {
            var u = (2 * NextDouble()) - 1;
            var v = (2 * NextDouble()) - 1;
            var s = (u * u) + (v * v);
            if (s is > 0 and < 1)
            {
                var factor = System.Math.Sqrt(-2 * PortableMath.Log(s) / s);
                _spareNormal = v * factor;
                return u * factor;
            }
        }
    }

    /// <summary>Poisson count by Knuth's product of uniforms; fine for the small means of one block.</summary>
    public int NextPoisson(double mean)
    {
        var limit = PortableMath.Exp(-mean);
        var count = 0;
        var product = NextDouble();
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    // FNV-1a over UTF-8: string.GetHashCode is randomized per process and would break reproducibility.
    private static ulong Fnv1a(string text)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 0x100000001b3UL);
        }

        return hash;
    }
}
