using DefiCascade.Core.Math;
using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// What a first visit's tag settles on the current pools, kept in a small table per bound generation (a pool
/// move clears it) so the walk's run of group verdicts reads one byte and one debt key per member:
/// - dust: Dust;
/// - a group flat on the current pools (every pair fails at every size): the group's reason;
/// - a group that is not flat: its members whose debt key is below the group's limit. A tagged member's
///   amounts are far from zero in every pair (the tag's own test), so SurelyNoPlan settles it exactly when
///   each pair's first bound loses: S * debt + A * R + 1 below the gas, which holds for every debt of the
///   pair's debt reserve below PairBound.DebtLimit. The debt key bounds that debt: the key is the sum over
///   debt reserves of floor(debt * price / unit), so debt &lt; (key + 1) * unit / price. The limit is the least
///   over the group's pairs of the key that keeps the debt below its pair's limit (with slack), and the reason
///   SurelyNoPlan gives, every pair's probe reason folded in. Members at or above it take SurelyNoPlan.
/// Groups in an e-mode (whose debt key may read another price) get no limit.
/// </summary>
public sealed partial class LiquidationBot
{
    // The table's encoding: not known yet on the current pools, not settled, or TagReason + the reason (below the tag's limit).
    private const byte TagUnknown = 0;
    private const byte TagUnsettled = 1;
    private const byte TagReason = 2;

    // Each tag's verdict and limit (index tag + 2: dust, no group, groups) for book _tagTableBook on the pools of
    // bound generation _tagTableGeneration.
    private byte[] _tagTable = [];
    private UInt128[] _tagLimits = [];
    private int _tagTableBook = -1;
    private int _tagTableGeneration;

    /// <summary>The table of tag verdicts for book <paramref name="b"/> on the current pools (cleared when a pool moved).</summary>
    private byte[] TagVerdicts(int b, out UInt128[] limits)
    {
        var size = _groups[b].Count + 2;
        if (_tagTable.Length < size)
        {
            (_tagTable, _tagLimits) = (new byte[Math.Max(size, _tagTable.Length * 2)], new UInt128[Math.Max(size, _tagTable.Length * 2)]);
            _tagTableBook = -1;
        }

        if (_tagTableBook != b || _tagTableGeneration != _boundGeneration)
        {
            Array.Clear(_tagTable);
            (_tagTableBook, _tagTableGeneration) = (b, _boundGeneration);
        }

        limits = _tagLimits;
        return _tagTable;
    }

    // What a first visit tagged `tag` (not NoGroup, on its current dust side) gets on the current pools, and below which debt key.
    private byte TagVerdict(int b, int tag, out UInt128 limit)
    {
        limit = UInt128.MaxValue;
        if (tag == DustGroup)
        {
            return TagReason + (int)UnliquidatableReason.Dust;
        }

        var book = _state.Books[b];
        if (GroupSettles(book, b, tag, out var reason))
        {
            return (byte)(TagReason + (int)reason);
        }

        return GroupLimit(book, b, _groups[b][tag], out limit, out reason) ? (byte)(TagReason + (int)reason) : TagUnsettled;
    }

    // The debt key below which every member of a group that is not flat is settled by each pair's first bound, and SurelyNoPlan's reason.
    private bool GroupLimit(LendingBook book, int b, SettleGroup group, out UInt128 limit, out UnliquidatableReason reason)
    {
        (limit, reason) = (UInt128.MaxValue, UnliquidatableReason.Unprofitable);
        if (group.EMode != 0)
        {
            return false;
        }

        foreach (var (c, d) in group.Pairs)
        {
            ref readonly var bound = ref Bound(book, b, c, d, group.EMode);
            if (bound.Unusable)
            {
                return false;
            }

            reason = bound.ProbeReason is { } probeReason ? Worse(reason, probeReason) : reason;
            if (bound.ProbeReason is not null)
            {
                continue;
            }

            // The debt reserve's raw amount stays below DebtLimit while key + 1 < DebtLimit * price / unit (slack for the doubles).
            var price = book.Oracle.Prices[d];
            var keyLimit = bound.DebtLimit() * (double)price / (double)book.Market.Reserves[d].Token.Unit * (1 - 1e-9);
            if (!(keyLimit >= 2))
            {
                return false;
            }

            var pairLimit = keyLimit >= 1e38 ? UInt128.MaxValue : (UInt128)keyLimit - 1;
            limit = pairLimit < limit ? pairLimit : limit;
        }

        return true;
    }
}
