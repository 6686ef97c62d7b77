using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>How the snapshot pieces are named and which Chainlink publication parameters the feeds assume.</summary>
/// <param name="MarketName">The market's name in the snapshot ("aave-v3-ethereum").</param>
public sealed record AaveV3SnapshotOptions(string MarketName)
{
    /// <summary>
    /// Chainlink's deviation threshold and heartbeat are aggregator settings that no contract function returns.
    /// Defaults: 0.5% and 1 hour, the parameters Chainlink publishes (data.chain.link) for its ETH/USD and BTC/USD feeds
    /// on Ethereum, which price most of Aave's collateral. Stablecoin feeds differ (e.g. USDC/USD 0.25%, 24 h): override
    /// per asset with <see cref="PerAsset"/> when that matters to a scenario.
    /// </summary>
    public const int DefaultDeviationBps = 50;

    /// <inheritdoc cref="DefaultDeviationBps"/>
    public const int DefaultHeartbeatSeconds = 3_600;

    public int DeviationBps { get; init; } = DefaultDeviationBps;

    public int HeartbeatSeconds { get; init; } = DefaultHeartbeatSeconds;

    /// <summary>Per-symbol (deviation bps, heartbeat s) that replace the defaults.</summary>
    public IReadOnlyDictionary<string, (int DeviationBps, int HeartbeatSeconds)> PerAsset { get; init; } =
        new Dictionary<string, (int, int)>(StringComparer.Ordinal);
}

/// <summary>
/// The Core snapshot pieces of one Aave V3 market at one block, ready for the snapshot command to assemble:
/// <see cref="Sources"/> go into origin.sources, <see cref="CoverageText"/> into origin.coverage.
/// <see cref="CrossChecked"/> positions were verified against getUserAccountData (see <see cref="AaveV3CrossCheck"/>).
/// </summary>
public sealed record AaveV3SnapshotPieces(
    AaveV3MarketSnapshot Market,
    IReadOnlyList<SnapshotToken> Tokens,
    IReadOnlyList<MarketPrice> Prices,
    IReadOnlyList<OracleFeedSnapshot> Oracles,
    IReadOnlyDictionary<string, string> Sources,
    AaveV3Coverage Coverage,
    string CoverageText,
    int CrossChecked);

public static class AaveV3SnapshotBuilder
{
    /// <summary>Key of origin.sources for the defaults of <see cref="AaveV3SnapshotOptions"/>.</summary>
    public const string ChainlinkDefaultsKey = "chainlink-defaults";

    /// <summary>
    /// Builds the pieces and cross-checks every kept position against the pool's own account data: a snapshot whose
    /// health factors differ from the chain's is never handed out. Positions must come from the market's block.
    /// </summary>
    public static AaveV3SnapshotPieces Build(AaveV3MarketRead market, AaveV3PositionsRead positions, int usersDiscovered, AaveV3SnapshotOptions options)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(options);
        if (positions.Block != market.Block)
        {
            throw new ArgumentException($"positions were read at block {positions.Block}, the market at {market.Block}: a snapshot is one block", nameof(positions));
        }

        var block = market.Block;
        var rpc = AaveV3Reader.Rpc(block);
        var oracleKey = rpc + " aave-oracle";
        var priceKey = rpc + " market-price";
        var positionsKey = rpc + " aave-positions";
        var symbolOf = market.Reserves.ToDictionary(r => r.Token.Address, r => r.Token.Symbol);

        var reserves = market.Reserves.Select(r => new AaveReserveSnapshot(
            r.Token.Symbol,
            r.Configuration.LtvBps,
            r.Configuration.LiquidationThresholdBps,
            r.Configuration.LiquidationBonusBps,
            r.Configuration.LiquidationProtocolFeeBps,
            r.Configuration.ReserveFactorBps,
            r.Configuration.EModeCategory,
            r.Configuration.UsageAsCollateralEnabled,
            r.Configuration.BorrowingEnabled,
            r.Configuration.Active,
            r.Configuration.Frozen,
            r.Configuration.Paused,
            r.Configuration.SupplyCap,
            r.Configuration.BorrowCap,
            rpc)
        {
            LiquidityIndex = r.NormalizedIncome,
            VariableBorrowIndex = r.NormalizedVariableDebt,
        }).ToArray();
        var eModes = market.EModes.Concat(positions.ExtraEModes).DistinctBy(e => e.Id).OrderBy(e => e.Id).Select(e => new EModeCategorySnapshot(
            e.Id,
            e.Label,
            e.LtvBps,
            e.LiquidationThresholdBps,
            e.LiquidationBonusBps,
            e.PriceSource == Address.Zero
                ? null
                : symbolOf.TryGetValue(e.PriceSource, out var s)
                    ? s
                    : throw new NotSupportedException($"e-mode category {e.Id} ('{e.Label}') prices from {e.PriceSource.Hex}, which is not a reserve: the snapshot schema names price sources by reserve"),
            rpc)).ToArray();
        var kept = positions.WithDebt;
        var revision = market.PoolRevision is { } rev ? $"; Pool revision {rev.ToString(CultureInfo.InvariantCulture)}" : "; Pool revision unreadable";
        var snapshot = new AaveV3MarketSnapshot(
            options.MarketName, AaveV3Version.Name + revision, market.Pool, reserves, eModes, kept.Select(u => u.ToPosition()).ToArray(), positionsKey);

