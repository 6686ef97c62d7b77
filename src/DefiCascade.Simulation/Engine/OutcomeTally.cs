using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The run totals drawn from the accounts' outcomes, in the one pass that makes them: bad debt, accounts with a
/// shortfall, accounts left below HF 1, and per reason (for those below HF 1) the accounts, their debt and their
/// collateral. Exact: the sums are integers, kept in 128 bits with a BigInteger for what overflows.
/// </summary>
internal sealed class OutcomeTally
{
    private readonly int[] _accounts = new int[ReasonCount];
    private readonly ExactSum[] _debt = new ExactSum[ReasonCount];
    private readonly ExactSum[] _collateral = new ExactSum[ReasonCount];
    private ExactSum _badDebt;

    private static int ReasonCount { get; } = Enum.GetValues<UnliquidatableReason>().Max(r => (int)r) + 1;

    public int WithShortfall { get; private set; }

    public int Below { get; private set; }

    public BigInteger BadDebt => _badDebt.Value;

    public void Add(AccountOutcome outcome)
    {
        _badDebt.Add(outcome.ShortfallUsd);
        WithShortfall += outcome.ShortfallUsd.Sign > 0 ? 1 : 0;
        if (outcome.HealthFactor >= WadRayMath.Wad)
        {
            return;
        }

        Below++;
        var r = (int)outcome.Reason;
        _accounts[r]++;
        _debt[r].Add(outcome.DebtUsd);
        _collateral[r].Add(outcome.CollateralUsd);
    }

    /// <summary>
    /// The same as <see cref="Add(AccountOutcome)"/> for an account whose figures fit 128 bits, from the figures
    /// themselves (no outcome is built): its shortfall, whether its HF is below 1, and its reason, debt and collateral.
    /// </summary>
    public void Add(UInt128 shortfall, bool below, UnliquidatableReason reason, UInt128 debt, UInt128 collateral)
    {
        _badDebt.Add(shortfall);
        WithShortfall += shortfall != UInt128.Zero ? 1 : 0;
        if (!below)
        {
            return;
        }

        Below++;
        var r = (int)reason;
        _accounts[r]++;
        _debt[r].Add(debt);
        _collateral[r].Add(collateral);
    }

    /// <summary>One summary per reason that left an account below HF 1, in the reasons' order.</summary>
    public List<UnliquidatableSummary> Reasons(Func<UnliquidatableReason, string> explain)
    {
        var reasons = new List<UnliquidatableSummary>();
        for (var r = 0; r < ReasonCount; r++)
        {
            if (_accounts[r] > 0)
            {
                var reason = (UnliquidatableReason)r;
                reasons.Add(new UnliquidatableSummary(reason, _accounts[r], _debt[r].Value, _collateral[r].Value, explain(reason)));
            }
        }

        return reasons;
    }
}
