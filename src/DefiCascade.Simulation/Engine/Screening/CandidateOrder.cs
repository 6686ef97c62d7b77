using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// The liquidator's competition order of one book's accounts below HF 1 (largest exact debt
/// first, ties by account index), kept from block to block. The order is a strict total order on
/// (debt, account), so every correct sort yields the same sequence; keeping the last block's
/// sequence only changes how much work it takes. In a deep cascade most of the tens of thousands of
/// accounts below HF 1 keep their debt between blocks (no liquidation, no price move of their debt),
/// so last block's sequence is already sorted or nearly so: a check or a short insertion sort
/// replaces a full sort on BigInteger keys. Keys are UInt128 (exact debt in base currency fits
/// comfortably); a larger debt falls back to the BigInteger comparison, still the same order.
/// </summary>
internal sealed class CandidateOrder(int accounts)
{
    // Insertion-sort moves allowed per entry before a full sort is cheaper.
    private const int MovesPerEntry = 4;

    // Per account, what one read needs together: the block it was added in, its key and the tag the bot gave it.
    private readonly Slot[] _slots = new Slot[accounts];
    private readonly BigInteger[] _key = new BigInteger[accounts];
    private readonly List<int> _added = [];
    private List<int> _order = [];
    // Buffers reused from block to block: at a deep cascade they hold tens of thousands of entries,
    // and fresh ones every block would land on the large-object heap (only freed by full collections).
    private List<int> _spare = [];
    private (UInt128 Debt, int Account)[] _entries = [];
    private ulong[] _debts = [];
    private int[] _accounts = [];
    private int _round;
    private bool _wide;
    // This round began with last round's ordered accounts as members (Carry).
    private bool _carry;

