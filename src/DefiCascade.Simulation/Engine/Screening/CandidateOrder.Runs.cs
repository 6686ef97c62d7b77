namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// Rounds that arrive mostly sorted. The bot's first pass reads the frozen accounts' sorted part in order
/// (AccountDataCache.FrozenSortedCount: a frozen account's debt key holds while it is frozen), so most of a
/// deep cascade's members come as one sorted run per worker. Such a round sorts only the other entries
/// and merges the runs in, writing the ordered round's arrays as it goes: one sequential pass over the
/// members instead of a radix sort's several and the copies around it (on a large book these passes are
/// bound by memory bandwidth). A run is checked as it is merged; one out of order sends the round to the
/// full sort. Either way the sequence is the one strict total order on (debt, account).
/// </summary>
internal sealed partial class CandidateOrder
{
    // This round's runs already in the competition order: (start, count) in the order entries were added.
    private readonly List<(int Start, int Count)> _sortedRuns = [];
    private Entry[] _rest = [];
    private Entry[] _runs = [];

    // The round in order into (accounts, keys, tags); false when a run is out of order (the outputs are then to be rewritten).
    private bool MergeRuns(Span<Entry> entries, Span<int> accounts, UInt128[] keys, int[] tags)
    {
        var rest = Grow(ref _rest, entries.Length);
        var (n, at) = (0, 0);
        foreach (var (start, count) in _sortedRuns)
        {
            entries[at..start].CopyTo(rest[n..]);
            (n, at) = (n + start - at, start + count);
        }

        entries[at..].CopyTo(rest[n..]);
        n += entries.Length - at;
        rest = rest[..n];
        if (AllFit64(rest))
        {
            RadixSort(rest);
        }
        else
        {
            rest.Sort(default(LargestFirst));
        }

        // Several runs (one per worker) are first merged into one.
        ReadOnlySpan<Entry> run = entries.Slice(_sortedRuns[0].Start, _sortedRuns[0].Count);
        for (var r = 1; r < _sortedRuns.Count; r++)
        {
            var other = entries.Slice(_sortedRuns[r].Start, _sortedRuns[r].Count);
            var into = r % 2 == 1 ? Grow(ref _runs, entries.Length) : Scratch(entries.Length);
            if (!Merge(run, other, into[..(run.Length + other.Length)], out var merged))
            {
                return false;
            }

            run = merged;
        }

        var (a, b) = (0, 0);
        for (var m = 0; m < entries.Length; m++)
        {
            if (b < run.Length && (a >= rest.Length || Before(run[b], rest[a])))
            {
                // The run's order is checked as it is read.
                if (b > 0 && !Before(run[b - 1], run[b]))
                {
                    return false;
                }

                (accounts[m], keys[m], tags[m]) = (run[b].Account, run[b].Debt, run[b].Tag);
                b++;
            }
            else
            {
                (accounts[m], keys[m], tags[m]) = (rest[a].Account, rest[a].Debt, rest[a].Tag);
                a++;
            }
        }

        return true;
    }

    // Merges two runs; false when either is out of order.
    private static bool Merge(ReadOnlySpan<Entry> x, ReadOnlySpan<Entry> y, Span<Entry> into, out ReadOnlySpan<Entry> merged)
    {
        merged = into;
        if (!RunInOrder(x) || !RunInOrder(y))
        {
            return false;
        }

        var (a, b) = (0, 0);
        for (var m = 0; m < into.Length; m++)
        {
            into[m] = b >= y.Length || (a < x.Length && Before(x[a], y[b])) ? x[a++] : y[b++];
        }

        return true;
    }

    private static bool RunInOrder(ReadOnlySpan<Entry> run)
    {
        for (var k = 1; k < run.Length; k++)
        {
            if (!Before(run[k - 1], run[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static Span<Entry> Grow(ref Entry[] buffer, int count)
    {
        if (buffer.Length < count)
        {
            buffer = new Entry[Math.Max(count, buffer.Length * 2)];
        }

        return buffer.AsSpan(0, count);
    }
}
