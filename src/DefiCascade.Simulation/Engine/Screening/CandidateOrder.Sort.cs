namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>The sorts behind <see cref="CandidateOrder.Ordered"/>: the radix sort of 64-bit keys and the competition order as a comparer.</summary>
internal sealed partial class CandidateOrder
{
    private Span<Entry> Scratch(int count)
    {
        if (_entriesOut.Length < count)
        {
            _entriesOut = new Entry[Math.Max(count, _entriesOut.Length * 2)];
        }

        return _entriesOut.AsSpan(0, count);
    }

    private static bool AllFit64(Span<Entry> entries)
    {
        foreach (ref readonly var e in entries)
        {
            if (!e.Fits64)
            {
                return false;
            }
        }

        return true;
    }

    // Stable LSD radix sort on complemented 64-bit debts (ascending: largest debt first), 11 bits a pass,
    // skipping digits every key shares; ties then put in ascending account order.
    private void RadixSort(Span<Entry> entries)
    {
        const int Bits = 11;
        const int Buckets = 1 << Bits;
        const int Passes = (64 + Bits - 1) / Bits;
        var n = entries.Length;
        if (n < 2)
        {
            return;
        }

        if (_radixKeys.Length < n)
        {
            var size = Math.Max(n, _radixKeys.Length * 2);
            (_radixKeys, _radixKeysOut, _radixIndex, _radixIndexOut) = (new ulong[size], new ulong[size], new int[size], new int[size]);
        }

        var (keys, index) = (_radixKeys, _radixIndex);
        // Counts and positions stay far below 2^31 (one round's members): no overflow checks in the loops.
        unchecked
        {
            Span<int> counts = stackalloc int[Passes * Buckets];
            counts.Clear();
            for (var k = 0; k < n; k++)
            {
                var key = ~entries[k].Low;
                (keys[k], index[k]) = (key, k);
                for (var p = 0; p < Passes; p++)
                {
                    counts[(p * Buckets) + (int)((key >> (p * Bits)) & (Buckets - 1))]++;
                }
            }

            var (keysOut, indexOut) = (_radixKeysOut, _radixIndexOut);
            for (var p = 0; p < Passes; p++)
            {
                var histogram = counts.Slice(p * Buckets, Buckets);
                if (histogram[(int)((keys[0] >> (p * Bits)) & (Buckets - 1))] == n)
                {
                    continue;
                }

                var sum = 0;
                for (var d = 0; d < Buckets; d++)
                {
                    (histogram[d], sum) = (sum, sum + histogram[d]);
                }

                for (var k = 0; k < n; k++)
                {
                    var slot = histogram[(int)((keys[k] >> (p * Bits)) & (Buckets - 1))]++;
                    (keysOut[slot], indexOut[slot]) = (keys[k], index[k]);
                }

                (keys, keysOut) = (keysOut, keys);
                (index, indexOut) = (indexOut, index);
            }
        }

        var sorted = Scratch(n);
        for (var k = 0; k < n; k++)
        {
            sorted[k] = entries[index[k]];
        }

        // The sort is stable on the input's order: put accounts of equal debt in ascending order.
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                sorted.Slice(start, end - start).Sort(default(LargestFirst));
            }

            start = end;
        }

        sorted.CopyTo(entries);
    }

    private static bool Before(in Entry x, in Entry y) => default(LargestFirst).Compare(x, y) < 0;

    // The competition order as a struct comparer: the sort is specialized for it (no delegate call per comparison).
    private readonly struct LargestFirst : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y) =>
            x.Debt != y.Debt ? y.Debt.CompareTo(x.Debt) : x.Account.CompareTo(y.Account);
    }
}
