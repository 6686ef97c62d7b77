using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The block's first pass over a book's candidates: each one's exact data at the block's oracle prices
/// (a 128-bit recompute after an oracle move), its verdict None above HF 1, its place and group tag in the
/// competition order below it, and the block's insolvency tally. On a large book in a cascade this is
/// tens of thousands of accounts whose data are independent of one another, so the pass splits them
/// into contiguous shares, one per worker thread (<see cref="Workers"/>): each share writes only its own
/// accounts' entries and keeps its own tally; one thread then merges the tallies (exact integer sums),
/// lists the accounts in the order, and finishes what needs shared state (a group met for the first
/// time, a debt past 128 bits). The order sorts its members by a strict total order, so the sequence,
/// and every result, is the same for any number of workers (SpeedEquivalenceTests run 1 and 2).
/// </summary>
public sealed partial class LiquidationBot
{
    // How many candidates ahead the pass asks for (a hint). Each candidate brings ~6 cache lines (record,
    // figures, balances row): 4 ahead measured 5-10% faster than the loop's 8 on the 1M crash.
    private const int PassPrefetchDistance = 4;

    /// <summary>Threads the first pass may use (CascadeOptions.Workers); results are the same for any count.</summary>
    internal int Workers { get; init; } = 1;

    /// <summary>Below this many candidates a pass stays on one thread (handing off costs more than it saves).</summary>
    internal int ParallelFrom { get; init; } = 4096;

    /// <summary>Candidates the first pass entered without their exact data so far (tests read it).</summary>
    internal long CertainEntries { get; private set; }

    /// <summary>Of <see cref="CertainEntries"/>, those entered from the frozen list, without reading the account (tests read it).</summary>
    internal long FrozenEntered { get; private set; }

    /// <summary>First passes split among workers so far (tests read it).</summary>
    internal long PassesSplit { get; private set; }

    private PassShare[] _shares = [];

    /// <summary>One worker's share of a pass: its tally and the accounts it found below HF 1.</summary>
    private sealed class PassShare
    {
        public InsolvencyTally Tally;

        // Accounts entered without their exact data (surely below HF 1 and solvent), and those of them entered from the frozen list.
        public long Certain;
        public long Frozen;

        // Entries of the order: below HF 1 with their debt key and tag; the first SortedPlaced of them in the
        // competition order (from the frozen list's sorted part).
        public List<CandidateOrder.Entry> Placed { get; } = [];

        public int SortedPlaced;

        // The frozen list's share this worker read: from where, and how many entries it kept (of them from the sorted part).
        public (int From, int Kept, int KeptSorted) FrozenKept;

        // Below HF 1 with a 128-bit debt key, in a group not created yet (GroupOf, one thread).
        public List<int> NewGroups { get; } = [];

        // Below HF 1 with a debt past 128 bits (the order's BigInteger key, one thread).
        public List<int> WideDebt { get; } = [];

        // Frozen accounts no longer certain (they thaw before the candidates' scan), and accounts found certain that can freeze.
        public List<int> Thawed { get; } = [];

        public List<AccountDataCache.Frozen> Freezing { get; } = [];

        public void Clear()
        {
            Tally = default;
            SortedPlaced = 0;
            FrozenKept = default;
            Certain = 0;
            Frozen = 0;
            Placed.Clear();
            NewGroups.Clear();
            WideDebt.Clear();
            Thawed.Clear();
            Freezing.Clear();
        }
    }

    private void FirstPass(LendingBook book, int b, CandidateOrder order, Dictionary<int, UserAccountData> known)
    {
        order.Begin();
        known.Clear();
        BeginTally();
        var candidates = book.CandidateList();
        if (book.NaiveRescan)
        {
            NaivePass(book, b, order, known, candidates);
            return;
        }

        PriceGroups(book, b);
        if (_shares.Length < Workers)
        {
            _shares = [.. _shares, .. Enumerable.Range(0, Workers - _shares.Length).Select(_ => new PassShare())];
        }

        foreach (var share in _shares)
        {
            share.Clear();
        }

        // The frozen accounts first: those still certain enter from their entries; the others thaw, and the
        // candidates' scan, which skips frozen accounts, reads them as usual.
        var frozen = book.FrozenEntries.Length;
        var frozenWorkers = WorkShares.For(Workers, ParallelFrom, frozen);
        WorkShares.Run(frozenWorkers, frozen, (w, from, to) => ScanFrozen(book, b, from, to, _shares[w]));
        Span<(int, int, int)> kept = stackalloc (int, int, int)[frozenWorkers];
        for (var w = 0; w < frozenWorkers; w++)
        {
            kept[w] = _shares[w].FrozenKept;
        }

        // Every entry the scan did not keep is of an account thawed before or by it: the list is compact again.
        book.CompactShares(kept);
        foreach (var share in _shares)
        {
            book.Thaw(share.Thawed);
        }

        var workers = WorkShares.For(Workers, ParallelFrom, candidates.Count);
        PassesSplit += workers > 1 ? 1 : 0;
        WorkShares.Run(workers, candidates.Count, (w, from, to) => Scan(book, b, candidates, from, to, _shares[w]));

        for (var w = 0; w < _shares.Length; w++)
        {
            var share = _shares[w];
            _tally.Merge(share.Tally);
            CertainEntries += share.Certain;
            FrozenEntered += share.Frozen;
            order.Listed(share.Placed, share.SortedPlaced);
            foreach (var i in share.NewGroups)
            {
                var debtKey = book.AccountSummary(i).DebtKey;
                order.Add(i, debtKey, GroupOf(book, b, i, debtKey));
            }

            foreach (var i in share.WideDebt)
            {
                order.Add(i, book.AccountData(i).TotalDebtBase);
            }
        }

        // New frozen entries, with their groups (created above, where they were new).
        foreach (var share in _shares)
        {
            SetGroups(b, share.Freezing);
            book.Freeze(share.Freezing);
        }
    }

