using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Carried first passes. In a block where nothing changed a book since the bot last finished with it
/// but that block's own liquidations (no oracle update, no steward), its candidates, their exact data,
/// the competition order with its group tags and the insolvency figures are last block's: the first
/// pass then re-reads only the accounts liquidated last block, instead of every candidate (about half
/// the blocks of the 1M crash have no oracle update). Group tags carried over were set on last block's
/// dust threshold; the visit checks them against this block's (CurrentTag). Tests run every carried
/// pass against the full one as well (CascadeOptions.CheckCarriedPasses).
/// </summary>
public sealed partial class LiquidationBot
{
    /// <summary>Tests only: check every carried pass against the full one (CascadeOptions.CheckCarriedPasses).</summary>
    internal bool CheckCarriedPasses { get; init; }

    private readonly Dictionary<int, CandidateOrder> _checkOrders = [];

    // Runs the full first pass into a scratch order and compares: the same accounts in the same order,
    // the same group tags and keys, the same insolvency figures. The full pass rewrites only what the
    // carried state already holds (None for candidates above HF 1), so the block goes on unchanged.
    private void VerifyCarried(int block, LendingBook book, int b, CandidateOrder carried, List<int> ordered)
    {
        var tally = _tally;
        if (!_checkOrders.TryGetValue(b, out var scratch))
        {
            scratch = new CandidateOrder(book.Accounts.Length);
            _checkOrders[b] = scratch;
        }

        FirstPass(book, b, scratch, _known[b]);
        var full = scratch.Ordered();
        // A carried tag may have lost its dust side (then the visit takes the full path: NoGroup is always sound).
        var same = full.SequenceEqual(ordered) && _tally.Below == tally.Below && _tally.Shortfall == tally.Shortfall
            && Enumerable.Range(0, ordered.Count).All(k => carried.SummaryAt(k) == scratch.SummaryAt(k)
                && CurrentTag(carried.TagAt(k), carried.SummaryAt(k).DebtKey) is var tag && (tag == NoGroup || tag == scratch.TagAt(k)));
        if (!same)
        {
            throw new InvalidOperationException($"block {block}, book {book.Market.Name}: the carried first pass differs from the full one");
        }

        _tally = tally;
    }

    /// <summary>Blocks in which a book's first pass was carried from the block before (tests read it).</summary>
    internal long PassesCarried { get; private set; }

    // Per book: the book's version when the bot last finished with it, and the accounts it liquidated then.
    private long[]? _finishedAt;
    private List<int>[]? _liquidatedIn;

    /// <summary>Records that the bot finished with book <paramref name="b"/> at its current version.</summary>
    private void Finished(LendingBook book, int b)
    {
        _finishedAt ??= Enumerable.Repeat(-1L, _state.Books.Count).ToArray();
        _liquidatedIn ??= _state.Books.Select(_ => new List<int>()).ToArray();
        _finishedAt[b] = book.Version;
        _liquidatedIn[b].Clear();
        _liquidatedIn[b].AddRange(_beforeLiquidation.Keys);
        _liquidatedIn[b].Sort();
    }

    /// <summary>
    /// True when nothing changed book <paramref name="b"/> since the bot last finished with it but that
    /// block's own liquidations: no oracle move, no steward. Its candidates, their exact data, the
    /// competition order and the insolvency figures are then last block's, but for the accounts liquidated.
    /// </summary>
    private bool UnchangedSinceLastBlock(LendingBook book, int b) =>
        !book.NaiveRescan && _finishedAt is not null && _finishedAt[b] == book.Version
        && book.InsolvencyMemo is { } memo && memo.Version == book.Version && !_orders[b].LastRoundWide;

    /// <summary>
    /// The first pass of a block in which the book is unchanged since the last: last block's order and
    /// insolvency figures carried, the accounts liquidated then examined again as the pass would.
    /// </summary>
    private void CarryPass(LendingBook book, int b, CandidateOrder order)
    {
        PassesCarried++;
        order.Carry();
        var memo = book.InsolvencyMemo!.Value;
        BeginTally(InsolvencyTally.Of(memo.Below, memo.Shortfall));
        foreach (var i in _liquidatedIn![b])
        {
            if (book.IsCandidate(i))
            {
                Enter(book, b, order, i);
            }
            else
            {
                order.Drop(i);
            }
        }
    }
}
