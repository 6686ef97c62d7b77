using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Engine;

/// <summary>The bot's frozen accounts (AccountDataCache.Frozen.cs); none in the naive reference, which never finds an account certain.</summary>
public sealed partial class LendingBook
{
    /// <summary>The frozen list; an entry whose account is no longer <see cref="IsFrozen"/> is skipped.</summary>
    internal ReadOnlySpan<AccountDataCache.Frozen> FrozenEntries => _exact.FrozenEntries;

    internal bool IsFrozen(int i) => _exact.IsFrozen(i);

    /// <summary>How many frozen entries, from the first, are in the competition order (AccountDataCache.FrozenSortedCount).</summary>
    internal int FrozenSortedCount => _exact.FrozenSortedCount;

    /// <summary>The frozen form of an account just found below HF 1 (certain, or by its fresh exact data), when it has one.</summary>
    internal bool Freezable(int i, UInt128 debtKey, out AccountDataCache.Frozen frozen) => _exact.Freezable(i, debtKey, out frozen);

    /// <summary>The frozen form of an account whose data is stale or not computed yet, when it has one, with its exact shortfall (its data stays uncomputed).</summary>
    internal bool FreezeDirect(int i, out AccountDataCache.Frozen frozen, out UInt128 shortfall) => _exact.FreezeDirect(i, out frozen, out shortfall);

    /// <summary>True when a frozen account is surely below HF 1 at the current prices, with its exact shortfall, read from the entry alone.</summary>
    internal bool StillCertain(in AccountDataCache.Frozen frozen, out UInt128 shortfall) => _exact.StillCertain(frozen, out shortfall);

    /// <summary>A frozen account's total collateral in base currency from its entry, when the entry still holds (AccountDataCache.FrozenTotals).</summary>
    internal bool FrozenTotals(in AccountDataCache.Frozen frozen, out UInt128 collateral) => _exact.FrozenTotals(frozen, out collateral);

    /// <summary>Thaws the accounts listed (their entries stay in the list until the next pass drops them).</summary>
    internal void Thaw(List<int> accounts)
    {
        foreach (var i in accounts)
        {
            _exact.Thaw(i);
        }
    }

    /// <summary>The frozen list, for the pass that compacts it as it reads it (AccountDataCache.FrozenForPass).</summary>
    internal Span<AccountDataCache.Frozen> FrozenForPass => _exact.FrozenForPass;

    /// <summary>Ends that pass: moves the entries each share kept together (AccountDataCache.CompactShares).</summary>
    internal void CompactShares(ReadOnlySpan<(int From, int Kept, int KeptSorted)> shares) => _exact.CompactShares(shares);

    internal void Freeze(List<AccountDataCache.Frozen> entries) => _exact.Freeze(entries);
}
