using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// Everything the simulator needs about a market at one block, and nothing more: the contract
/// between reading (adapters, generator) and simulating. Schema: docs in fixtures/SNAPSHOT-SCHEMA.md.
/// Assets are referred to by symbol inside a snapshot; <see cref="Tokens"/> maps symbols to
/// addresses and decimals.
/// </summary>
public sealed record MarketSnapshot(
    string Schema,
    long ChainId,
    long BlockNumber,
    long BlockTimestamp,
    SnapshotOrigin Origin,
    IReadOnlyList<SnapshotToken> Tokens,
    IReadOnlyList<MarketPrice> Prices,
    IReadOnlyList<OracleFeedSnapshot> Oracles,
    IReadOnlyList<AaveV3MarketSnapshot> AaveV3Markets,
    IReadOnlyList<PoolSnapshot> Pools)
{
    public const string CurrentSchema = "defi-cascade/snapshot/v1";

    /// <summary>
    /// Optional section of v1 (absent in the file = none). Not a constructor parameter, so snapshots that hold no
    /// Morpho market are built, compared and written exactly as before it existed.
    /// </summary>
    public IReadOnlyList<MorphoBlueMarketSnapshot> MorphoBlueMarkets { get; init; } = [];

    public SnapshotToken Token(string symbol) =>
        Tokens.FirstOrDefault(t => t.Symbol == symbol) ?? throw new KeyNotFoundException($"token '{symbol}' is not in the snapshot");
}

/// <summary>Where the snapshot came from and how much of the protocol it covers.</summary>
/// <param name="Kind">"synthetic" (generated, calibrated) or "chain" (read from a node).</param>
/// <param name="Description">One paragraph a reader of a report sees.</param>
/// <param name="Coverage">What share of the protocol is in the snapshot, said in words (never sampled silently).</param>
/// <param name="Sources">Named sources of the numbers (citations or RPC reads), keyed by a short id used in <c>source</c> fields.</param>
public sealed record SnapshotOrigin(string Kind, string Description, string Coverage, IReadOnlyDictionary<string, string> Sources);

public sealed record SnapshotToken(string Symbol, Address Address, int Decimals, string Source)
{
    public Token ToToken() => new(Symbol, Address, Decimals);
}

/// <summary>External (off-chain market) price of an asset in USD at the snapshot block.</summary>
public sealed record MarketPrice(string Asset, BigInteger UsdAnswer, int Decimals, string Source);

/// <summary>
/// The oracle the lending protocol reads for an asset. Kind "chainlink": its own answer,
/// published on deviation or heartbeat. Kind "derived": <see cref="BaseAsset"/>'s feed times a
/// fixed exchange rate (<see cref="RatioWad"/>), as Aave's CAPO adapters price wstETH.
/// </summary>
public sealed record OracleFeedSnapshot(
    string Asset,
    string Kind,
    BigInteger Answer,
    int Decimals,
    int DeviationBps,
    int HeartbeatSeconds,
    string? BaseAsset,
    BigInteger? RatioWad,
    string Source);

public sealed record AaveV3MarketSnapshot(
    string Name,
    string Version,
    Address Pool,
    IReadOnlyList<AaveReserveSnapshot> Reserves,
    IReadOnlyList<EModeCategorySnapshot> EModes,
    IReadOnlyList<AavePositionSnapshot> Positions,
    string PositionsSource);

/// <summary>One reserve's risk configuration; percentages in basis points (bonus 10500 = 5%).</summary>
public sealed record AaveReserveSnapshot(
    string Asset,
    int LtvBps,
    int LiquidationThresholdBps,
    int LiquidationBonusBps,
    int LiquidationProtocolFeeBps,
    int ReserveFactorBps,
    int EModeCategory,
    bool UsageAsCollateralEnabled,
    bool BorrowingEnabled,
    bool Active,
    bool Frozen,
    bool Paused,
    BigInteger SupplyCap,
    BigInteger BorrowCap,
    string Source)
{
    /// <summary>
    /// Optional (absent in the file = null): the reserve's liquidity index at the block (ray,
    /// Pool.getReserveNormalizedIncome). The model turns the snapshot's underlying balances into the scaled balances the
    /// aTokens hold with it; absent, 1e27 (scaled = underlying). Not a constructor parameter, so older snapshots load,
    /// compare and write exactly as before.
    /// </summary>
    public BigInteger? LiquidityIndex { get; init; }

    /// <summary>Optional, as <see cref="LiquidityIndex"/>: the variable borrow index (ray, getReserveNormalizedVariableDebt).</summary>
    public BigInteger? VariableBorrowIndex { get; init; }
}

public sealed record EModeCategorySnapshot(
    int Id,
    string Label,
    int LtvBps,
    int LiquidationThresholdBps,
    int LiquidationBonusBps,
    string? PriceSourceAsset,
    string Source);

/// <summary>One account: collateral it supplies (used as collateral) and debt it owes, in underlying base units.</summary>
public sealed record AavePositionSnapshot(
    Address User,
    int EMode,
    IReadOnlyList<AssetBalance> Collateral,
    IReadOnlyList<AssetBalance> Debt);

public sealed record AssetBalance(string Asset, BigInteger Amount);

public abstract record PoolSnapshot(string Kind, Address Address, string Token0, string Token1, string Source);

/// <summary>Uniswap V2 pair: reserves in base units; the fee is fixed at 0.3% by the pair contract.</summary>
public sealed record UniswapV2PoolSnapshot(Address Address, string Token0, string Token1, BigInteger Reserve0, BigInteger Reserve1, string Source)
    : PoolSnapshot("uniswap-v2", Address, Token0, Token1, Source);

/// <summary>
/// Uniswap V3 pool state: slot0, active liquidity and the initialized tick book. When the
/// book was read only within [<see cref="TickBookLower"/>, <see cref="TickBookUpper"/>], a swap
/// that reaches the edge stops with "data exhausted", not "out of liquidity".
/// </summary>
public sealed record UniswapV3PoolSnapshot(
    Address Address,
    string Token0,
    string Token1,
    int Fee,
    int TickSpacing,
    BigInteger SqrtPriceX96,
    int Tick,
    BigInteger Liquidity,
    IReadOnlyList<TickSnapshot> Ticks,
    int? TickBookLower,
    int? TickBookUpper,
    string Source)
    : PoolSnapshot("uniswap-v3", Address, Token0, Token1, Source);

public sealed record TickSnapshot(int Index, BigInteger LiquidityNet, BigInteger LiquidityGross);
