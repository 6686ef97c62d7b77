using System.Numerics;
using System.Runtime.InteropServices;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// The liquidator's competition order of one book's accounts below HF 1 (largest exact debt
/// first, ties by account index), one round per block. The order is a strict total order on
/// (debt, account), so every correct sort yields the same sequence. A round's members arrive as
/// entries (account, debt key, group tag) in any order; the ordered round keeps them in dense
/// arrays by position (<see cref="KeyAt"/>, <see cref="TagAt"/>), so the bot's walk over tens of
/// thousands of members reads them in sequence instead of one scattered per-account record each.
/// Keys are UInt128 (exact debt in base currency fits comfortably): debts under 2^64, nearly all of
/// them, are sorted by a stable radix sort on 64-bit keys; wider ones by a 128-bit comparison, and a
/// debt past 128 bits sends the round to the BigInteger comparison, still the same order. A carried
/// round (<see cref="Carry"/>) keeps last round's sorted members but those dropped or added again, and
/// merges the re-added ones in.
/// </summary>
internal sealed partial class CandidateOrder
{
    private readonly List<Entry> _added = [];
    // BigInteger keys of entries past 128 bits, this round's and the ordered round's.
    private readonly Dictionary<int, BigInteger> _wideAdded = [];
    private Dictionary<int, BigInteger> _wideOrdered = NoWideKeys;
    // The ordered round's keys when none is past 128 bits (never written: a wide round gets its own dictionary).
    private static readonly Dictionary<int, BigInteger> NoWideKeys = [];
    // Accounts a carried round dropped or added again (they leave last round's members): listed, and marked
    // one bit per account so the walk over last round's members tests each in a 1-bit-per-account array.
    private readonly List<int> _touched = [];
    private readonly ulong[] _touchedBits;

    // The ordered round, by position.
    private List<int> _order = [];
    private UInt128[] _keys = [];
    private int[] _tags = [];

    // Scratch of the sorts, reused from block to block (tens of thousands of entries at a deep cascade).
    private List<int> _spare = [];
    private UInt128[] _spareKeys = [];
    private int[] _spareTags = [];
    private ulong[] _radixKeys = [];
    private ulong[] _radixKeysOut = [];
    private int[] _radixIndex = [];
    private int[] _radixIndexOut = [];
    private Entry[] _entries = [];
    private Entry[] _entriesOut = [];
    private bool _carry;

