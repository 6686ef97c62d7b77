using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// One reserve a user touches (either bit of its configuration set). Underlying amounts are the scaled balances
/// times the reserve's index at the block, rounded as the tokens' balanceOf rounds (rayMul, half up). The aToken is
/// read only where the collateral bit is set: a balance the user does not use as collateral backs no debt.
/// </summary>
public sealed record AaveV3UserReserve(
    int Reserve,
    string Asset,
    bool UsingAsCollateral,
    bool Borrowing,
    BigInteger ScaledATokenBalance,
    BigInteger ATokenBalance,
    BigInteger ScaledVariableDebt,
    BigInteger VariableDebt,
    BigInteger StableDebt)
{
    /// <summary>Variable plus stable debt, as GenericLogic._getUserDebtInBaseCurrency sums them.</summary>
    public BigInteger Debt => VariableDebt + StableDebt;

    public BigInteger Collateral => UsingAsCollateral ? ATokenBalance : BigInteger.Zero;
}

/// <summary>One user at the block: e-mode, configuration bitmap, the reserves it touches, and the pool's own account data.</summary>
public sealed record AaveV3UserRead(Address User, int EMode, UserConfiguration Configuration, IReadOnlyList<AaveV3UserReserve> Reserves, UserAccountData AccountData)
{
    public bool HasDebt => Reserves.Any(r => r.Debt.Sign > 0);

    public bool HasCollateral => Reserves.Any(r => r.Collateral.Sign > 0);

    /// <summary>
    /// The snapshot's position: collateral = balances used as collateral, debt = variable + stable (the schema has one
    /// debt per asset; the health factor sums them anyway, so it is exact; only stable-rate accrual is not modelled).
    /// </summary>
    public AavePositionSnapshot ToPosition() => new(
        User,
        EMode,
        Reserves.Where(r => r.Collateral.Sign > 0).Select(r => new AssetBalance(r.Asset, r.Collateral)).ToArray(),
        Reserves.Where(r => r.Debt.Sign > 0).Select(r => new AssetBalance(r.Asset, r.Debt)).ToArray());
}

/// <summary>A chunk of users just read, for checkpoints: users [FirstIndex, FirstIndex + Users.Count) of the list given.</summary>
public sealed record AaveV3UsersChunk(int FirstIndex, int TotalUsers, IReadOnlyList<AaveV3UserRead> Users)
{
    /// <summary>Categories users sit in that no reserve belongs to, found so far: a checkpoint must keep them too.</summary>
    public IReadOnlyList<AaveV3EModeRead> ExtraEModesSoFar { get; init; } = [];
}

/// <summary>
/// Every user read at <paramref name="Block"/>, and the e-mode categories users sit in that no reserve belongs to
/// (the market read knows only the reserves' categories).
/// </summary>
public sealed record AaveV3PositionsRead(ulong Block, IReadOnlyList<AaveV3UserRead> Users, IReadOnlyList<AaveV3EModeRead> ExtraEModes)
{
    /// <summary>The users the snapshot keeps: debt &gt; 0 (only they can be liquidated or leave bad debt).</summary>
    public IReadOnlyList<AaveV3UserRead> WithDebt => Users.Where(u => u.HasDebt).ToArray();

    /// <summary>Dropped: collateral but no debt (suppliers; nothing to liquidate).</summary>
    public int DroppedSupplyOnly => Users.Count(u => !u.HasDebt && u.HasCollateral);

    /// <summary>Dropped: neither debt nor collateral (withdrawn, repaid, or supplying with the collateral bit off).</summary>
    public int DroppedEmpty => Users.Count(u => !u.HasDebt && !u.HasCollateral);

    /// <summary>Concatenates chunks read separately (a resumed run), in order.</summary>
    public static AaveV3PositionsRead Combine(ulong block, IEnumerable<AaveV3PositionsRead> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToArray();
        if (list.Any(p => p.Block != block))
        {
            throw new ArgumentException($"positions read at blocks {string.Join(", ", list.Select(p => p.Block).Distinct())} cannot combine into one at block {block}");
        }

        return new AaveV3PositionsRead(
            block,
            list.SelectMany(p => p.Users).ToArray(),
            list.SelectMany(p => p.ExtraEModes).DistinctBy(e => e.Id).OrderBy(e => e.Id).ToArray());
    }
}
