using System.Numerics;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// A stress scenario: how the external (off-chain) prices move, and every consequential
/// market assumption the cascade depends on. Data, not code: loaded from YAML or JSON.
/// </summary>
public sealed record Scenario(
    string Name,
    string Description,
    int BlockSeconds,
    int DurationBlocks,
    string Driver,
    IReadOnlyList<PathPoint> DriverPath,
    IReadOnlyDictionary<string, BigInteger> BetasWad,
    IReadOnlyDictionary<string, IReadOnlyList<PathPoint>> AssetPaths,
    int NoiseBpsPerBlock,
    MarketAssumptions Market,
    IReadOnlyDictionary<string, OracleOverride> Oracles,
    int MaxSettleBlocks)
{
    /// <summary>
    /// Seeded jump-diffusions that multiply a piecewise path, by asset: the driver's, or that of an
    /// asset with its own path (README "Writing a scenario", kind gbm).
    /// </summary>
    public IReadOnlyDictionary<string, JumpDiffusionSpec> Diffusions { get; init; } = new Dictionary<string, JumpDiffusionSpec>();

    /// <summary>
    /// Annual volatility (wad) of an asset's own seeded, mean-one noise on top of its beta to the
    /// driver: the idiosyncratic term of the factor model.
    /// </summary>
    public IReadOnlyDictionary<string, BigInteger> IdiosyncraticVolWad { get; init; } = new Dictionary<string, BigInteger>();

    /// <summary>
    /// Assets priced as a peg times a ratio path. The engine passes the driver's liquidation impact to
    /// an asset by its entry in <see cref="BetasWad"/>, so the loader sets a depegged asset's beta to its peg's.
    /// </summary>
    public IReadOnlyDictionary<string, DepegSpec> Depegs { get; init; } = new Dictionary<string, DepegSpec>();

    /// <summary>Protocol levers switched on by the scenario's <c>mitigations:</c> mapping; none by default.</summary>
    public Mitigations Mitigations { get; init; } = Mitigations.None;

    /// <summary>True when the seed changes the path: Monte Carlo needs more than one path only then.</summary>
    public bool IsStochastic => NoiseBpsPerBlock != 0 || Diffusions.Count != 0 || IdiosyncraticVolWad.Values.Any(v => !v.IsZero);

    /// <summary>ETH −35% over 6 hours, linear; the others follow by stated betas.</summary>
    public static Scenario Default { get; } = new(
        Name: "eth-crash-35pct-6h",
        Description: "ETH falls 35% in a straight line over 6 hours (1,800 blocks); wstETH follows ETH one for one, WBTC with beta 0.7, stablecoins hold their peg.",
        BlockSeconds: 12,
        DurationBlocks: 1800,
        Driver: "WETH",
        DriverPath: [new PathPoint(0, Wad.One), new PathPoint(1800, Wad.FromDecimal("0.65"))],
        BetasWad: new Dictionary<string, BigInteger>
        {
            ["WETH"] = Wad.One,
            ["wstETH"] = Wad.One,
            ["WBTC"] = Wad.FromDecimal("0.7"),
            ["USDC"] = BigInteger.Zero,
            ["USDT"] = BigInteger.Zero,
            ["DAI"] = BigInteger.Zero,
        },
        AssetPaths: new Dictionary<string, IReadOnlyList<PathPoint>>(),
        NoiseBpsPerBlock: 0,
        Market: MarketAssumptions.Default,
        Oracles: new Dictionary<string, OracleOverride>(),
        MaxSettleBlocks: 300);
}

/// <summary>A waypoint of a piecewise-linear price multiplier (wad: 1e18 = unchanged).</summary>
public readonly record struct PathPoint(int Block, BigInteger MultiplierWad);

/// <summary>Per-asset oracle settings that replace the snapshot's (null keeps the snapshot value).</summary>
public sealed record OracleOverride(int? DeviationBps, int? HeartbeatSeconds, int? DelayBlocks);

/// <summary>
/// The assumptions printed next to every result. Defaults cite shared/MARKET-FACTS.md where a
/// public figure exists and say "assumption" where none does.
/// </summary>
public sealed record MarketAssumptions(
    int GasPriceGwei,
    long LiquidationGas,
    long SwapGasPerHop,
    long GasPerTickCrossed,
    long ArbitrageGas,
    long LiquidationGasBudgetPerBlock,
    int FlashLoanFeeBps,
    IReadOnlyDictionary<string, BigInteger> OffChainDepthUsdPerPercent,
    int ImpactHalfLifeBlocks)
{
    public static MarketAssumptions Default { get; } = new(
        GasPriceGwei: 100,
        LiquidationGas: 370_000,
        SwapGasPerHop: 120_000,
        GasPerTickCrossed: 20_000,
        ArbitrageGas: 150_000,
        LiquidationGasBudgetPerBlock: 30_000_000,
        FlashLoanFeeBps: 5,
        OffChainDepthUsdPerPercent: new Dictionary<string, BigInteger>
        {
            ["WETH"] = 50_000_000,
            ["wstETH"] = 10_000_000,
            ["WBTC"] = 30_000_000,
        },
        ImpactHalfLifeBlocks: 0);

    /// <summary>Rows for the assumptions table: name, value, why.</summary>
    public IEnumerable<(string Name, string Value, string Basis)> Describe()
    {
        yield return ("gas price", $"{GasPriceGwei} gwei", "stress level: 2020-03-12 averaged >100 gwei, 2024-08-05 ~350 (MARKET-FACTS §5)");
        yield return ("liquidationCall gas", $"{LiquidationGas:N0}", "v3 liquidationCall ~340k-368k observed (MARKET-FACTS §5, CHAIN.md)");
        yield return ("swap gas per hop", $"{SwapGasPerHop:N0}", "assumption: a Uniswap V3 swap without tick crossings");
        yield return ("gas per tick crossed", $"{GasPerTickCrossed:N0}", "15-20k per initialized tick (MARKET-FACTS §3)");
        yield return ("arbitrage gas", $"{ArbitrageGas:N0}", "assumption: one swap plus transfer overhead");
        yield return ("liquidation gas budget per block", $"{LiquidationGasBudgetPerBlock:N0}", "assumption: half of a 60M-gas block (limit since 2025-11-25, MARKET-FACTS §5)");
        yield return ("flash-loan fee", $"{FlashLoanFeeBps} bps", "Aave V3 premium 0.05%; bots are assumed to borrow the debt asset (MARKET-FACTS §5)");
        foreach (var (asset, depth) in OffChainDepthUsdPerPercent.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            yield return ($"off-chain depth {asset}", $"${depth:N0} per 1%", "assumption: liquidators' net sales press the external price linearly by this depth; ETH's impact passes to assets loading on ETH by their beta");
        }

        yield return ("off-chain depth, other assets", "no impact", "stablecoins hold their peg through mint/redeem; give a depth in the scenario to change that");

        yield return ("impact half-life", ImpactHalfLifeBlocks == 0 ? "permanent" : $"{ImpactHalfLifeBlocks} blocks", "assumption: how fast the external price forgets liquidation selling");
    }
}

/// <summary>Wad (1e18) helpers for scenario numbers given as decimals.</summary>
public static class Wad
{
    public static readonly BigInteger One = Core.Math.WadRayMath.Wad;

    public static BigInteger FromDecimal(string text) => Core.Primitives.FixedPoint.Parse(text, 18);
}
