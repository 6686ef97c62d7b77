using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Settlement by group. In a deep cascade most accounts below HF 1 sit, once the block's first
/// sales have moved the pools, in classes whose bound fails at every size (no gain per unit sold,
/// or no sale at all): <see cref="SurelyNoPlan"/> then settles them whatever their debt, and visiting
/// each one (its masks, its balances, every pair's bound) costs a few cache misses on a large book.
/// The block's first pass, which reads each account anyway and in memory order, tags it with its
/// group: accounts of one e-mode borrowing and posting collateral in the same reserves, no stable
/// debt, with every pair's amounts far from zero (PairBound.SurelyFails's own test, on the block's
/// oracle prices), or as dust. On its visit in competition order, an account of a group whose pairs
/// all fail at every size on the pools of that moment gets the group's verdict without being read;
/// any other goes through <see cref="SurelyNoPlan"/> as before. The verdicts are those
/// SurelyNoPlan gives (SpeedEquivalenceTests).
/// </summary>
public sealed partial class LiquidationBot
{
    private const int NoGroup = -1;
    private const int DustGroup = -2;

    // Per book, groups by (e-mode, collateral mask, debt mask) key, and the groups.
    private readonly Dictionary<long, int>[] _groupOf;
    private readonly List<SettleGroup>[] _groups;
    // Bumped every block: each group's P (oracle prices only) is computed again once per block.
    private int _groupBlock;

    private sealed class SettleGroup(int eMode, int collateralMask, int debtMask, int reserves)
    {
        public int EMode { get; } = eMode;

        public (int Collateral, int Debt)[] Pairs { get; } =
            [.. from c in Enumerable.Range(0, reserves) where ((collateralMask >> c) & 1) != 0
                from d in Enumerable.Range(0, reserves) where ((debtMask >> d) & 1) != 0
                select (c, d)];

        // Each pair's P (collateral per unit of debt at this block's oracle prices); NaN when unusable.
        public double[] P { get; } = new double[System.Numerics.BitOperations.PopCount((uint)collateralMask) * System.Numerics.BitOperations.PopCount((uint)debtMask)];

        public int PBlock { get; set; }

        // The verdict on the pools of bound generation Stamp.
        public int Stamp { get; set; }

        public bool Flat { get; set; }

        public UnliquidatableReason Reason { get; set; }
    }

    /// <summary>
    /// The tag of account <paramref name="i"/> (below HF 1, debt key <paramref name="debtKey"/>) for this
    /// block: <see cref="DustGroup"/>, a group whose verdict settles it when the group is flat, or <see cref="NoGroup"/>.
    /// </summary>
    private int GroupOf(LendingBook book, int b, int i, UInt128 debtKey)
    {
        var tag = GroupKey(book, i, debtKey, out var key);
        if (tag != Keyed)
        {
            return tag;
        }

        if (!_groupOf[b].TryGetValue(key, out var g))
        {
            g = _groups[b].Count;
            _groupOf[b][key] = g;
            _groups[b].Add(new SettleGroup((int)(key >> 48), (int)((key >> 24) & 0xFFFFFF), (int)(key & 0xFFFFFF), book.Market.Reserves.Count));
        }

        PriceGroup(book, _groups[b][g]);
        return FarFromZero(book, _groups[b][g], i) ? g : NoGroup;
    }

    // GroupKey's answer for an account that belongs to the group of its key; KnownGroupOf's for one whose group does not exist yet.
    private const int Keyed = -3;
    private const int NewGroup = -4;

    /// <summary>
    /// <see cref="GroupOf"/> without creating a group, safe on several threads at once (it only reads the
    /// groups, priced for the block by <see cref="PriceGroups"/> beforehand): <see cref="NewGroup"/> when the
    /// account's group does not exist yet (the caller then asks <see cref="GroupOf"/> on one thread).
    /// </summary>
    private int KnownGroupOf(LendingBook book, int b, int i, UInt128 debtKey)
    {
        var tag = GroupKey(book, i, debtKey, out var key);
        if (tag != Keyed)
        {
            return tag;
        }

        return !_groupOf[b].TryGetValue(key, out var g) ? NewGroup : FarFromZero(book, _groups[b][g], i) ? g : NoGroup;
    }

    // Dust, no group, or Keyed with the group's key: (e-mode, collateral reserves, debt reserves).
    private int GroupKey(LendingBook book, int i, UInt128 debtKey, out long key)
    {
        key = 0;
        var (collateralMask, borrowMask, stableMask) = book.ReserveMasks(i);
        if (collateralMask == 0 || borrowMask == 0)
        {
            return NoGroup;
        }

        // SurelyNoPlan's order: dust first, then stable debt, then the pairs.
        if (IsDust(debtKey))
        {
            return DustGroup;
        }

        if ((borrowMask & stableMask) != 0 || book.Market.Reserves.Count > 24)
        {
            return NoGroup;
        }

        key = ((long)book.EModeOf(i) << 48) | ((long)collateralMask << 24) | (uint)borrowMask;
        return Keyed;
    }