    /// <summary>Starts loading account <paramref name="i"/>'s entries (a hint, as AccountDataCache.Prefetch).</summary>
    public unsafe void Prefetch(int i)
    {
        if (Sse.IsSupported && (uint)i < (uint)_slots.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[i]));
        }
    }

    /// <summary>Starts a new block's order: accounts are added in any order, then <see cref="Ordered"/>.</summary>
    public void Begin()
    {
        _round++;
        _added.Clear();
        _wide = false;
        _carry = false;
    }

    /// <summary>Last round's accounts were ordered on a key past 128 bits (a carried round would need them).</summary>
    public bool LastRoundWide { get; private set; }

    /// <summary>
    /// Starts a new block's order whose members are last block's ordered accounts with their keys and
    /// tags, for a block in which none of them changed; accounts that did are added again
    /// (<see cref="Add(int, UInt128, int)"/>, new key) or <see cref="Drop"/>ped.
    /// </summary>
    public void Carry()
    {
        Begin();
        _carry = true;
    }

    /// <summary>Makes the account no member of this round (a carried one leaves; for any other it changes nothing).</summary>
    public void Drop(int account) => _slots[account].Stamp = 0;

    public void Add(int account, BigInteger debt)
    {
        // A debt past 128 bits (or negative) sends this block to the BigInteger comparison.
        if (debt.Sign >= 0 && debt.GetBitLength() <= 128)
        {
            Add(account, (UInt128)debt);
            return;
        }

        ref var slot = ref _slots[account];
        (slot.Stamp, slot.Wide, slot.Tag) = (_round, true, -1);
        _key[account] = debt;
        _wide = true;
        _added.Add(account);
    }

    /// <summary>
    /// Adds an account whose debt fits 128 bits (no BigInteger on the common path), with a tag the
    /// caller reads back on the account's first visit (<see cref="Tag"/>).
    /// </summary>
    public void Add(int account, UInt128 debt, int tag = -1)
    {
        Place(account, debt, tag);
        _added.Add(account);
    }

    /// <summary>
    /// <see cref="Add(int, UInt128, int)"/>'s entry without listing the account: for passes that write
    /// disjoint accounts' entries on several threads, then list them (<see cref="Listed"/>) on one.
    /// </summary>
    public void Place(int account, UInt128 debt, int tag)
    {
        ref var slot = ref _slots[account];
        (slot.Stamp, slot.NarrowKey, slot.Wide, slot.Tag) = (_round, debt, false, tag);
    }

    /// <summary>Lists accounts <see cref="Place"/>d this round (in any order: <see cref="Ordered"/> sorts).</summary>
    public void Listed(List<int> accounts) => _added.AddRange(accounts);

    /// <summary>
    /// The summary an account added this block was ordered by: below HF 1 (only such accounts are added),
    /// its 128-bit debt key, or <c>DebtWide</c> when the debt was added as a BigInteger past 128 bits.
    /// </summary>
    public (bool Below, UInt128 DebtKey, bool DebtWide) OrderedSummary(int account) =>
        _slots[account].Wide ? (true, UInt128.Zero, true) : (true, _slots[account].NarrowKey, false);

    /// <summary>The tag an account was added with this block (-1: none, or added with a BigInteger key).</summary>
    public int Tag(int account) => _slots[account].Tag;

    private BigInteger Key(int account) => _slots[account].Wide ? _key[account] : (BigInteger)_slots[account].NarrowKey;

    /// <summary>The accounts added this block, largest debt first, ties by ascending account.</summary>
    public List<int> Ordered()
    {
        // Last block's sequence restricted to this block's accounts, then the newcomers.
        var next = _spare;
        next.Clear();
        _spare = _order;
        var consumed = -_round;
        // Last round's members were marked consumed (-(round - 1)) when it was ordered.
        var carried = _carry ? 1 - _round : 0;
        var most = _order.Count + _added.Count;
        if (_debts.Length < most)
        {
            var size = Math.Max(most, _debts.Length * 2);
            (_debts, _accounts) = (new ulong[size], new int[size]);
        }

        // Most debts fit 64 bits: their keys are collected as the members are (one read of each slot) and
        // sorted with their accounts by the primitive sort (no comparer). Complemented: ascending is largest first.
        var narrow = true;
        for (var k = 0; k < _order.Count; k++)
        {
            var i = _order[k];
            if (k + 8 < _order.Count)
            {
                Prefetch(_order[k + 8]);
            }

            ref var slot = ref _slots[i];
            if (slot.Stamp == _round || (carried != 0 && slot.Stamp == carried))
            {
                narrow &= slot.NarrowKey <= ulong.MaxValue;
                (_debts[next.Count], _accounts[next.Count]) = (~(ulong)(slot.NarrowKey & ulong.MaxValue), i);
                next.Add(i);
                slot.Stamp = consumed;
            }
        }

        foreach (var i in _added)
        {
            ref var slot = ref _slots[i];
            if (slot.Stamp == _round)
            {
                narrow &= slot.NarrowKey <= ulong.MaxValue;
                (_debts[next.Count], _accounts[next.Count]) = (~(ulong)(slot.NarrowKey & ulong.MaxValue), i);
                next.Add(i);
                slot.Stamp = consumed;
            }
        }

        LastRoundWide = _wide;
        if (_wide)
        {
            next.Sort((x, y) => Key(y) != Key(x) ? Key(y).CompareTo(Key(x)) : x.CompareTo(y));
            _order = next;
            return next;
        }

        var debts = _debts.AsSpan(0, next.Count);
        var members = _accounts.AsSpan(0, next.Count);
        if (narrow)
        {
            if (!InsertionSort(debts, members))
            {
                debts.Sort(members);
                SortTies(debts, members);
            }

            members.CopyTo(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(next));
            _order = next;
            return next;
        }

        if (_entries.Length < next.Count)
        {
            _entries = new (UInt128 Debt, int Account)[Math.Max(next.Count, _entries.Length * 2)];
        }

        var entries = _entries.AsSpan(0, next.Count);
        for (var k = 0; k < next.Count; k++)
        {
            entries[k] = (_slots[next[k]].NarrowKey, next[k]);
        }

        if (!InsertionSort(entries))
        {
            entries.Sort(default(LargestFirst));
        }

        for (var k = 0; k < entries.Length; k++)
        {
            next[k] = entries[k].Account;
        }

        _order = next;
        return next;
    }

    // The primitive sort is not stable: accounts of equal debt are put in ascending order afterwards.
    private static void SortTies(Span<ulong> debts, Span<int> members)
    {
        for (var start = 0; start < debts.Length;)
        {
            var end = start + 1;
            while (end < debts.Length && debts[end] == debts[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                members[start..end].Sort();
            }

            start = end;
        }
    }

    // InsertionSort on complemented 64-bit debts and their accounts (ascending key, then ascending account).
    private static bool InsertionSort(Span<ulong> debts, Span<int> members)
    {
        var budget = (long)MovesPerEntry * debts.Length;
        for (var k = 1; k < debts.Length; k++)
        {
            var (debt, member) = (debts[k], members[k]);
            var j = k - 1;
            while (j >= 0 && (debt != debts[j] ? debt < debts[j] : member < members[j]))
            {
                if (--budget < 0)
                {
                    (debts[j + 1], members[j + 1]) = (debt, member);
                    return false;
                }

                (debts[j + 1], members[j + 1]) = (debts[j], members[j]);
                j--;
            }

            (debts[j + 1], members[j + 1]) = (debt, member);
        }

        return true;
    }

    // Sorts in place when the input is nearly sorted; false (input then partly sorted) past the move budget.
    private static bool InsertionSort(Span<(UInt128 Debt, int Account)> entries)
    {
        var budget = (long)MovesPerEntry * entries.Length;
        for (var k = 1; k < entries.Length; k++)
        {
            var item = entries[k];
            var j = k - 1;
            while (j >= 0 && Before(item, entries[j]))
            {
                if (--budget < 0)
                {
                    // Refill the hole so the array stays a permutation for the full sort.
                    entries[j + 1] = item;
                    return false;
                }

                entries[j + 1] = entries[j];
                j--;
            }

            entries[j + 1] = item;
        }

        return true;
    }

    private static bool Before((UInt128 Debt, int Account) x, (UInt128 Debt, int Account) y) =>
        x.Debt != y.Debt ? x.Debt > y.Debt : x.Account < y.Account;

    // The competition order as a struct comparer: the sort is specialized for it (no delegate call per comparison).
    private readonly struct LargestFirst : IComparer<(UInt128 Debt, int Account)>
    {
        public int Compare((UInt128 Debt, int Account) x, (UInt128 Debt, int Account) y) =>
            x.Debt != y.Debt ? y.Debt.CompareTo(x.Debt) : x.Account.CompareTo(y.Account);
    }

    private struct Slot
    {
        public UInt128 NarrowKey;
        public int Stamp;
        public int Tag;
        public bool Wide;
    }
}
