using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Lending.AaveV3;

/// <summary>
/// One user's position in one Aave V3 market, stored the way the tokens store it: scaled aToken
/// and scaled variable-debt balances per reserve (arrays indexed by reserve). A reserve counts as
/// collateral when its scaled balance is &gt; 0 and the user's usingAsCollateral bit is not cleared
/// (<see cref="CollateralDisabled"/>); it counts as borrowed when any debt remains.
/// </summary>
public sealed class AaveAccount
{
    public AaveAccount(Address user, int eMode, int reserveCount)
        : this(user, eMode, new BigInteger[reserveCount], new BigInteger[reserveCount])
    {
    }

    public AaveAccount(Address user, int eMode, BigInteger[] scaledCollateral, BigInteger[] scaledDebt)
    {
        ArgumentNullException.ThrowIfNull(scaledCollateral);
        ArgumentNullException.ThrowIfNull(scaledDebt);
        if (scaledCollateral.Length != scaledDebt.Length)
        {
            throw new ArgumentException("collateral and debt arrays must both have one slot per reserve");
        }

        User = user;
        EMode = eMode;
        ScaledCollateral = scaledCollateral;
        ScaledDebt = scaledDebt;
    }

    public Address User { get; set; }

    public int EMode { get; set; }

    /// <summary>Scaled aToken balance per reserve (underlying = scaled.rayMul(liquidityIndex)).</summary>
    public BigInteger[] ScaledCollateral { get; }

    /// <summary>Scaled variable-debt balance per reserve (underlying = scaled.rayMul(variableBorrowIndex)).</summary>
    public BigInteger[] ScaledDebt { get; }

    /// <summary>
    /// Stable-rate debt per reserve in underlying units (not accrued by this model); usually 0. The array is
    /// created on first access, read or write, so that a million accounts without stable debt do not hold one
    /// each (~120 MB): code that only reads uses <see cref="StableDebtOf"/>.
    /// </summary>
    public BigInteger[] StableDebt => _stableDebt ??= new BigInteger[ReserveCount];

    /// <summary>
    /// True where the user's usingAsCollateral bit is clear although a scaled balance remains:
    /// the user opted out, or a liquidation seized the whole balance and left rounding dust. Created on first
    /// access, as <see cref="StableDebt"/>; code that only reads uses <see cref="IsCollateralDisabled"/>.
    /// </summary>
    public bool[] CollateralDisabled => _collateralDisabled ??= new bool[ReserveCount];

    private BigInteger[]? _stableDebt;
    private bool[]? _collateralDisabled;

    /// <summary><see cref="StableDebt"/>[reserve], without creating the array.</summary>
    public BigInteger StableDebtOf(int reserve) => _stableDebt is null ? BigInteger.Zero : _stableDebt[reserve];

    /// <summary><see cref="CollateralDisabled"/>[reserve], without creating the array.</summary>
    public bool IsCollateralDisabled(int reserve) => _collateralDisabled is not null && _collateralDisabled[reserve];

    public int ReserveCount => ScaledCollateral.Length;

