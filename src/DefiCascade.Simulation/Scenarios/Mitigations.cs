using System.Numerics;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// Protocol levers a scenario may switch on (README "Mitigations"). Every one is off by default,
/// so a scenario without a <c>mitigations:</c> mapping runs exactly as before.
/// </summary>
public sealed record Mitigations(BigInteger? LiquidationCapPerBlockUsd, CircuitBreakerSpec? CircuitBreaker, TwapOracleSpec? TwapOracle = null)
{
    public static Mitigations None { get; } = new(null, null);

    /// <summary>A volatility-adjusted liquidation threshold (a risk steward); null: off.</summary>
    public DynamicThresholdSpec? DynamicThreshold { get; init; }

    /// <summary>Stricter (or looser) margins as governance changes of reserve parameters; empty: none.</summary>
    public IReadOnlyList<ReserveParameterChange> ParameterChanges { get; init; } = [];

    /// <summary>True when a mitigation changes reserve parameters during the run.</summary>
    public bool ChangesReserves => DynamicThreshold is not null || ParameterChanges.Count > 0;

    public bool Any => LiquidationCapPerBlockUsd is not null || CircuitBreaker is not null || TwapOracle is not null || ChangesReserves;

    /// <summary>Rows for the assumptions table, one per active mitigation, with the blocks it acted in (a binding cap says so).</summary>
    public IEnumerable<(string Name, string Value, string Basis)> Describe(int capBoundBlocks, int pausedBlocks, int blocks)
    {
        if (LiquidationCapPerBlockUsd is { } cap)
        {
            yield return ("mitigation: liquidation cap per block", $"${cap / 100_000_000:N0} of debt repaid (oracle prices); bound in {capBoundBlocks} of {blocks} blocks",
                "liquidators may repay at most this much debt per block; a slice is cut to fit, and a block where the cap binds is listed");
        }

        if (CircuitBreaker is { } breaker)
        {
            yield return ("mitigation: circuit breaker", $"pause liquidations while a collateral oracle moved > {Core.Primitives.FixedPoint.Format(breaker.MovePercentWad, 18)}% within {breaker.WindowBlocks} blocks; tripped in {pausedBlocks} of {blocks} blocks",
                "move = (highest - lowest answer) / highest over the current block and the window before it; paused blocks are listed");
        }

        if (TwapOracle is { } twap)
        {
            yield return ($"mitigation: TWAP oracle {twap.Asset}", $"mean pool price over {twap.WindowBlocks} blocks ({twap.Pool ?? "deepest pool against a dollar numeraire"}) instead of its Chainlink feed",
                "sampled at each block's start, i.e. the price the previous block left, liquidators' sales included (as Uniswap's accumulators record it): manipulable, and it feeds back");
        }

        if (DynamicThreshold is { } d)
        {
            var assets = d.Assets.Count == 0 ? "every collateral reserve" : string.Join(", ", d.Assets);
            yield return ("mitigation: dynamic liquidation threshold", $"{assets}: LT cut {d.SensitivityBps} bps per point of annualized oracle volatility above {d.BaselineVolPercent}% over {d.WindowBlocks} blocks, in steps of {d.StepBps} bps, at most {d.MaxCutBps} bps, set every {d.UpdateEveryBlocks} blocks",
                "realized volatility of the oracle answer the protocol reads (not demeaned), annualized; the cut holds from the next block, LTV is lowered with LT where it would exceed it, e-mode categories keep theirs; every change is listed");
        }

        foreach (var c in ParameterChanges)
        {
            yield return ($"mitigation: parameter change {c.Asset}", $"from block {c.FromBlock}: ltv {c.LtvBps?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unchanged"}, liquidationThreshold {c.LiquidationThresholdBps?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unchanged"}, liquidationBonus {c.LiquidationBonusBps?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unchanged"} (bps)",
                "configureReserveAsCollateral's rules hold; a lower threshold from block 0 makes positions liquidatable at once, which is the comparison's point");
        }
    }
}

/// <summary>
/// Liquidations pause in any block where the oracle answer of a collateral asset spans more than
/// <see cref="MovePercentWad"/> percent over the last <see cref="WindowBlocks"/> blocks.
/// </summary>
public sealed record CircuitBreakerSpec(BigInteger MovePercentWad, int WindowBlocks);

/// <summary>
/// The lending protocol reads <see cref="Asset"/> as the mean of a pool's price over the last
/// <see cref="WindowBlocks"/> blocks; <see cref="Pool"/> is the pool's address, or null for the
/// deepest pool pairing the asset with a dollar numeraire (the one the result shows).
/// </summary>
public sealed record TwapOracleSpec(string Asset, int WindowBlocks, string? Pool);
