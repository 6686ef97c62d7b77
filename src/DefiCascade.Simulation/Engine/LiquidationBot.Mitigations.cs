using System.Numerics;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The mitigations that act on liquidators (README "Mitigations"): a per-block cap on the debt
/// repaid, and a circuit breaker that pauses them. Both are off unless the scenario sets them.
/// </summary>
public sealed partial class LiquidationBot
{
    /// <summary>Debt (USD, 8 decimals, at oracle prices) liquidators may repay per block; null: no cap.</summary>
    internal BigInteger? CapPerBlockUsd { get; set; }

    /// <summary>Set by the engine for a block in which the circuit breaker has tripped.</summary>
    internal bool Paused { get; set; }

    /// <summary>Every account below HF 1 waits out the pause; the verdict says why.</summary>
    private void HoldForBreaker(int b, List<int> ordered, BlockActivity activity)
    {
        foreach (var i in ordered)
        {
            _verdicts[b][i] = UnliquidatableReason.CircuitBreaker;
        }

        activity.Waiting |= ordered.Count > 0;
    }

    /// <summary>
    /// The plan if it fits what is left of the block's cap; otherwise the same pair cut down to the
    /// cap, when that smaller slice still pays; otherwise null (the account waits for a later block).
    /// </summary>
    private Plan? FitCap(LendingBook book, int i, Plan plan, BlockActivity activity)
    {
        if (activity.CapLeftUsd is not { } left || RepaidUsd(book, plan) <= left)
        {
            return plan;
        }

        activity.CapBound = true;
        // Floor: a slice converted from the USD left must not repay more than the cap allows.
        var debtToCover = left * book.Market.Reserves[plan.Debt].Token.Unit / book.Oracle.Prices[plan.Debt];
        if (debtToCover.IsZero)
        {
            return null;
        }

        var cut = Evaluate(book, i, plan.Collateral, plan.Debt, debtToCover, out _);
        return cut is { ProfitUsd.Sign: >= 0 } && RepaidUsd(book, cut) <= left ? cut with { Partial = true } : null;
    }
}
