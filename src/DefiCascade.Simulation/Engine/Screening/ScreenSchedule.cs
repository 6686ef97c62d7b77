using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// Which accounts of a book must be screened again after oracle prices move. An account's screen
/// health factor h is its weighted collateral over its debt, each a positive sum of amounts times
/// prices; when none of its collateral prices fell by a log factor of more than a and none of its
/// debt prices rose by more than b (a and b signed: a negative fall is a rise), h fell by a factor of
/// at most e^(a + b), and the same holds for rises (collateral up, debt down). Accounts are grouped
/// by exposure (which reserves their collateral and debt are in); each group keeps two clocks, one
/// per direction: per oracle update, the down clock adds the largest log fall among its collateral
/// reserves plus the largest log rise among its debt reserves when that sum is positive, the up clock
/// the reverse. So collateral and debt that move together (an LST against ETH debt in a crash) move
/// the clock only by their difference. An account screened at h above the threshold T
/// can only cross it downwards, so it is screened again only when its group's down clock has moved by
/// ln(h / T) since; one below T only when the up clock has moved by ln(T / h). So the set of accounts
/// below T (the candidates) is the one a full rescan finds (ScreeningTests checks it), at a cost that
/// follows the accounts near T instead of the book size or the depth of the cascade: in a crash the
/// accounts already below T are not screened again while prices keep falling. A candidate's screen
/// value may be stale; only its side of T is guaranteed (exact figures come from the exact model). A
/// group whose debt is in stablecoins does not count the stablecoins' stillness as a move, so in a
/// crash an account is screened about once as it approaches T rather than once per halving of its distance.
/// </summary>
internal sealed class ScreenSchedule
{
    // Relative and absolute slack over double rounding of the logs and the screen (~1e-15).
    private const double RelativeSlack = 1e-9;
    private const double AbsoluteSlack = 1e-12;

    private readonly double _threshold;
    private readonly ScreenEntry[] _entries;
    private readonly List<int> _candidates = [];
    private readonly Dictionary<(int Collateral, int Debt), int> _groupOf = new();
    private readonly List<(int Collateral, int Debt)> _groupMasks = [];
    // Per group and direction (0: h falls, 1: h rises), the clock and the pending screens by deadline on it.
    private readonly List<double>[] _clocks = [[], []];
    private readonly List<DeadlineBuckets>[] _due = [[], []];
    private readonly List<int> _dueNow = [];
    private double[] _logPrices = [];
    // An account in _candidates that left the candidates (Listed, not Candidate) is dropped lazily: it is
    // noted in _leavers when it leaves (it may come back before the next read, and then stays listed).
    // The first _sortedCount entries are in ascending order, newcomers are appended after them.
    private int _sortedCount;
    private readonly List<int> _leavers = [];
    private int[] _mergeBuffer = [];

    public ScreenSchedule(int accounts, double threshold)
    {
        _threshold = threshold;
        _entries = new ScreenEntry[accounts];
        Group(0, 0);
    }

    /// <summary>Sets which reserves account <paramref name="i"/>'s screen reads (bits), before placing it.</summary>
    public void Shape(int i, int collateralMask, int debtMask) => _entries[i].Group = Group(collateralMask, debtMask);

