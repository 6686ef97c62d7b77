using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Simulation.Results;

/// <summary>The outcome of one run. USD figures are integers with 8 decimals (Aave's base currency).</summary>
public sealed record SimulationResult(
    RunHeader Header,
    RunStatus Status,
    RunTotals Totals,
    IReadOnlyList<ReserveOutcome> Reserves,
    IReadOnlyList<AssetPriceOutcome> Prices,
    IReadOnlyList<UnliquidatableSummary> Unliquidatable,
    IReadOnlyList<AccountOutcome> BadDebtAccounts,
    IReadOnlyList<BlockRecord> Blocks,
    IReadOnlyList<LiquidationEvent> Liquidations)
{
    /// <summary>What the scenario's mitigations did; null when it has none.</summary>
    public MitigationReport? Mitigation { get; init; }

    /// <summary>Pools whose book ran out before arbitrage reached the external price; empty when none did.</summary>
    public IReadOnlyList<PoolOutOfLiquidity> PoolsOutOfLiquidity { get; init; } = [];
}

/// <summary>
/// The blocks where a mitigation acted, and the same run (snapshot, scenario, seed) with every
/// mitigation off beside this one, so its effect reads directly.
/// </summary>
public sealed record MitigationReport(IReadOnlyList<int> LiquidationCapBoundBlocks, IReadOnlyList<int> PausedBlocks, MitigationEffect? Effect)
{
    /// <summary>Reserve configurations set during the run (parameterChanges, dynamicThreshold); null when neither is on.</summary>
    public IReadOnlyList<ReserveParameterSet>? ReserveChanges { get; init; }
}

/// <summary>Bad debt and liquidation volume (USD, 8 decimals) with the mitigations and without them.</summary>
public sealed record MitigationEffect(
    BigInteger BadDebtUsd,
    BigInteger BadDebtUsdWithout,
    BigInteger DebtRepaidUsd,
    BigInteger DebtRepaidUsdWithout,
    int LiquidationEvents,
    int LiquidationEventsWithout,
    int BlocksSimulated,
    int BlocksSimulatedWithout);

public sealed record RunHeader(
    string Engine,
    string LendingModel,
    long ChainId,
    long SnapshotBlock,
    long SnapshotTimestamp,
    string SnapshotKind,
    string SnapshotCoverage,
    string ScenarioName,
    string ScenarioDescription,
    int Seed,
    int BlockSeconds,
    IReadOnlyList<Assumption> Assumptions);

public sealed record Assumption(string Name, string Value, string Basis);

/// <summary>Converged: a block passed with nothing left to do. Truncated: the settle cap bound first.</summary>
public sealed record RunStatus(string Outcome, int BlocksSimulated, int PathBlocks, int SettleBlocks, string Explanation);

public sealed record RunTotals(
    int Accounts,
    int AccountsWithDebt,
    int LiquidationEvents,
    int AccountsLiquidated,
    BigInteger DebtRepaidUsd,
    BigInteger CollateralSeizedUsd,
    BigInteger ProtocolFeesUsd,
    BigInteger LiquidatorProfitUsd,
    BigInteger GasUsd,
    long GasUsed,
    int ArbitrageTrades,
    int OracleUpdates,
    BigInteger InitialDebtUsd,
    BigInteger BadDebtUsd,
    BigInteger RealizedBadDebtUsd,
    double BadDebtPercentOfBorrows,
    int AccountsWithBadDebt,
    int AccountsLeftBelowHfOne);

/// <summary>Bad debt attributed to a debt reserve (pro rata to each insolvent account's debt).</summary>
public sealed record ReserveOutcome(string Market, string Asset, BigInteger InitialDebtUsd, BigInteger DebtRepaid, BigInteger DebtRepaidUsd, BigInteger BadDebtUsd, double BadDebtPercentOfBorrows);

/// <summary>Start, exogenous end, realized end and low of an asset's external price; amplification in percentage points.</summary>
public sealed record AssetPriceOutcome(string Asset, BigInteger Start, BigInteger ExogenousEnd, BigInteger RealizedEnd, BigInteger RealizedLow, BigInteger OracleEnd, BigInteger PoolEnd, double ExogenousMovePercent, double RealizedMovePercent, double AmplificationPoints);

public sealed record UnliquidatableSummary(UnliquidatableReason Reason, int Accounts, BigInteger DebtUsd, BigInteger CollateralUsd, string Explanation);

/// <summary>An account left insolvent or below HF 1 at the end, and why no bot took it.</summary>
public sealed record AccountOutcome(string Market, Address User, int EMode, IReadOnlyList<string> CollateralAssets, IReadOnlyList<string> DebtAssets, BigInteger CollateralUsd, BigInteger DebtUsd, BigInteger ShortfallUsd, BigInteger HealthFactor, UnliquidatableReason Reason);

/// <summary>One block's prices (USD, 8 decimals, in asset order) and activity.</summary>
public sealed record BlockRecord(
    int Block,
    long Timestamp,
    IReadOnlyList<BigInteger> External,
    IReadOnlyList<BigInteger> Pool,
    IReadOnlyList<BigInteger> Oracle,
    int Liquidations,
    int AccountsLiquidated,
    BigInteger DebtRepaidUsd,
    BigInteger CollateralSeizedUsd,
    BigInteger LiquidatorProfitUsd,
    BigInteger GasUsd,
    long GasUsed,
    int ArbitrageTrades,
    int OracleUpdates,
    int AccountsBelowHfOne,
    BigInteger BadDebtUsd,
    bool GasBudgetBound)
{
    /// <summary>The per-block liquidation cap (a mitigation) cut or stopped a liquidation in this block.</summary>
    public bool LiquidationCapBound { get; init; }

    /// <summary>The circuit breaker (a mitigation) had tripped: no liquidation ran in this block.</summary>
    public bool LiquidationsPaused { get; init; }
}
