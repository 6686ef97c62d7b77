namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// One exposure group's pending screens, by deadline on the group's clock (ScreenSchedule). A
/// calendar of buckets of fixed clock width instead of a heap: the clock only moves forward, by
/// about one oracle update's log move at a time, so taking what is due reads the few buckets the
/// clock passed, each a list in memory order, where a heap of a million entries would take a
/// chain of cache misses per entry. Accounts far from the threshold sit in far buckets untouched.
/// An entry is (account, version); a later screen of the account makes older entries stale, and
/// they are dropped when their bucket comes due, as the heap dropped them.
/// </summary>
internal sealed class DeadlineBuckets
{
    // Clock width of one bucket: about a 0.1% price move.
    private const double Width = 1.0 / 1024;

    private readonly Dictionary<long, Bucket> _buckets = [];
    private readonly Stack<Bucket> _spare = new();
    // Buckets below this index are empty (taken): the clock has passed them. Never above the clock's
    // bucket after a TakeDue, so an entry added with an earlier deadline lands in a bucket still read.
    private long _cursor = long.MinValue;

    public void Add(int account, int version, double deadline)
    {
        var index = Math.Max(Index(deadline), _cursor);
        if (!_buckets.TryGetValue(index, out var bucket))
        {
            bucket = _spare.Count > 0 ? _spare.Pop() : new Bucket();
            _buckets[index] = bucket;
        }

        bucket.Entries.Add((account, version));
        bucket.Earliest = Math.Min(bucket.Earliest, deadline);
    }

    // One bucket's entries, and a deadline no later than any of theirs (stale entries included): while the clock
    // is before it, the bucket the clock is in has nothing due and is not read.
    private sealed class Bucket
    {
        public List<(int Account, int Version)> Entries { get; } = [];

        public double Earliest { get; set; } = double.PositiveInfinity;
    }

    /// <summary>
    /// Appends to <paramref name="due"/> every current entry whose deadline is at most
    /// <paramref name="clock"/> (an account's current version and deadline are in
    /// <paramref name="accounts"/>), and retires those entries: each taken account's version is
    /// bumped and its deadline cleared until it is placed again.
    /// </summary>
    public void TakeDue(double clock, ScreenEntry[] accounts, List<int> due)
    {
        if (_buckets.Count == 0)
        {
            return;
        }

        var last = Index(clock);
        if (_cursor == long.MinValue)
        {
            // Never past the clock: an entry added later with an earlier deadline goes to the cursor's bucket.
            _cursor = Math.Min(_buckets.Keys.Min(), last);
        }

        // Whole buckets the clock passed: every entry in them is due (if current).
        for (; _cursor < last; _cursor++)
        {
            if (_buckets.Remove(_cursor, out var bucket))
            {
                foreach (var (account, version) in bucket.Entries)
                {
                    Take(account, version, accounts, due);
                }

                Retire(bucket);
            }

            if (_buckets.Count == 0)
            {
                _cursor = last;
                break;
            }
        }

        // The bucket the clock is in: its entries at or before the clock are due, the others wait (not read at all
        // while the clock is before the bucket's earliest deadline: a clock that barely moves sits in one bucket).
        if (_buckets.TryGetValue(last, out var open) && open.Earliest <= clock)
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
                _buckets.Remove(last);
                Retire(open);
            }
        }
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
