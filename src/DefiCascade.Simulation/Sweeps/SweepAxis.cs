using System.Globalization;

namespace DefiCascade.Simulation.Sweeps;

/// <summary>What a swept parameter changes: a reserve of the lending market, an e-mode category, or the scenario.</summary>
public enum SweepTarget
{
    Reserve,
    EMode,
    Scenario,
}

/// <summary>
/// A parameter a sweep can vary. <see cref="Subject"/> says what it needs beside the name: an asset
/// symbol (reserve and per-asset scenario settings), an e-mode category id, or nothing.
/// </summary>
public sealed record SweepParameter(SweepTarget Target, string Name, SweepSubject Subject, decimal Min, decimal Max, bool WholeNumber, string Unit, string Meaning)
{
    private const decimal Bps16 = 65_535; // ReserveConfiguration's 16-bit fields (MAX_VALID_LTV etc.)
    private const decimal MaxCap = 68_719_476_735; // MAX_VALID_SUPPLY_CAP / MAX_VALID_BORROW_CAP, whole tokens

    public static IReadOnlyList<SweepParameter> All { get; } =
    [
        new(SweepTarget.Reserve, "ltv", SweepSubject.Asset, 0, Bps16, true, "bps",
            "loan-to-value; the cascade opens no new borrows, so it changes only which cells are valid (ltv <= liquidationThreshold)"),
        new(SweepTarget.Reserve, "liquidationThreshold", SweepSubject.Asset, 0, Bps16, true, "bps", "liquidation threshold"),
        new(SweepTarget.Reserve, "liquidationBonus", SweepSubject.Asset, 0, Bps16, true, "bps", "liquidation bonus (10500 = 5%)"),
        new(SweepTarget.Reserve, "supplyCap", SweepSubject.Asset, 0, MaxCap, true, "whole tokens",
            "hypothetical: the book as if the cap had held the reserve's collateral to that size (accounts posting the asset shrunk pro rata); 0 = no cap"),
        new(SweepTarget.Reserve, "borrowCap", SweepSubject.Asset, 0, MaxCap, true, "whole tokens",
            "hypothetical: the book as if the cap had held the reserve's debt to that size (accounts owing the asset shrunk pro rata); 0 = no cap"),
        new(SweepTarget.EMode, "ltv", SweepSubject.EModeCategory, 1, Bps16, true, "bps", "e-mode category loan-to-value; changes only validity, as for a reserve"),
        new(SweepTarget.EMode, "liquidationThreshold", SweepSubject.EModeCategory, 1, Bps16, true, "bps", "e-mode category liquidation threshold"),
        new(SweepTarget.EMode, "liquidationBonus", SweepSubject.EModeCategory, 1, Bps16, true, "bps", "e-mode category liquidation bonus"),
        new(SweepTarget.Scenario, "shockPercent", SweepSubject.None, 0, 99, false, "%",
            "the driver's fall at the end of its path; the path keeps its shape, every deviation from the start price scaled"),
        new(SweepTarget.Scenario, "gasPriceGwei", SweepSubject.None, 0, 100_000, true, "gwei", "gas price the bots pay"),
        new(SweepTarget.Scenario, "offChainDepthUsdPerPercent", SweepSubject.Asset, 1, long.MaxValue, true, "USD per 1%", "off-chain depth that liquidators' sales press on"),
        new(SweepTarget.Scenario, "oracleDeviationBps", SweepSubject.Asset, 0, 10_000, true, "bps", "oracle deviation threshold"),
        new(SweepTarget.Scenario, "oracleHeartbeatSeconds", SweepSubject.Asset, 1, 10_000_000, true, "s", "oracle heartbeat"),
        new(SweepTarget.Scenario, "oracleDelayBlocks", SweepSubject.Asset, 0, 10_000, true, "blocks", "oracle publication delay"),
    ];

    /// <summary>
    /// Why the close factor is not in <see cref="All"/>: Aave V3.0.2 fixes it in LiquidationLogic (50%, 100% below
    /// HF 0.95), and the exact model reproduces that contract, so a swept value would describe no deployable market.
    /// </summary>
    public const string CloseFactorRefusal =
        "closeFactor is fixed in Aave V3.0.2's contract (50%, 100% below HF 0.95), not a reserve setting; the exact model reproduces the contract, so it is not swept";

    public static SweepParameter? Find(SweepTarget target, string name) =>
        All.FirstOrDefault(p => p.Target == target && p.Name == name);

    public static string Names(SweepTarget target) => string.Join(", ", All.Where(p => p.Target == target).Select(p => p.Name));
}

public enum SweepSubject
{
    None,
    Asset,
    EModeCategory,
}

/// <summary>
/// One dimension of the grid: a parameter, its subject (asset or e-mode category id; null for none) and the
/// values it takes, in the order given. <see cref="Id"/> is the form <c>--vary</c> takes and sweep.csv's header uses.
/// </summary>
public sealed record SweepAxis(SweepParameter Parameter, string? Subject, IReadOnlyList<decimal> Values)
{
    public string Id => Parameter.Target switch
    {
        SweepTarget.Reserve => $"reserve:{Subject}:{Parameter.Name}",
        SweepTarget.EMode => $"emode:{Subject}:{Parameter.Name}",
        _ => Subject is null ? $"scenario:{Parameter.Name}" : $"scenario:{Subject}:{Parameter.Name}",
    };

    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