        var tokens = market.Reserves.Select(r => r.Token with { Source = rpc }).ToArray();
        var prices = market.Reserves.Select(r => new MarketPrice(r.Token.Symbol, r.Price.Price, market.BaseCurrencyDecimals, priceKey)).ToArray();
        var oracles = market.Reserves.Select(r =>
        {
            var (deviation, heartbeat) = options.PerAsset.TryGetValue(r.Token.Symbol, out var o) ? o : (options.DeviationBps, options.HeartbeatSeconds);
            return new OracleFeedSnapshot(r.Token.Symbol, "chainlink", r.Price.Price, market.BaseCurrencyDecimals, deviation, heartbeat, null, null, oracleKey + "," + ChainlinkDefaultsKey);
        }).ToArray();

        var crossChecked = AaveV3CrossCheck.Verify(snapshot, tokens, oracles, kept);
        var coverage = Coverage(market, positions, usersDiscovered);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [rpc] = $"eth_call at block {block}: Aave V3 PoolAddressesProvider {market.AddressesProvider.Hex}, Pool {market.Pool.Hex}{revision}: "
                + "getReservesList, getReserveData, getConfiguration (decoded with the v3.0.x bit layout), getEModeCategoryData; tokens' symbol() and decimals()",
            [oracleKey] = $"AaveOracle {market.Oracle.Hex}.getAssetPrice at block {block} (USD base currency, unit {market.BaseCurrencyUnit}); sources: "
                + string.Join("; ", market.Reserves.Select(SourceText)),
            [priceKey] = $"the external (market) price is the AaveOracle price at block {block}: no off-chain price was read",
            [positionsKey] = $"Pool {market.Pool.Hex} at block {block}: getUserConfiguration, getUserEMode, aToken and variable-debt scaledBalanceOf times the "
                + "reserve's normalized income / variable debt (rayMul, as balanceOf), stable-debt balanceOf (added to the debt); "
                + $"{crossChecked} health factors equal getUserAccountData. {coverage.Describe()}",
            [ChainlinkDefaultsKey] = $"deviation {options.DeviationBps} bps and heartbeat {options.HeartbeatSeconds} s: not readable on chain; Chainlink's published "
                + "parameters of its ETH/USD and BTC/USD feeds on Ethereum (data.chain.link), applied to every feed"
                + (options.PerAsset.Count == 0 ? string.Empty : " except " + string.Join(", ", options.PerAsset.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} ({p.Value.DeviationBps} bps, {p.Value.HeartbeatSeconds} s)"))),
        };
        return new AaveV3SnapshotPieces(snapshot, tokens, prices, oracles, sources, coverage, coverage.Describe(), crossChecked);
    }

    /// <summary>Kept accounts' collateral and debt per reserve against the tokens' totalSupply, in units and at oracle prices.</summary>
    public static AaveV3Coverage Coverage(AaveV3MarketRead market, AaveV3PositionsRead positions, int usersDiscovered)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(positions);
        var kept = positions.WithDebt;
        var reserves = market.Reserves.Select((r, i) =>
        {
            var held = kept.SelectMany(u => u.Reserves).Where(x => x.Reserve == i).ToArray();
            var collateral = held.Aggregate(BigInteger.Zero, (s, x) => s + x.Collateral);
            var debt = held.Aggregate(BigInteger.Zero, (s, x) => s + x.Debt);
            var d = r.Token.Decimals;
            var p = r.Price.Price;
            return new AaveV3ReserveCoverage(
                r.Token.Symbol, collateral, r.ATokenTotalSupply, debt, r.DebtTotalSupply,
                AaveV3Coverage.ToBase(collateral, p, d), AaveV3Coverage.ToBase(r.ATokenTotalSupply, p, d),
                AaveV3Coverage.ToBase(debt, p, d), AaveV3Coverage.ToBase(r.DebtTotalSupply, p, d));
        }).ToArray();
        return new AaveV3Coverage(
            market.Block, usersDiscovered, positions.Users.Count, kept.Count, positions.DroppedSupplyOnly, positions.DroppedEmpty, market.BaseCurrencyDecimals, reserves);
    }

    private static string SourceText(AaveV3ReserveRead r)
    {
        var p = r.Price;
        if (p.Source == Address.Zero)
        {
            return $"{r.Token.Symbol} none (fallback oracle)";
        }

        string Or(BigInteger? v) => v is { } x ? x.ToString(CultureInfo.InvariantCulture) : "unreadable";
        var decimals = p.SourceDecimals is { } d ? d.ToString(CultureInfo.InvariantCulture) : "unreadable";
        return $"{r.Token.Symbol} {p.Source.Hex} (decimals {decimals}, latestAnswer {Or(p.SourceLatestAnswer)}, latestRoundData answer {Or(p.SourceRoundAnswer)} updatedAt {Or(p.SourceRoundUpdatedAt)})";
    }
}
