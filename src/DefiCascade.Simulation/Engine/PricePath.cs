using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Paths;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The exogenous external price of every asset, block by block, as a multiplier (wad) of its
/// start price. A one-factor model: the driver (ETH) follows a piecewise-linear path (an instant
/// shock and a CSV replay are piecewise paths too), optionally times a seeded jump-diffusion and
/// the legacy random walk; other assets load on it by their beta, times their own seeded
/// idiosyncratic noise; an asset may instead have its own path, or follow a peg asset (or the
/// dollar) times a depeg ratio. Integer wad arithmetic after one rounding per stochastic block.
/// Built from (scenario, assets, start prices, seed) only and drawn in full at construction, so
/// Monte Carlo path i (seed MonteCarlo.PathSeeds.ForPath(seed, i)) is reproducible whatever the order of calls.
/// </summary>
public sealed class PricePath
{
    private static readonly BigInteger Floor = WadRayMath.Wad / 1_000_000;

    private readonly Scenario _scenario;
    private readonly IReadOnlyList<string> _assets;
    private readonly BigInteger[] _basePrices;
    private readonly BigInteger[] _betas;
    private readonly IReadOnlyList<PathPoint>?[] _ownPaths;
    private readonly BigInteger[]?[] _diffusions;
    private readonly BigInteger[]?[] _idiosyncratic;
    private readonly (int Peg, IReadOnlyList<PathPoint> Ratio)?[] _depegs;
    private readonly BigInteger[]? _driverDiffusion;
    private readonly List<BigInteger> _noiseWad = [WadRayMath.Wad];
    private readonly Random _random;

    public PricePath(Scenario scenario, IReadOnlyList<string> assets, IReadOnlyList<BigInteger> basePrices8, int seed)
    {
        _scenario = scenario;
        _assets = assets;
        _basePrices = basePrices8.ToArray();
        _betas = assets.Select(a => scenario.BetasWad.TryGetValue(a, out var b) ? b : (a == scenario.Driver ? WadRayMath.Wad : BigInteger.Zero)).ToArray();
        _ownPaths = assets.Select(a => scenario.AssetPaths.TryGetValue(a, out var p) ? p : null).ToArray();
        // The legacy walk keeps System.Random(seed) so scenarios written before the seeded generators give the same paths.
        _random = new Random(seed);

        BigInteger[]? Draw(string asset, string purpose, JumpDiffusionSpec? spec) => spec is null ? null
            : JumpDiffusion.Multipliers(spec, scenario.BlockSeconds, scenario.DurationBlocks, SeededRandom.Stream(seed, asset, purpose));

        _driverDiffusion = Draw(scenario.Driver, "diffusion", scenario.Diffusions.GetValueOrDefault(scenario.Driver));
        _diffusions = assets.Select(a => a == scenario.Driver ? null : Draw(a, "diffusion", scenario.Diffusions.GetValueOrDefault(a))).ToArray();
        _idiosyncratic = assets.Select(a => scenario.IdiosyncraticVolWad.TryGetValue(a, out var vol) && !vol.IsZero
            ? Draw(a, "idiosyncratic", JumpDiffusionSpec.Noise(vol)) : null).ToArray();
        _depegs = assets.Select(a => scenario.Depegs.TryGetValue(a, out var d) ? ((int, IReadOnlyList<PathPoint>)?)(PegIndex(a, d.Peg), d.Ratio) : null).ToArray();
    }

    /// <summary>The driver's multiplier at a block (wad): path x legacy walk x jump-diffusion.</summary>
    public BigInteger DriverMultiplier(int block)
    {
        var m = Interpolate(_scenario.DriverPath, block);
        if (_scenario.NoiseBpsPerBlock != 0)
        {
            m = m * Noise(block) / WadRayMath.Wad;
        }

        return _driverDiffusion is null ? m : m * _driverDiffusion[Clamp(block)] / WadRayMath.Wad;
    }

    /// <summary>Exogenous USD price (8 decimals) of asset <paramref name="index"/> at a block.</summary>
    public BigInteger Price(int index, int block) => _basePrices[index] * Multiplier(index, block) / WadRayMath.Wad;

    /// <summary>The exogenous multiplier (wad) of asset <paramref name="index"/>'s start price at a block; never below a millionth.</summary>
    public BigInteger Multiplier(int index, int block)
    {
        BigInteger multiplier;
        if (_depegs[index] is { } depeg)
        {
            var peg = depeg.Peg < 0 ? WadRayMath.Wad : Multiplier(depeg.Peg, block);
            multiplier = peg * Interpolate(depeg.Ratio, block) / WadRayMath.Wad;
        }
        else if (_ownPaths[index] is { } own)
        {
            multiplier = Interpolate(own, block);
            if (_diffusions[index] is { } diffusion)
            {
                multiplier = multiplier * diffusion[Clamp(block)] / WadRayMath.Wad;
            }
        }
        else
        {
            var f = DriverMultiplier(block);
            multiplier = WadRayMath.Wad + _betas[index] * (f - WadRayMath.Wad) / WadRayMath.Wad;
        }

        if (_idiosyncratic[index] is { } noise)
        {
            multiplier = multiplier * noise[Clamp(block)] / WadRayMath.Wad;
        }

        // A beta above 1 on a deep crash could push the multiplier through zero; a price is never <= 0.
        return multiplier < Floor ? Floor : multiplier;
    }

    public string Asset(int index) => _assets[index];

    internal static BigInteger Interpolate(IReadOnlyList<PathPoint> points, int block)
    {
        if (block <= points[0].Block)
        {
            return points[0].MultiplierWad;
        }

        if (block >= points[^1].Block)
        {
            return points[^1].MultiplierWad;
        }

        // Binary search for the first point at or after the block (a CSV replay has one point per block).
        var (lo, hi) = (0, points.Count - 1);
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = points[mid].Block < block ? (mid, hi) : (lo, mid);
        }

        var (b0, m0) = (points[lo].Block, points[lo].MultiplierWad);
        var (b1, m1) = (points[hi].Block, points[hi].MultiplierWad);
        return m0 + (m1 - m0) * (block - b0) / (b1 - b0);
    }

    private int Clamp(int block) => System.Math.Clamp(block, 0, _scenario.DurationBlocks);

    private int PegIndex(string asset, string peg)
    {
        if (peg == DepegSpec.Usd)
        {
            return -1;
        }

        var index = _assets.ToList().IndexOf(peg);
        if (index < 0 || _scenario.Depegs.ContainsKey(peg))
        {
            throw new ArgumentException($"{asset} is pegged to {peg}, which is {(index < 0 ? "not among the path's assets" : "itself depegged")}");
        }

        return index;
    }

    private BigInteger Noise(int block)
    {
        // Extend the seeded walk lazily; the sequence depends only on the seed, never on call order.
        while (_noiseWad.Count <= block)
        {
            var z = StandardNormal(_random);
            var step = (long)System.Math.Round(z * _scenario.NoiseBpsPerBlock * 1e14);
            var next = _noiseWad[^1] * (WadRayMath.Wad + step) / WadRayMath.Wad;
            _noiseWad.Add(next < WadRayMath.Wad / 1000 ? WadRayMath.Wad / 1000 : next);
        }

        return _noiseWad[block];
    }

    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return System.Math.Sqrt(-2.0 * System.Math.Log(u1)) * System.Math.Cos(2.0 * System.Math.PI * u2);
    }
}