    /// <summary>
    /// <see cref="KnownGroupOf"/> for a frozen account, from its entry: no e-mode and no stable debt, so
    /// GroupKey's tests reduce to dust and the key of its reserves, and FarFromZero reads the entry's amounts.
    /// </summary>
    private int FrozenTag(LendingBook book, int b, in AccountDataCache.Frozen entry)
    {
        if (IsDust(entry.DebtKey))
        {
            return DustGroup;
        }

        if (book.Market.Reserves.Count > 24)
        {
            return NoGroup;
        }

        var g = entry.GroupSlot - 1;
        if (g < 0 && !_groupOf[b].TryGetValue(FrozenKey(entry), out g))
        {
            return NewGroup;
        }

        var group = _groups[b][g];
        for (var k = 0; k < group.Pairs.Length; k++)
        {
            var (c, d) = group.Pairs[k];
            if (!PairBound.FarFromZero(entry.CollateralAmount(c), entry.DebtAmount(d), group.P[k]))
            {
                return NoGroup;
            }
        }

        return g;
    }

    // GroupKey's key for a frozen account (no e-mode).
    private static long FrozenKey(in AccountDataCache.Frozen entry) => ((long)entry.CollateralMask << 24) | (uint)entry.BorrowMask;

    /// <summary>Records in each entry its group, when it exists, so later passes need not look it up.</summary>
    private void SetGroups(int b, List<AccountDataCache.Frozen> entries)
    {
        foreach (ref var entry in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries))
        {
            entry.GroupSlot = _groupOf[b].TryGetValue(FrozenKey(entry), out var g) ? g + 1 : 0;
        }
    }

    /// <summary>Every group's P at this block's oracle prices (before a pass reads groups from several threads).</summary>
    private void PriceGroups(LendingBook book, int b)
    {
        foreach (var group in _groups[b])
        {
            PriceGroup(book, group);
        }
    }

    private void PriceGroup(LendingBook book, SettleGroup group)
    {
        if (group.PBlock == _groupBlock)
        {
            return;
        }

        for (var k = 0; k < group.Pairs.Length; k++)
        {
            var (c, d) = group.Pairs[k];
            group.P[k] = OracleTerms(book, c, d, group.EMode, out var p, out _) ? p : double.NaN;
        }

        group.PBlock = _groupBlock;
    }

    // PairBound.SurelyFails's amounts-far-from-zero test, pair by pair (P depends on oracle prices only).
    private static bool FarFromZero(LendingBook book, SettleGroup group, int i)
    {
        for (var k = 0; k < group.Pairs.Length; k++)
        {
            var (c, d) = group.Pairs[k];
            if (!PairBound.FarFromZero(book.CollateralAmount(i, c), book.DebtAmount(i, d), group.P[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Account visits settled by their group (dust included) so far (tests read it).</summary>
    internal long GroupSettled { get; private set; }

    /// <summary>
    /// An account's tag as it stands on this block's dust threshold: a tag carried from an earlier block
    /// (CarryPass) was set on that block's threshold, which follows the gas asset's price. A tag whose
    /// dust side changed becomes <see cref="NoGroup"/>: the visit then takes the full path, which decides dust itself.
    /// </summary>
    private int CurrentTag(int tag, UInt128 debtKey) =>
        (tag == DustGroup ? !IsDust(debtKey) : tag >= 0 && IsDust(debtKey)) ? NoGroup : tag;

    /// <summary>True when the group settles its tagged accounts on the current pools, with the reason SurelyNoPlan gives.</summary>
    private bool GroupSettles(LendingBook book, int b, int g, out UnliquidatableReason reason)
    {
        var group = _groups[b][g];
        if (group.Stamp != _boundGeneration)
        {
            var (flat, why) = (true, UnliquidatableReason.Unprofitable);
            for (var k = 0; k < group.Pairs.Length && flat; k++)
            {
                var (c, d) = group.Pairs[k];
                ref readonly var bound = ref Bound(book, b, c, d, group.EMode);
                flat = bound.FailsAtEverySize;
                why = bound.ProbeReason is { } probeReason ? Worse(why, probeReason) : why;
            }

            (group.Stamp, group.Flat, group.Reason) = (_boundGeneration, flat, why);
        }

        reason = group.Reason;
        return group.Flat;
    }
}
