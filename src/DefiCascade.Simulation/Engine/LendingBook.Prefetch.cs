using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Prefetch hints for passes over a large book. On a 1M-account book the passes are bound by memory
/// latency: each account's first touch is a cache miss, so a pass walking a known list asks for the
/// accounts a few entries ahead and their misses overlap. Hints only (pointers never dereferenced);
/// results do not depend on them.
/// </summary>
public sealed partial class LendingBook
{
    /// <summary>Starts loading account <paramref name="i"/>'s exact data into the cache (a hint; no effect on results).</summary>
    internal void Prefetch(int i)
    {
        if (!NaiveRescan)
        {
            _exact.Prefetch(i);
        }
    }

    // Accounts due for a screen come out of the schedule's queues in no memory order; on a large book
    // each one's record and terms are cache misses, overlapped by asking for them a few accounts ahead.
    private const int ScreenPrefetchDistance = 8;

    // An account's screen record (term ranges, last HF and solvency): what the screen and the schedule's bookkeeping read first.
    private unsafe void PrefetchRow(int i)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _rows[i]));
        }
    }

    private unsafe void PrefetchTerms(int i)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        ref readonly var row = ref _rows[i];
        if (row.DebtStart < _debtTerms.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _debtTerms[row.DebtStart]));
        }

        if (row.CollateralStart < _collateralTerms.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _collateralTerms[row.CollateralStart]));
        }
    }
}