    public bool HasDebt
    {
        get
        {
            for (var i = 0; i < ReserveCount; i++)
            {
                if (IsBorrowing(i))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public bool HasCollateral
    {
        get
        {
            for (var i = 0; i < ReserveCount; i++)
            {
                if (IsUsingAsCollateral(i))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>UserConfiguration.isUsingAsCollateral for this reserve.</summary>
    public bool IsUsingAsCollateral(int reserve) => ScaledCollateral[reserve].Sign > 0 && !IsCollateralDisabled(reserve);

    /// <summary>UserConfiguration.isBorrowing for this reserve.</summary>
    public bool IsBorrowing(int reserve) => ScaledDebt[reserve].Sign > 0 || StableDebtOf(reserve).Sign > 0;

    public AaveAccount Clone()
    {
        var copy = new AaveAccount(User, EMode, (BigInteger[])ScaledCollateral.Clone(), (BigInteger[])ScaledDebt.Clone());
        copy._stableDebt = (BigInteger[]?)_stableDebt?.Clone();
        copy._collateralDisabled = (bool[]?)_collateralDisabled?.Clone();
        return copy;
    }

    /// <summary>Underlying aToken balance: AToken.balanceOf = scaled.rayMul(normalizedIncome).</summary>
    public BigInteger CollateralBalance(AaveV3Market m, int reserve)
    {
        ArgumentNullException.ThrowIfNull(m);
        return WadRayMath.RayMul(ScaledCollateral[reserve], m.Reserves[reserve].LiquidityIndex);
    }

    /// <summary><see cref="CollateralBalance"/> as a 256-bit word (no BigInteger allocated): the same rayMul.</summary>
    public U256 CollateralWord(AaveV3Market m, int reserve)
    {
        ArgumentNullException.ThrowIfNull(m);
        return WadRayMath.RayMul(U256.From(ScaledCollateral[reserve]), U256.From(m.Reserves[reserve].LiquidityIndex));
    }

    /// <summary><see cref="VariableDebtBalance"/> as a 256-bit word (no BigInteger allocated): the same rayMul, 0 when nothing is owed.</summary>
    public U256 VariableDebtWord(AaveV3Market m, int reserve)
    {
        ArgumentNullException.ThrowIfNull(m);
        var scaled = ScaledDebt[reserve];
        return scaled.IsZero ? U256.Zero : WadRayMath.RayMul(U256.From(scaled), U256.From(m.Reserves[reserve].VariableBorrowIndex));
    }

    /// <summary>Underlying debt: VariableDebtToken.balanceOf (scaled.rayMul(normalizedDebt), 0 when scaled is 0) plus stable debt.</summary>
    public BigInteger DebtBalance(AaveV3Market m, int reserve) => VariableDebtBalance(m, reserve) + StableDebtOf(reserve);

    public BigInteger VariableDebtBalance(AaveV3Market m, int reserve)
    {
        ArgumentNullException.ThrowIfNull(m);
        var scaled = ScaledDebt[reserve];
        return scaled.IsZero ? BigInteger.Zero : WadRayMath.RayMul(scaled, m.Reserves[reserve].VariableBorrowIndex);
    }

    /// <summary>
    /// From underlying amounts to scaled balances as the tokens mint them: amount.rayDiv(index)
    /// (AToken.mint / VariableDebtToken.mint via ScaledBalanceTokenBase._mintScaled).
    /// </summary>
    public static AaveAccount FromSnapshot(AavePositionSnapshot p, AaveV3Market m)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(m);
        var account = new AaveAccount(p.User, p.EMode, m.Reserves.Count);
        if (p.EMode != 0)
        {
            m.RequireEMode(p.EMode);
        }

        foreach (var c in p.Collateral)
        {
            var i = m.IndexOf(c.Asset);
            Accumulate(ref account.ScaledCollateral[i], WadRayMath.RayDiv(InRange(c.Amount, "collateral", c.Asset, p.User), m.Reserves[i].LiquidityIndex));
        }

        foreach (var d in p.Debt)
        {
            var i = m.IndexOf(d.Asset);
            Accumulate(ref account.ScaledDebt[i], WadRayMath.RayDiv(InRange(d.Amount, "debt", d.Asset, p.User), m.Reserves[i].VariableBorrowIndex));
        }

        return account;
    }

    /// <summary>slot += amount; the first amount is stored as it is (BigInteger's 0 + x copies x's digits).</summary>
    private static void Accumulate(ref BigInteger slot, BigInteger amount) => slot = slot.IsZero ? amount : slot + amount;

    /// <summary>UInt256.Check, with its message worded only when it fails (a 1M-position book checks ~3M amounts).</summary>
    private static BigInteger InRange(BigInteger amount, string side, string asset, Address user) =>
        UInt256.InRange(amount) ? amount : UInt256.Check(amount, $"{side} {asset} of {user}");

    internal void CheckShape(AaveV3Market m)
    {
        if (ReserveCount != m.Reserves.Count || ScaledDebt.Length != ReserveCount || (_stableDebt?.Length ?? ReserveCount) != ReserveCount || (_collateralDisabled?.Length ?? ReserveCount) != ReserveCount)
        {
            throw new ArgumentException($"account {User} has {ReserveCount} reserve slots but market '{m.Name}' has {m.Reserves.Count} reserves");
        }
    }
}
