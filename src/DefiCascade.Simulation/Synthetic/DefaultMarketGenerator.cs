using System.Numerics;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>
/// The embedded default market: a synthetic Aave V3 Ethereum Core book and the Uniswap pools it
/// liquidates into, calibrated to public figures (fixtures/README.md). Deterministic for a seed:
/// System.Random draws sizes, everything stored is an integer.
/// </summary>
public static class DefaultMarketGenerator
{
    public const int NamedWhales = 5;

    public static MarketSnapshot Generate(MarketGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Positions);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LpPositionsPerPool, 2);

        var tokens = MarketCatalog.Tokens();
        var prices = MarketCatalog.Prices();
        var oracles = MarketCatalog.Oracles();
        var origin = new SnapshotOrigin(
            "synthetic",
            $"Synthetic Aave V3 Ethereum Core book of {options.Positions:N0} borrowing accounts (WETH, wstETH, WBTC, USDC, USDT, DAI) and "
            + "8 Uniswap pools, calibrated to public aggregates as of early 2026 (ETH $2,150, BTC $75,000 assumed). Reserve parameters as of 2026-03, see MARKET-FACTS.",
            "Synthetic, calibrated book; not a mainnet read. Accounts, sizes and health factors are drawn from the distribution in fixtures/README.md; "
            + "only accounts with debt are included (pure suppliers carry no liquidation risk). Pool books are built from drawn LP positions, not read from chain.",
            MarketCatalog.Sources(options));

        // Reserves and e-modes come first so the valuation can price accounts while they are drawn.
        var skeleton = new AaveV3MarketSnapshot(
            "Aave V3 Ethereum Core", "3.6", MarketCatalog.AavePool, MarketCatalog.Reserves(), MarketCatalog.EModes(), [], "generator");
        var snapshot = new MarketSnapshot(
            MarketSnapshot.CurrentSchema, 1, MarketCatalog.BlockNumber, MarketCatalog.BlockTimestamp, origin, tokens, prices, oracles, [skeleton], []);
        var valuation = new AccountValuation(snapshot, skeleton);

        var positions = new List<AavePositionSnapshot>(options.Positions);
        var accounts = new PositionGenerator(new Random(options.Seed), valuation);
        positions.AddRange(accounts.Whales().Take(options.Positions));
        for (var i = positions.Count; i < options.Positions; i++)
        {
            positions.Add(accounts.Next((ulong)i + 1));
        }

        // A separate stream for pools keeps the books identical whatever the number of accounts.
        var decimals = tokens.ToDictionary(t => t.Symbol, t => t.Decimals);
        var priceMap = prices.ToDictionary(p => p.Asset, p => (p.UsdAnswer, p.Decimals));
        var poolGenerator = new PoolGenerator(new Random(unchecked(options.Seed + 1)), priceMap);
        var pools = new List<PoolSnapshot>();
        pools.AddRange(PoolGenerator.V3Specs.Select(spec => poolGenerator.V3(spec, options.LpPositionsPerPool, decimals)));
        pools.Add(poolGenerator.V2(decimals));

        return snapshot with { AaveV3Markets = [skeleton with { Positions = positions }], Pools = pools };
    }

    /// <summary>The default market as fixture text (fixtures/default-market.json).</summary>
    public static string GenerateDefaultJson() => SnapshotJson.Serialize(Generate(new MarketGeneratorOptions()));

    internal static BigInteger Sum(IEnumerable<BigInteger> values) => values.Aggregate(BigInteger.Zero, (a, b) => a + b);
}