    public CandidateOrder(int accounts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accounts);
        _touchedBits = new ulong[(accounts + 63) / 64];
    }

    /// <summary>One member of a round: its account, its exact debt key (when it fits 128 bits) and the bot's tag.</summary>
    public readonly struct Entry(UInt128 debt, int account, int tag)
    {
        private readonly ulong _low = unchecked((ulong)debt);
        private readonly ulong _high = (ulong)(debt >> 64);

        public int Account { get; } = account;

        public int Tag { get; } = tag;

        public UInt128 Debt => new(_high, _low);

        public bool Fits64 => _high == 0;

        public ulong Low => _low;
    }

    /// <summary>Starts a new block's order: accounts are added in any order, each at most once, then <see cref="Ordered"/>.</summary>
    public void Begin()
    {
        _added.Clear();
        _wideAdded.Clear();
        foreach (var account in _touched)
        {
            _touchedBits[account >> 6] = 0;
        }

        _touched.Clear();
        _sortedRuns.Clear();
        _carry = false;
    }

    /// <summary>Last round's accounts were ordered on a key past 128 bits (a carried round would need them).</summary>
    public bool LastRoundWide => _wideOrdered.Count > 0;

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

    /// <summary>Makes the account no member of this round: a carried one leaves; in a fresh round (<see cref="Begin"/>) only added accounts are members anyway.</summary>
    public void Drop(int account) => Touch(account);

    public void Add(int account, BigInteger debt)
    {
        // A debt past 128 bits (or negative) sends this round to the BigInteger comparison.
        if (debt.Sign >= 0 && debt.GetBitLength() <= 128)
        {
            Add(account, (UInt128)debt);
            return;
        }

        Touch(account);
        _wideAdded[account] = debt;
        _added.Add(new Entry(UInt128.Zero, account, -1));
    }

    /// <summary>
    /// Adds an account whose debt fits 128 bits (no BigInteger on the common path), with a tag the
    /// caller reads back on the account's visit (<see cref="TagAt"/>).
    /// </summary>
    public void Add(int account, UInt128 debt, int tag = -1)
    {
        Touch(account);
        _added.Add(new Entry(debt, account, tag));
    }

    /// <summary>
    /// Adds entries made elsewhere (a pass's shares, on several threads), each account at most once; the first
    /// <paramref name="sortedPrefix"/> of them are in the competition order already (a run <see cref="Ordered"/> merges).
    /// </summary>
    public void Listed(List<Entry> entries, int sortedPrefix = 0)
    {
        if (_carry)
        {
            foreach (var entry in entries)
            {
                Touch(entry.Account);
            }
        }
        else if (sortedPrefix > 1)
        {
            _sortedRuns.Add((_added.Count, sortedPrefix));
        }

        _added.AddRange(entries);
    }

    private void Touch(int account)
    {
        if (_carry && !Touched(account))
        {
            _touched.Add(account);
            _touchedBits[account >> 6] |= 1UL << (account & 63);
        }
    }

    private bool Touched(int account) => (_touchedBits[account >> 6] & (1UL << (account & 63))) != 0;

    /// <summary>
    /// The summary the member at <paramref name="position"/> of the ordered round was ordered by: below HF 1
    /// (only such accounts are added), its 128-bit debt key, or <c>DebtWide</c> when added past 128 bits.
    /// </summary>
    public (bool Below, UInt128 DebtKey, bool DebtWide) SummaryAt(int position)
    {
        if (_wideOrdered.Count > 0 && _wideOrdered.ContainsKey(_order[position]))
        {
            return (true, UInt128.Zero, true);
        }

        return (true, _keys[position], false);
    }

    /// <summary>The tag the member at <paramref name="position"/> was added with (-1: none, or added with a BigInteger key).</summary>
    public int TagAt(int position) => _tags[position];

    /// <summary>The ordered round's tags by position (<see cref="TagAt"/>).</summary>
    public ReadOnlySpan<int> Tags => _tags.AsSpan(0, _order.Count);

    /// <summary>The ordered round's 128-bit debt keys by position (zero for a member added past 128 bits, whose tag is -1).</summary>
    public ReadOnlySpan<UInt128> Keys => _keys.AsSpan(0, _order.Count);

    /// <summary>The accounts added this block, largest debt first, ties by ascending account.</summary>
    public List<int> Ordered()
    {
        var wide = _wideAdded.Count > 0 || (_carry && _wideOrdered.Keys.Any(account => !Touched(account)));
        var wideKeys = wide ? WideKeys() : NoWideKeys;
        var most = (_carry ? _order.Count : 0) + _added.Count;
        var next = _spare;
        next.Clear();
        CollectionsMarshal.SetCount(next, most);
        var accounts = CollectionsMarshal.AsSpan(next);
        if (_spareKeys.Length < most)
        {
            (_spareKeys, _spareTags) = (new UInt128[Math.Max(most, _spareKeys.Length * 2)], new int[Math.Max(most, _spareKeys.Length * 2)]);
        }

        int count;
        if (!wide && _carry)
        {
            count = MergeCarried(accounts, _spareKeys, _spareTags);
        }
        else if (!wide && _sortedRuns.Count > 0 && MergeRuns(CollectionsMarshal.AsSpan(_added), accounts, _spareKeys, _spareTags))
        {
            count = _added.Count;
        }
        else
        {
            var entries = Gather();
            if (wide)
            {
                var keyed = entries.ToArray();
                BigInteger Key(in Entry e) => wideKeys.TryGetValue(e.Account, out var k) ? k : (BigInteger)e.Debt;
                Array.Sort(keyed, (x, y) => Key(y).CompareTo(Key(x)) is var c && c != 0 ? c : x.Account.CompareTo(y.Account));
                keyed.CopyTo(entries);
            }
            else if (AllFit64(entries))
            {
                RadixSort(entries);
            }
            else
            {
                entries.Sort(default(LargestFirst));
            }

            count = entries.Length;
            for (var k = 0; k < count; k++)
            {
                (accounts[k], _spareKeys[k], _spareTags[k]) = (entries[k].Account, entries[k].Debt, entries[k].Tag);
            }
        }

        CollectionsMarshal.SetCount(next, count);
        (_spare, _order) = (_order, next);
        (_spareKeys, _keys) = (_keys, _spareKeys);
        (_spareTags, _tags) = (_tags, _spareTags);
        _wideOrdered = wideKeys;
        return next;
    }

    // This round's entries; a carried round's are last round's kept members (copied) followed by the added ones.
    private Span<Entry> Gather()
    {
        if (!_carry)
        {
            // A fresh round's entries are the added ones: sorted where they are (Begin clears them).
            return CollectionsMarshal.AsSpan(_added);
        }

        var most = (_carry ? _order.Count : 0) + _added.Count;
        if (_entries.Length < most)
        {
            _entries = new Entry[Math.Max(most, _entries.Length * 2)];
        }

        var n = 0;
        if (_carry)
        {
            var last = CollectionsMarshal.AsSpan(_order);
            for (var k = 0; k < last.Length; k++)
            {
                if (!Touched(last[k]))
                {
                    _entries[n++] = new Entry(_keys[k], last[k], _tags[k]);
                }
            }
        }

        CollectionsMarshal.AsSpan(_added).CopyTo(_entries.AsSpan(n));
        return _entries.AsSpan(0, n + _added.Count);
    }

    // The BigInteger keys of this round's members: the added ones, and a carried round's kept ones.
    private Dictionary<int, BigInteger> WideKeys()
    {
        var keys = new Dictionary<int, BigInteger>(_wideAdded);
        if (_carry)
        {
            foreach (var (account, key) in _wideOrdered)
            {
                if (!Touched(account))
                {
                    keys[account] = key;
                }
            }
        }

        return keys;
    }

    // A carried round into (accounts, keys, tags): last round's members not touched, in their order, with the
    // added ones (a few) sorted and merged in, in one pass. Returns the round's size.
    private int MergeCarried(Span<int> accounts, UInt128[] keys, int[] tags)
    {
        var added = CollectionsMarshal.AsSpan(_added);
        added.Sort(default(LargestFirst));
        var last = CollectionsMarshal.AsSpan(_order);
        var (a, m) = (0, 0);
        for (var k = 0; k < last.Length; k++)
        {
            if (Touched(last[k]))
            {
                continue;
            }

            var kept = new Entry(_keys[k], last[k], _tags[k]);
            for (; a < added.Length && Before(added[a], kept); a++, m++)
            {
                (accounts[m], keys[m], tags[m]) = (added[a].Account, added[a].Debt, added[a].Tag);
            }

            (accounts[m], keys[m], tags[m]) = (last[k], _keys[k], _tags[k]);
            m++;
        }

        for (; a < added.Length; a++, m++)
        {
            (accounts[m], keys[m], tags[m]) = (added[a].Account, added[a].Debt, added[a].Tag);
        }

        return m;
    }
}
