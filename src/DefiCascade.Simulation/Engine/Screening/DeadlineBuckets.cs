namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// One exposure group's pending screens, by deadline on the group's clock (ScreenSchedule). A
/// calendar of buckets of fixed clock width instead of a heap: the clock only moves forward, by
/// about one oracle update's log move at a time, so taking what is due reads the few buckets the
/// clock passed, each a list in memory order, where a heap of a million entries would take a
/// chain of cache misses per entry. Accounts far from the threshold sit in far buckets untouched.
/// An entry is (account, version); a later screen of the account makes older entries stale, and
/// they are dropped when their bucket comes due, as the heap dropped them. The buckets near the
/// cursor sit in a ring indexed by bucket number, the rare far ones in a dictionary.
/// </summary>
internal sealed class DeadlineBuckets
{
    // Clock width of one bucket: about a 0.1% price move.
    private const double Width = 1.0 / 1024;

    // Buckets from the cursor on, in a ring of RingSize slots (bucket index i in slot i mod RingSize: no hashing
    // on the million placements of a large book's first screen); a bucket further out waits in _far until the
    // cursor comes near (it is moved into the ring when an entry is added to it then, or read from _far).
    private const int RingSize = 1 << 13;
    private readonly Bucket?[] _ring = new Bucket?[RingSize];
    private readonly Dictionary<long, Bucket> _far = [];
    private readonly Stack<Bucket> _spare = new();
    private int _live;
    // Buckets below this index are empty (taken): the clock has passed them. Never above the clock's
    // bucket after a TakeDue, so an entry added with an earlier deadline lands in a bucket still read.
    // Clocks start at 0 and deadlines are at least about -1e-12, so no entry has a lower index.
    private long _cursor = -1;

    public void Add(int account, int version, double deadline)
    {
        var index = Math.Max(Index(deadline), _cursor);
        var bucket = BucketAt(index);
        bucket.Entries.Add((account, version));
        bucket.Earliest = Math.Min(bucket.Earliest, deadline);
    }

    // The bucket of index `index` (at or past the cursor), made if there is none.
    private Bucket BucketAt(long index)
    {
        if (index - _cursor >= RingSize)
        {
            if (!_far.TryGetValue(index, out var far))
            {
                far = New(index);
                _far[index] = far;
            }

            return far;
        }

        ref var slot = ref _ring[index & (RingSize - 1)];
        if (slot is null)
        {
            slot = _far.Count > 0 && _far.Remove(index, out var near) ? near : New(index);
        }
        else if (slot.Index != index)
        {
            // Two indices of one window never share a slot, and the cursor removes every bucket it passes.
            throw new InvalidOperationException($"screen calendar: bucket {slot.Index} left behind the cursor {_cursor}");
        }

        return slot;
    }

    private Bucket New(long index)
    {
        var bucket = _spare.Count > 0 ? _spare.Pop() : new Bucket();
        bucket.Index = index;
        _live++;
        return bucket;
    }

    // Takes the bucket of index `index` (inside the ring's window) out of the calendar, or null.
    private Bucket? Remove(long index)
    {
        ref var slot = ref _ring[index & (RingSize - 1)];
        if (slot is { } bucket && bucket.Index == index)
        {
            slot = null;
            _live--;
            return bucket;
        }

        if (_far.Count > 0 && _far.Remove(index, out var far))
        {
            _live--;
            return far;
        }

        return null;
    }

    // One bucket's entries, and a deadline no later than any of theirs (stale entries included): while the clock
    // is before it, the bucket the clock is in has nothing due and is not read.
    private sealed class Bucket
    {
        public List<(int Account, int Version)> Entries { get; } = [];

        public double Earliest { get; set; } = double.PositiveInfinity;

        public long Index { get; set; }
    }

    /// <summary>
    /// Appends to <paramref name="due"/> every current entry whose deadline is at most
    /// <paramref name="clock"/> (an account's current version and deadline are in
    /// <paramref name="accounts"/>), and retires those entries: each taken account's version is
    /// bumped and its deadline cleared until it is placed again.
    /// </summary>
    public void TakeDue(double clock, ScreenEntry[] accounts, List<int> due)
    {
        if (_live == 0)
        {
            return;
        }

        // Whole buckets the clock passed: every entry in them is due (if current).
        var last = Index(clock);
        for (; _cursor < last; _cursor++)
        {
            if (Remove(_cursor) is { } bucket)
            {
                foreach (var (account, version) in bucket.Entries)
                {
                    Take(account, version, accounts, due);
                }

                Retire(bucket);
            }

            if (_live == 0)
            {
                _cursor = last;
                break;
            }
        }

        // The bucket the clock is in: its entries at or before the clock are due, the others wait (not read at all
        // while the clock is before the bucket's earliest deadline: a clock that barely moves sits in one bucket).
        if (_live > 0 && BucketIfAny(last) is { } open && open.Earliest <= clock)
        {
            var (current, kept, earliest) = (open.Entries, 0, double.PositiveInfinity);
            for (var k = 0; k < current.Count; k++)
            {
                var (account, version) = current[k];
                if (version != accounts[account].Version)
                {
                    continue;
                }

                var deadline = accounts[account].Deadline;
                if (deadline <= clock)
                {
                    Take(account, version, accounts, due);
                }
                else
                {
                    current[kept++] = current[k];
                    earliest = Math.Min(earliest, deadline);
                }
            }

            current.RemoveRange(kept, current.Count - kept);
            open.Earliest = earliest;
            if (kept == 0)
            {
                Remove(last);
                Retire(open);
            }
        }
    }

    // The cursor's bucket (the cursor is at the clock's bucket here), moved into the ring if it waited in _far.
    private Bucket? BucketIfAny(long index)
    {
        var slot = _ring[index & (RingSize - 1)];
        return slot is not null && slot.Index == index ? slot
            : _far.Count > 0 && _far.ContainsKey(index) ? BucketAt(index)
            : null;
    }

    private static void Take(int account, int version, ScreenEntry[] accounts, List<int> due)
    {
        ref var entry = ref accounts[account];
        // A later screen replaced this entry.
        if (version != entry.Version)
        {
            return;
        }

        entry.Version++;
        entry.Deadline = double.PositiveInfinity;
        due.Add(account);
    }

    private void Retire(Bucket bucket)
    {
        bucket.Entries.Clear();
        bucket.Earliest = double.PositiveInfinity;
        _spare.Push(bucket);
    }

    private static long Index(double clock) => (long)Math.Floor(clock / Width);
}

/// <summary>
/// What the screen schedule keeps per account, in one record (a large book's screens come due in no
/// memory order, and separate arrays per field would cost a cache miss each).
/// </summary>
internal struct ScreenEntry
{
    // When the account's group clock of the direction it can cross in reaches this, it must be screened again (infinite: never).
    public double Deadline;

    // Bumped by every screen: queue entries of older versions are stale.
    public int Version;

    // The account's exposure group (which reserves its screen reads).
    public int Group;

    // Its last screen is below the threshold.
    public bool Candidate;

    // It is in the candidate list (left lazily when it stops being a candidate).
    public bool Listed;
}
