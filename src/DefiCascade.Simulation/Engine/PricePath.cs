using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The exogenous external price of every asset, block by block: a piecewise-linear multiplier
/// of the driver (ETH) that other assets follow by their beta, or an asset's own path, plus an
/// optional seeded random walk on the driver. Integer wad arithmetic, so a run is reproducible.
/// </summary>
public sealed class PricePath
{
    private readonly Scenario _scenario;
    private readonly IReadOnlyList<string> _assets;
    private readonly BigInteger[] _basePrices;
    private readonly BigInteger[] _betas;
    private readonly IReadOnlyList<PathPoint>?[] _ownPaths;
    private readonly List<BigInteger> _noiseWad = [WadRayMath.Wad];
    private readonly Random _random;

    public PricePath(Scenario scenario, IReadOnlyList<string> assets, IReadOnlyList<BigInteger> basePrices8, int seed)
    {
        _scenario = scenario;
        _assets = assets;
        _basePrices = basePrices8.ToArray();
        _betas = assets.Select(a => scenario.BetasWad.TryGetValue(a, out var b) ? b : (a == scenario.Driver ? WadRayMath.Wad : BigInteger.Zero)).ToArray();
        _ownPaths = assets.Select(a => scenario.AssetPaths.TryGetValue(a, out var p) ? p : null).ToArray();
        _random = new Random(seed);
    }

    /// <summary>The driver's multiplier at a block (wad), noise included.</summary>
    public BigInteger DriverMultiplier(int block)
    {
        var m = Interpolate(_scenario.DriverPath, block);
        return _scenario.NoiseBpsPerBlock == 0 ? m : m * Noise(block) / WadRayMath.Wad;
    }

    /// <summary>Exogenous USD price (8 decimals) of asset <paramref name="index"/> at a block.</summary>
    public BigInteger Price(int index, int block)
    {
        BigInteger multiplier;
        if (_ownPaths[index] is { } own)
        {
            multiplier = Interpolate(own, block);
        }
        else
        {
            var f = DriverMultiplier(block);
            multiplier = WadRayMath.Wad + _betas[index] * (f - WadRayMath.Wad) / WadRayMath.Wad;
        }

        // A beta above 1 on a deep crash could push the multiplier through zero; a price is never <= 0.
        var floor = WadRayMath.Wad / 1_000_000;
        if (multiplier < floor)
        {
            multiplier = floor;
        }

        return _basePrices[index] * multiplier / WadRayMath.Wad;
    }

    public string Asset(int index) => _assets[index];

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

    internal static BigInteger Interpolate(IReadOnlyList<PathPoint> points, int block)
    {
        if (block <= points[0].Block)
        {
            return points[0].MultiplierWad;
        }

        for (var i = 1; i < points.Count; i++)
        {
            var (b0, m0) = (points[i - 1].Block, points[i - 1].MultiplierWad);
            var (b1, m1) = (points[i].Block, points[i].MultiplierWad);
            if (block <= b1)
            {
                return m0 + (m1 - m0) * (block - b0) / (b1 - b0);
            }
        }

        return points[^1].MultiplierWad;
    }
}
