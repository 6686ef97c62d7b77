using System.Numerics;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>
/// Protocol levers a scenario may switch on (README "Mitigations"). Every one is off by default,
/// so a scenario without a <c>mitigations:</c> mapping runs exactly as before.
/// </summary>
public sealed record Mitigations(BigInteger? LiquidationCapPerBlockUsd, CircuitBreakerSpec? CircuitBreaker, TwapOracleSpec? TwapOracle = null)
{
    public static Mitigations None { get; } = new(null, null);

    public bool Any => LiquidationCapPerBlockUsd is not null || CircuitBreaker is not null || TwapOracle is not null;

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
