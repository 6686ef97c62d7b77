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

    // A sum of integers: what fits 127 bits adds in 128 (a carry past them goes to the BigInteger), the rest in BigInteger.
    private struct ExactSum
    {
        private static readonly BigInteger Carry = BigInteger.One << 128;
        private UInt128 _low;
        private BigInteger _rest;

        public readonly BigInteger Value => _rest + _low;

        public void Add(BigInteger value)
        {
            if (value.Sign < 0 || value.GetBitLength() > 127)
            {
                _rest += value;
                return;
            }

            var sum = unchecked(_low + (UInt128)value);
            if (sum < _low)
            {
                _rest += Carry;
            }

            _low = sum;
        }
    }
}
