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
    // each one's slots and terms are cache misses, overlapped by asking for them a few accounts ahead.
    private const int ScreenPrefetchDistance = 8;

    private unsafe void PrefetchSlots(int i)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        Sse.Prefetch0(Unsafe.AsPointer(ref _debtStart[i]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _debtCount[i]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _collateralStart[i]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _collateralCount[i]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _screenHf[i]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _screenSolvency[i]));
    }

    private unsafe void PrefetchHf(int i)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _screenHf[i]));
        }
    }

    private unsafe void PrefetchTerms(int i)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var (debt, collateral) = (_debtStart[i], _collateralStart[i]);
        if (debt < _debtReserves.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _debtReserves[debt]));
            Sse.Prefetch0(Unsafe.AsPointer(ref _debtUnits[debt]));
        }

        if (collateral < _collateralReserves.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _collateralReserves[collateral]));
            Sse.Prefetch0(Unsafe.AsPointer(ref _collateralWeights[collateral]));
            Sse.Prefetch0(Unsafe.AsPointer(ref _collateralUnits[collateral]));
        }
    }
}