    // One share of the pass: reads and writes only accounts candidates[from..to) (and its own share).
    private void Scan(LendingBook book, int b, List<int> candidates, int from, int to, PassShare share)
    {
        var tally = share.Tally;
        for (var k = from; k < to; k++)
        {
            var i = candidates[k];
            if (k + PassPrefetchDistance < to && candidates[k + PassPrefetchDistance] is var ahead && !book.IsFrozen(ahead))
            {
                book.Prefetch(ahead);
            }

            if (book.IsFrozen(i))
            {
                continue; // entered by ScanFrozen
            }

            bool below, debtWide;
            UInt128 debtKey;
            if (book.CertainBelowSolvent(i, out debtKey))
            {
                // Surely below HF 1 and solvent, debt unchanged: no 128-bit recompute (AccountDataCache.Certain.cs).
                tally.AddBelowSolvent();
                (below, debtWide) = (true, false);
                share.Certain++;
                if (book.Freezable(i, debtKey, out var frozen))
                {
                    share.Freezing.Add(frozen);
                }
            }
            else if (book.FreezeDirect(i, out var direct, out var shortfall))
            {
                // Surely below HF 1 from its balances at this block's prices, with its exact debt and shortfall:
                // it freezes without its record being computed (AccountDataCache.Frozen.cs).
                tally.AddBelow(shortfall);
                (below, debtKey, debtWide) = (true, direct.DebtKey, false);
                share.Certain++;
                share.Freezing.Add(direct);
            }
            else
            {
                tally.Add(book, i);
                (below, debtKey, debtWide) = book.AccountSummary(i);
                if (below && !debtWide && book.Freezable(i, debtKey, out var frozen))
                {
                    share.Freezing.Add(frozen);
                }
            }

            if (!below)
            {
                // No member of this fresh round (Begin): nothing to drop from the order.
                _verdicts[b][i] = UnliquidatableReason.None;
            }
            else if (debtWide)
            {
                share.WideDebt.Add(i);
            }
            else if (KnownGroupOf(book, b, i, debtKey) is var tag && tag == NewGroup)
            {
                share.NewGroups.Add(i);
            }
            else
            {
                share.Placed.Add(new CandidateOrder.Entry(debtKey, i, tag));
            }
        }

        share.Tally = tally;
    }

    // One share of the frozen list: entries still certain enter the order (as the candidates' scan would
    // enter the account), the others are listed to thaw. Reads the list and the groups only.
    private void ScanFrozen(LendingBook book, int b, int from, int to, PassShare share)
    {
        var tally = share.Tally;
        var entries = book.FrozenForPass;
        var sorted = book.FrozenSortedCount;
        // Entries kept move to the front of the share's range, in order (k never behind kept): the list compacts as it is read.
        var (kept, keptSorted) = (from, 0);
        for (var k = from; k < to; k++)
        {
            if (k == sorted)
            {
                // Entries placed so far come from the sorted part, in its order: a run the order merges (CandidateOrder).
                share.SortedPlaced = share.Placed.Count;
            }

            ref readonly var entry = ref entries[k];
            var i = entry.Account;
            if (!book.IsFrozen(i))
            {
                continue; // thawed since it froze (its balances changed)
            }

            if (!book.StillCertain(entry, out var shortfall))
            {
                share.Thawed.Add(i);
                continue;
            }

            keptSorted += k < sorted ? 1 : 0;
            if (kept != k)
            {
                entries[kept] = entry;
            }

            kept++;

            tally.AddBelow(shortfall);
            share.Certain++;
            share.Frozen++;
            if (FrozenTag(book, b, entry) is var tag && tag == NewGroup)
            {
                share.NewGroups.Add(i);
            }
            else
            {
                share.Placed.Add(new CandidateOrder.Entry(entry.DebtKey, i, tag));
            }
        }

        if (to <= sorted)
        {
            share.SortedPlaced = share.Placed.Count;
        }

        share.FrozenKept = (from, kept - from, keptSorted);
        share.Tally = tally;
    }

    // The naive reference: every candidate's exact data from scratch, kept for the block.
    private void NaivePass(LendingBook book, int b, CandidateOrder order, Dictionary<int, UserAccountData> known, IReadOnlyList<int> candidates)
    {
        foreach (var i in candidates)
        {
            var exact = book.AccountData(i);
            if (exact.HealthFactor < Core.Math.WadRayMath.Wad)
            {
                order.Add(i, exact.TotalDebtBase);
                known[i] = exact;
            }
            else
            {
                _verdicts[b][i] = UnliquidatableReason.None;
            }
        }
    }

    /// <summary>
    /// One candidate's place in the block's order, from the cache's summary (no exact record copied): above
    /// HF 1 it is no member and its verdict is None; below, it joins with its debt key and group tag.
    /// </summary>
    private void Enter(LendingBook book, int b, CandidateOrder order, int i)
    {
        var (below, debtKey, debtWide) = book.AccountSummary(i);
        if (!below)
        {
            order.Drop(i);
            _verdicts[b][i] = UnliquidatableReason.None;
        }
        else if (debtWide)
        {
            order.Add(i, book.AccountData(i).TotalDebtBase);
        }
        else
        {
            order.Add(i, debtKey, GroupOf(book, b, i, debtKey));
        }
    }
}
