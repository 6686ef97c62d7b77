using System.Numerics;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// Geometric Brownian motion with Merton jumps, all parameters annual and in wad (1e18 = 1.0).
/// Drift is the expected total return, jumps included (the jump compensator is subtracted), so
/// E[multiplier at t] = e^(drift x t). A jump multiplies the price by e^J, J ~ N(jumpMean, jumpStd^2).
/// </summary>
public sealed record JumpDiffusionSpec(
    BigInteger DriftAnnualWad,
    BigInteger VolAnnualWad,
    BigInteger JumpsPerYearWad,
    BigInteger JumpMeanWad,
    BigInteger JumpStdWad)
{
    /// <summary>Driftless, jumpless noise of the given annual volatility: a mean-one multiplier.</summary>
    public static JumpDiffusionSpec Noise(BigInteger volAnnualWad) => new(0, volAnnualWad, 0, 0, 0);
}

/// <summary>
/// An asset priced as its peg times a ratio path: an LST against ETH (peg WETH), a stablecoin
/// against the dollar (peg <see cref="Usd"/>). The ratio is a multiplier of the start ratio
/// (wad), below one for a discount, above one for a premium, on the collateral or the debt side alike.
/// </summary>
public sealed record DepegSpec(string Peg, IReadOnlyList<PathPoint> Ratio)
{
    public const string Usd = "USD";
}