    /// <summary>Accounts whose last screen is below the threshold, in ascending order.</summary>
    /// <remarks>
    /// Kept from call to call: leavers are dropped in one sequential pass (order kept), newcomers are appended,
    /// sorted among themselves and merged into the sorted rest: O(n) per block where a full sort of the tens of
    /// thousands of candidates was O(n log n). The pass reads only the list and the few leavers' records, not
    /// every listed account's (a cache miss each on a large book).
    /// </remarks>
    public List<int> Candidates
    {
        get
        {
            var list = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_candidates);
            if (_leavers.Count > 0)
            {
                list = DropLeavers(list);
            }

            if (_sortedCount < list.Length)
            {
                list[_sortedCount..].Sort();
                if (_sortedCount > 0 && list[_sortedCount - 1] > list[_sortedCount])
                {
                    MergeSortedRuns(list, _sortedCount);
                }

                _sortedCount = list.Length;
            }

            return _candidates;
        }
    }

    // Drops the listed accounts that left and did not come back: the sorted part by a merge with the sorted
    // leavers, the appended newcomers (few) by their Listed flag, which the first step clears for every leaver.
    private Span<int> DropLeavers(Span<int> list)
    {
        var drops = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_leavers);
        var count = 0;
        foreach (var i in drops)
        {
            ref var entry = ref _entries[i];
            if (!entry.Candidate && entry.Listed)
            {
                entry.Listed = false;
                drops[count++] = i;
            }
        }

        drops = drops[..count];
        drops.Sort();
        var (kept, d) = (0, 0);
        for (var k = 0; k < _sortedCount; k++)
        {
            var i = list[k];
            while (d < drops.Length && drops[d] < i)
            {
                d++;
            }

            if (d < drops.Length && drops[d] == i)
            {
                continue;
            }

            list[kept++] = i;
        }

        var keptSorted = kept;
        for (var k = _sortedCount; k < list.Length; k++)
        {
            if (_entries[list[k]].Listed)
            {
                list[kept++] = list[k];
            }
        }

        _leavers.Clear();
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(_candidates, kept);
        _sortedCount = keptSorted;
        return list[..kept];
    }

    // Merges list[..middle] and list[middle..], each ascending: the left run is copied aside and written back
    // from the front, which never overtakes the right run's unread part.
    private void MergeSortedRuns(Span<int> list, int middle)
    {
        if (_mergeBuffer.Length < middle)
        {
            _mergeBuffer = new int[Math.Max(middle, _mergeBuffer.Length * 2)];
        }

        var left = _mergeBuffer.AsSpan(0, middle);
        list[..middle].CopyTo(left);
        var (a, b, w) = (0, middle, 0);
        while (a < left.Length && b < list.Length)
        {
            list[w++] = left[a] <= list[b] ? left[a++] : list[b++];
        }

        left[a..].CopyTo(list[w..]);
    }

    /// <summary>Starts loading what <see cref="Place"/> touches of account <paramref name="i"/> (a hint; no effect on results).</summary>
    public unsafe void Prefetch(int i)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _entries[i]));
        }
    }

    /// <summary>True when the account's last screen is below the threshold (it is among <see cref="Candidates"/>).</summary>
    public bool IsCandidate(int i) => _entries[i].Candidate;

    /// <summary>Starts the clocks' price reference without moving them (the first full screen).</summary>
    public void Reset(double[] prices) => _logPrices = prices.Select(p => Math.Log(p)).ToArray();

    /// <summary>
    /// Moves every group's two clocks by the most its accounts' log health factor can have moved in each
    /// direction since the last prices: collateral's largest signed fall plus debt's largest signed rise,
    /// and the reverse, each counted when positive (a clock never runs backwards).
    /// </summary>
    public void Advance(double[] prices)
    {
        Span<double> falls = stackalloc double[prices.Length];
        Span<double> rises = stackalloc double[prices.Length];
        for (var r = 0; r < prices.Length; r++)
        {
            var log = Math.Log(prices[r]);
            var move = log - _logPrices[r];
            (falls[r], rises[r]) = (-move, move);
            _logPrices[r] = log;
        }

        for (var g = 0; g < _groupMasks.Count; g++)
        {
            var (collateral, debt) = _groupMasks[g];
            var down = Math.Max(0, Largest(falls, collateral) + Largest(rises, debt));
            var up = Math.Max(0, Largest(rises, collateral) + Largest(falls, debt));
            _clocks[0][g] += (down * (1 + RelativeSlack)) + AbsoluteSlack;
            _clocks[1][g] += (up * (1 + RelativeSlack)) + AbsoluteSlack;
        }
    }

    /// <summary>Records a fresh screen of account <paramref name="i"/> at its group's current clock.</summary>
    public void Place(int i, double healthFactor)
    {
        ref var entry = ref _entries[i];
        var below = !(healthFactor >= _threshold);
        if (below != entry.Candidate)
        {
            entry.Candidate = below;
            if (below && !entry.Listed)
            {
                _candidates.Add(i);
                entry.Listed = true;
            }

            if (!below && entry.Listed)
            {
                _leavers.Add(i);
            }
        }

        // Any earlier entry of this account in a queue is now stale.
        entry.Version++;
        // No debt (infinite) or no weighted collateral (zero): no price move can carry it across T.
        if (double.IsPositiveInfinity(healthFactor) || !(healthFactor > 0))
        {
            entry.Deadline = double.PositiveInfinity;
            return;
        }

        // Below T it can only cross upwards (the up clock), at or above T only downwards.
        var (g, direction) = (entry.Group, below ? 1 : 0);
        var tolerance = Math.Abs(Math.Log(healthFactor / _threshold));
        entry.Deadline = _clocks[direction][g] + (tolerance * (1 - RelativeSlack)) - AbsoluteSlack;
        _due[direction][g].Add(i, entry.Version, entry.Deadline);
    }

    /// <summary>Accounts to screen again now: every account, candidate or not, whose tolerance its group's clock passed (a list reused by the next call).</summary>
    public List<int> TakeDue()
    {
        var due = _dueNow;
        due.Clear();
        for (var g = 0; g < _groupMasks.Count; g++)
        {
            _due[0][g].TakeDue(_clocks[0][g], _entries, due);
            _due[1][g].TakeDue(_clocks[1][g], _entries, due);
        }

        return due;
    }

    private int Group(int collateralMask, int debtMask)
    {
        if (!_groupOf.TryGetValue((collateralMask, debtMask), out var g))
        {
            g = _groupMasks.Count;
            _groupOf[(collateralMask, debtMask)] = g;
            _groupMasks.Add((collateralMask, debtMask));
            for (var direction = 0; direction < 2; direction++)
            {
                _clocks[direction].Add(0);
                _due[direction].Add(new DeadlineBuckets());
            }
        }

        return g;
    }

    // The largest of the masked reserves' moves (signed); minus infinity for an empty mask, whose side then adds nothing.
    private static double Largest(ReadOnlySpan<double> moves, int mask)
    {
        var largest = double.NegativeInfinity;
        for (var r = 0; mask != 0; r++, mask >>= 1)
        {
            if ((mask & 1) != 0)
            {
                largest = Math.Max(largest, moves[r]);
            }
        }

        return largest;
    }
}
