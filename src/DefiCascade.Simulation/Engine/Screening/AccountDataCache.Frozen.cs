using System.Numerics;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// Frozen accounts: in a crash most candidates below HF 1 are the same accounts block after block, each
/// with one or two collateral and one or two debt reserves, no e-mode, surely below HF 1. Reading each one's
/// record, balances and masks again every block is most of the bot's first pass on a large book (a few cache
/// misses per account). Such an account, once a pass finds it surely below HF 1, is kept in a dense list with
/// what the pass and the bot's group tag read: its reserves, its collateral balances (exact), its debts as
/// doubles, its exact debt key and the epoch that key was computed at. The next passes read the entry in
/// sequence instead of the account:
/// - HF below 1 by <see cref="CertainBelowSolvent"/>'s float test on the same doubles, summed in the same
///   (ascending reserve) order, so the answer is the same bit for bit;
/// - the debt key holds while no debt reserve's price has moved since that epoch (nor the balances: any
///   change to them thaws the account, AccountChanged);
/// - the shortfall is 0 where the float test proves solvency, as CertainBelowSolvent's; otherwise it is the
///   debt key minus the total collateral in base currency, computed as <see cref="Compute"/> does (per
///   reserve, balance times price over unit, floored; summed).
/// An entry that fails its test thaws: the account goes back to the candidates' path that block.
/// </summary>
internal sealed partial class AccountDataCache
{
    private readonly ulong[] _frozenBits;
    private Frozen[] _frozen = [];
    private int _frozenCount;
    // The first _frozenSorted entries are in the competition order (debt key descending, then account);
    // newer entries follow in the order they froze until the tail is large enough to merge in.
    private int _frozenSorted;
    private Frozen[] _frozenScratch = [];

    /// <summary>
    /// A frozen account as the pass reads it (96 bytes, read in sequence). Reserves: ascending, -1 for none.
    /// Balances are kept exact (collateral: the shortfall) and as doubles (the float tests), converted once.
    /// </summary>
    public struct Frozen
    {
        public UInt128 DebtKey;
        public UInt128 Collateral0;
        public UInt128 Collateral1;
        public double CollateralAmount0;
        public double CollateralAmount1;
        public double Debt0;
        public double Debt1;
        // The epoch the debt key was computed at (entries are made only while epochs fit an int).
        public int Stamp;
        public int Account;
        // The bot's settlement group of the entry's reserves, plus one (0: not known when the entry was made).
        public int GroupSlot;
        public sbyte C0;
        public sbyte C1;
        public sbyte D0;
        public sbyte D1;

        /// <summary>The collateral balance of reserve <paramref name="r"/> as a double (CollateralAmount's value).</summary>
        public readonly double CollateralAmount(int r) => r == C0 ? CollateralAmount0 : r == C1 ? CollateralAmount1 : 0;

        /// <summary>The debt of reserve <paramref name="r"/> as a double (DebtAmount's value).</summary>
        public readonly double DebtAmount(int r) => r == D0 ? Debt0 : r == D1 ? Debt1 : 0;

        public readonly int CollateralMask => (1 << C0) | (C1 < 0 ? 0 : 1 << C1);

        public readonly int BorrowMask => (1 << D0) | (D1 < 0 ? 0 : 1 << D1);
    }

    /// <summary>The frozen list (entries of thawed accounts stay until the bot's next pass drops them: test <see cref="IsFrozen"/>).</summary>
    public ReadOnlySpan<Frozen> FrozenEntries => _frozen.AsSpan(0, _frozenCount);

    /// <summary>
    /// How many of <see cref="FrozenEntries"/>, from the first, are in the competition order (debt key descending,
    /// then ascending account): a frozen entry's key holds while it is frozen, so the bot's pass reads them
    /// as one sorted run and the order only merges it (CandidateOrder).
    /// </summary>
    public int FrozenSortedCount => _frozenSorted;

    public bool IsFrozen(int i) => (_frozenBits[i >> 6] & (1UL << (i & 63))) != 0;

    /// <summary>
    /// The frozen form of account <paramref name="i"/>, whose entry is fresh or certain with debt key
    /// <paramref name="debtKey"/>, when it can freeze: one or two collateral reserves, one or two others
    /// borrowed, no stable debt, no e-mode, a 128-bit entry, and surely below HF 1 now (<see cref="StillCertain"/>).
    /// </summary>
    public bool Freezable(int i, UInt128 debtKey, out Frozen frozen)
    {
        frozen = default;
        ref readonly var head = ref _heads[i];
        if ((head.State & (State.Narrow | State.Wide)) != State.Narrow || !FrozenShape(head, out var c0, out var c1, out var d0, out var d1))
        {
            return false;
        }

        frozen = Entry(i, c0, c1, d0, d1, debtKey, head.CachedAt);
        return head.CachedAt <= int.MaxValue && StillCertain(frozen, out _);
    }

