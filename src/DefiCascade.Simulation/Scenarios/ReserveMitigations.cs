namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// A volatility-adjusted liquidation threshold, as a risk steward would set it (README "Mitigations"):
/// every <see cref="UpdateEveryBlocks"/> blocks it measures the annualized realized volatility of the
/// oracle answer the protocol reads for each asset over the last <see cref="WindowBlocks"/> blocks,
/// cuts the reserve's liquidation threshold by <see cref="SensitivityBps"/> per percentage point of
/// volatility above <see cref="BaselineVolPercent"/>, rounded down to a multiple of
/// <see cref="StepBps"/> and at most <see cref="MaxCutBps"/>, and sets it from the next block.
/// <see cref="Assets"/> empty: every reserve accepted as collateral.
/// </summary>
public sealed record DynamicThresholdSpec(
    IReadOnlyList<string> Assets,
    int WindowBlocks,
    int BaselineVolPercent,
    int SensitivityBps,
    int MaxCutBps,
    int StepBps,
    int UpdateEveryBlocks)
{
    /// <summary>
    /// The threshold cut for an annualized volatility in basis points: floor(excess x sensitivity / 100)
    /// with excess = max(0, vol - baseline), rounded down to the step, capped at the maximum.
    /// </summary>
    public int CutBps(long volatilityBps)
    {
        var excess = System.Math.Max(0, volatilityBps - (BaselineVolPercent * 100L));
        var raw = excess * SensitivityBps / 100;
        return (int)System.Math.Min(raw / StepBps * StepBps, MaxCutBps);
    }
}

/// <summary>
/// A governance change of a reserve's collateral parameters (PoolConfigurator.configureReserveAsCollateral),
/// in force from <see cref="FromBlock"/> on (0: from the start, before the first screen). A null field
/// keeps the value in force. Applied to the reserve in every Aave market of the snapshot that lists it.
/// </summary>
public sealed record ReserveParameterChange(string Asset, int? LtvBps, int? LiquidationThresholdBps, int? LiquidationBonusBps, int FromBlock);

/// <summary>Aave V3.0.2's checks on a reserve's collateral configuration, shared by the loader, the engine and the sweep.</summary>
public static class CollateralRules
{
    /// <summary>
    /// PoolConfigurator.configureReserveAsCollateral: ltv &lt;= liquidationThreshold; with a threshold, bonus
    /// &gt; 100% and percentMul(threshold, bonus) &lt;= 100%; threshold 0 needs bonus 0 (and no suppliers,
    /// checked by the caller). Null when the contract accepts it.
    /// </summary>
    public static string? Problem(string what, int ltv, int lt, int bonus)
    {
        if (ltv > lt)
        {
            return $"{what} ltv {ltv} > liquidationThreshold {lt}";
        }

        if (lt == 0)
        {
            return bonus == 0 ? null : $"{what} liquidationThreshold 0 needs liquidationBonus 0 (got {bonus})";
        }

        if (bonus <= 10_000)
        {
            return $"{what} liquidationBonus {bonus} must exceed 10000 (100%)";
        }

        var covered = Core.Math.PercentageMath.PercentMul(lt, bonus);
        return covered > 10_000 ? $"{what} percentMul(liquidationThreshold {lt}; liquidationBonus {bonus}) = {covered} > 10000" : null;
    }
}