    /// <summary>
    /// <see cref="Freezable"/> for an account whose entry is stale or was never computed, without computing it:
    /// the exact debt key from the debt balances at the current prices (as <see cref="Compute"/> sums it), then
    /// the entry's test, which gives the exact shortfall. The account's own entry stays stale (the first read of
    /// its full data computes it), so a first pass over many accounts below HF 1 fills none of their records.
    /// </summary>
    public bool FreezeDirect(int i, out Frozen frozen, out UInt128 shortfall)
    {
        (frozen, shortfall) = (default, UInt128.Zero);
        ref readonly var head = ref _heads[i];
        var row = i * _reserves;
        if ((head.State & State.Wide) != 0 || _pricesWide || !FrozenShape(head, out var c0, out var c1, out var d0, out var d1)
            || !BaseSum(_terms[row + d0].Debt, d0, d1 < 0 ? UInt128.Zero : _terms[row + d1].Debt, d1, out var debtKey))
        {
            return false;
        }

        frozen = Entry(i, c0, c1, d0, d1, debtKey, _epoch);
        return _epoch <= int.MaxValue && StillCertain(frozen, out shortfall);
    }

    // The reserves of an account that can freeze, ascending (-1: none): one or two collateral reserves, one or
    // two others borrowed, no stable debt, no e-mode.
    private static bool FrozenShape(in Head head, out int c0, out int c1, out int d0, out int d1)
    {
        int collateral = head.CollateralMask, borrowing = head.BorrowMask;
        (c0, c1, d0, d1) = (BitOperations.TrailingZeroCount(collateral), Second(collateral), BitOperations.TrailingZeroCount(borrowing), Second(borrowing));
        return head.EMode == 0 && head.StableMask == 0 && collateral != 0 && borrowing != 0 && (collateral & borrowing) == 0
            && BitOperations.PopCount((uint)collateral) <= 2 && BitOperations.PopCount((uint)borrowing) <= 2;
    }

    private Frozen Entry(int i, int c0, int c1, int d0, int d1, UInt128 debtKey, long stamp)
    {
        var row = i * _reserves;
        var (collateral0, collateral1) = (_terms[row + c0].Collateral, c1 < 0 ? UInt128.Zero : _terms[row + c1].Collateral);
        return new Frozen
        {
            DebtKey = debtKey,
            Collateral0 = collateral0,
            Collateral1 = collateral1,
            CollateralAmount0 = (double)collateral0,
            CollateralAmount1 = (double)collateral1,
            Debt0 = (double)_terms[row + d0].Debt,
            Debt1 = d1 < 0 ? 0 : (double)_terms[row + d1].Debt,
            Stamp = (int)Math.Min(stamp, int.MaxValue),
            Account = i,
            C0 = (sbyte)c0,
            C1 = (sbyte)c1,
            D0 = (sbyte)d0,
            D1 = (sbyte)d1,
        };
    }

    // Amounts of one or two reserves (r1 -1: none) in base currency, as Compute takes them: each amount times
    // its price over its unit, floored, then summed; false where Compute's 128-bit bounds are not met.
    private bool BaseSum(UInt128 amount0, int r0, UInt128 amount1, int r1, out UInt128 total)
    {
        total = UInt128.Zero;
        return AddBase(amount0, r0, ref total) && (r1 < 0 || AddBase(amount1, r1, ref total));
    }

    private bool AddBase(UInt128 amount, int r, ref UInt128 total)
    {
        if (!InBase(amount, _prices[r], r, out var value))
        {
            return false;
        }

        total += value;
        return true;
    }

    // The second lowest bit of a mask, or -1.
    private static int Second(int mask) => (mask & (mask - 1)) is var rest && rest != 0 ? BitOperations.TrailingZeroCount(rest) : -1;

    /// <summary>
    /// True when the frozen account is surely below HF 1 at the current prices, read from its entry alone,
    /// with its exact shortfall (total debt over total collateral in base currency, 0 when solvent).
    /// </summary>
    public bool StillCertain(in Frozen frozen, out UInt128 shortfall)
    {
        shortfall = UInt128.Zero;
        if (!CertainBelow(frozen, out var surelySolvent))
        {
            return false;
        }

        if (surelySolvent)
        {
            return true;
        }

        if (!BaseSum(frozen.Collateral0, frozen.C0, frozen.Collateral1, frozen.C1, out var total))
        {
            return false;
        }

        shortfall = frozen.DebtKey > total ? frozen.DebtKey - total : UInt128.Zero;
        return true;
    }

    // The float test on the entry alone: surely below HF 1 at the current prices with its debt key holding, and
    // whether it is surely solvent too (its shortfall 0 without the exact sum). Inlined: the bot's pass runs it on
    // every frozen entry every block.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool CertainBelow(in Frozen frozen, out bool surelySolvent)
    {
        surelySolvent = false;
        if (_pricesWide || _reserveChangedAt[frozen.D0] > frozen.Stamp || (frozen.D1 >= 0 && _reserveChangedAt[frozen.D1] > frozen.Stamp))
        {
            return false;
        }

        int c0 = frozen.C0, c1 = frozen.C1, d0 = frozen.D0, d1 = frozen.D1;
        var collateral = frozen.CollateralAmount0 * (_priceDoubles[c0] / _unitDoubles[c0]);
        var weighted = collateral * _thresholdDoubles[c0];
        if (c1 >= 0)
        {
            var value = frozen.CollateralAmount1 * (_priceDoubles[c1] / _unitDoubles[c1]);
            collateral += value;
            weighted += value * _thresholdDoubles[c1];
        }

        var debt = frozen.Debt0 * (_priceDoubles[d0] / _unitDoubles[d0]);
        debt += d1 >= 0 ? frozen.Debt1 * (_priceDoubles[d1] / _unitDoubles[d1]) : 0;
        if (!(debt >= CertainDebtFloor) || !(weighted <= debt * (1 - CertainMargin)))
        {
            return false;
        }

        surelySolvent = collateral >= debt * (1 + CertainMargin);
        return true;
    }

    /// <summary>
    /// A frozen account's total collateral in base currency read from its entry, for the result: true when the
    /// account is still frozen and surely below HF 1 at the current prices with its debt key holding (StillCertain's test)
    /// and the sum is within Compute's bounds. Its collateral and debt (the debt key) are then what Totals gives.
    /// </summary>
    public bool FrozenTotals(in Frozen frozen, out UInt128 collateral)
    {
        collateral = UInt128.Zero;
        return IsFrozen(frozen.Account) && CertainBelow(frozen, out _)
            && BaseSum(frozen.Collateral0, frozen.C0, frozen.Collateral1, frozen.C1, out collateral);
    }

    /// <summary>Adds entries made by <see cref="Freezable"/> (on one thread; each account not frozen already).</summary>
    public void Freeze(List<Frozen> entries)
    {
        if (_frozenCount + entries.Count > _frozen.Length)
        {
            Array.Resize(ref _frozen, Math.Max(_frozenCount + entries.Count, _frozen.Length * 2));
        }

        foreach (var entry in entries)
        {
            _frozen[_frozenCount++] = entry;
            _frozenBits[entry.Account >> 6] |= 1UL << (entry.Account & 63);
        }

        // The tail is merged into the sorted entries once it is half as long (each entry is moved a few times in all).
        if (_frozenCount - _frozenSorted > Math.Max(64, _frozenSorted / 2))
        {
            MergeFrozenTail();
        }
    }

    private void MergeFrozenTail()
    {
        var tail = _frozen.AsSpan(_frozenSorted, _frozenCount - _frozenSorted);
        tail.Sort(default(FrozenOrder));
        if (_frozenScratch.Length < _frozenCount)
        {
            _frozenScratch = new Frozen[Math.Max(_frozenCount, _frozen.Length)];
        }

        var merged = _frozenScratch.AsSpan(0, _frozenCount);
        var (a, b, m) = (0, _frozenSorted, 0);
        while (a < _frozenSorted || b < _frozenCount)
        {
            merged[m++] = b >= _frozenCount || (a < _frozenSorted && default(FrozenOrder).Compare(_frozen[a], _frozen[b]) < 0) ? _frozen[a++] : _frozen[b++];
        }

        (_frozen, _frozenScratch) = (_frozenScratch, _frozen);
        _frozenSorted = _frozenCount;
    }

    // The competition order on frozen entries: larger debt key first, then ascending account.
    private readonly struct FrozenOrder : IComparer<Frozen>
    {
        public int Compare(Frozen x, Frozen y) =>
            x.DebtKey != y.DebtKey ? y.DebtKey.CompareTo(x.DebtKey) : x.Account.CompareTo(y.Account);
    }

    /// <summary>The account leaves the frozen list (its entry is dropped by the bot's next pass, <see cref="CompactShares"/>).</summary>
    public void Thaw(int i)
    {
        ref var word = ref _frozenBits[i >> 6];
        var bit = 1UL << (i & 63);
        word &= ~bit;
    }

    /// <summary>
    /// The frozen list for the bot's pass, which compacts it as it reads it: each share of the list keeps the
    /// entries it finds still frozen and certain at the front of its range, in order (<see cref="CompactShares"/>).
    /// </summary>
    public Span<Frozen> FrozenForPass => _frozen.AsSpan(0, _frozenCount);

    /// <summary>
    /// Ends a pass that kept, in the share of the list from each <c>From</c>, its first <c>Kept</c> entries (shares in
    /// list order, together covering it), <c>KeptSorted</c> of them from the sorted part: moves them together.
    /// </summary>
    public void CompactShares(ReadOnlySpan<(int From, int Kept, int KeptSorted)> shares)
    {
        var (count, sorted) = (0, 0);
        foreach (var (from, kept, keptSorted) in shares)
        {
            if (count != from && kept > 0)
            {
                _frozen.AsSpan(from, kept).CopyTo(_frozen.AsSpan(count));
            }

            (count, sorted) = (count + kept, sorted + keptSorted);
        }

        (_frozenCount, _frozenSorted) = (count, sorted);
    }
}
