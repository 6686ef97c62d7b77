using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// Pool.getUserAccountData for every account of a book, computed once per (account balances,
/// prices of its reserves) and reused until one of them changes: on a large book most accounts
/// are read again block after block at unchanged prices. A miss is computed in 128-bit integers
/// with AaveV3Accounting's order of operations and rounding; any account whose products could
/// leave 128 bits goes to AaveV3Accounting itself, so results equal it exactly (SpeedEquivalenceTests).
/// </summary>
internal sealed class AccountDataCache
{
    // Every product below stays under 2^127 when its factors' bit lengths sum to at most this.
    private const int SafeBits = 126;

    // A base-currency amount this small times a bps factor, summed over 31 reserves, stays under 2^120.
    private const int BalanceBits = 100;
    private static readonly UInt128 Wad = 1_000_000_000_000_000_000UL;
    private static readonly UInt128 Max128 = UInt128.MaxValue;

    private AaveV3Market _market;
    private readonly AaveAccount[] _accounts;
    private readonly ArrayPriceOracle _oracle;
    private readonly int _reserves;

    // Struct-of-arrays, account-major: slot [i * reserves + r].
    private readonly UInt128[] _collateral;
    private readonly UInt128[] _debt;
    private readonly bool[] _wide;
    private readonly int[] _reserveMask;
    // Per account, bit r: counted as collateral (LT > 0, enabled, non-zero); borrowing; holding stable debt.
    private readonly int[] _collateralMask;
    private readonly int[] _borrowMask;
    private readonly int[] _stableMask;

    private readonly UserAccountData[] _cached;
    // A fresh entry computed in 128 bits keeps its figures here; the BigInteger record is built only
    // when someone asks for it (_materialized), since most reads want only the summary or the totals.
    private readonly bool[] _materialized;
    // The entry was computed in 128 bits (else by AaveV3Accounting, and only the BigInteger record holds it).
    private readonly bool[] _narrow;
    private readonly UInt128[] _totalCollateral;
    private readonly UInt128[] _totalDebt;
    private readonly UInt128[] _avgLtv;
    private readonly UInt128[] _avgLt;
    private readonly UInt128[] _healthFactor;
    // What the bot's pass reads of the cached data, kept beside it in small arrays: HF below 1, and
    // the total debt in base currency when it fits 128 bits (else _debtWide).
    private readonly bool[] _below;
    private readonly UInt128[] _debtKey;
    private readonly bool[] _debtWide;
    private readonly long[] _cachedAt;
    private readonly long[] _reserveChangedAt;
    private readonly UInt128[] _units;
    private readonly UInt128[] _prices;
    private bool _pricesWide;
    private long _epoch = 1;
    // The latest epoch at which any reserve's price changed: an entry stamped at or after it is fresh.
    private long _lastPriceChange;
    // Collateral and debt amounts as doubles (the bot's class bounds read them), kept with the 128-bit ones.
    private readonly double[] _collateralAmount;
    private readonly double[] _debtAmount;

    public AccountDataCache(AaveV3Market market, AaveAccount[] accounts, ArrayPriceOracle oracle)
    {
        _market = market;
        _accounts = accounts;
        _oracle = oracle;
        _reserves = market.Reserves.Count;
        if (_reserves > 31)
        {
            throw new NotSupportedException("the account-data cache keeps a 31-reserve mask per account");
        }

        _collateral = new UInt128[accounts.Length * _reserves];
        _collateralAmount = new double[accounts.Length * _reserves];
        _debtAmount = new double[accounts.Length * _reserves];
        _debt = new UInt128[accounts.Length * _reserves];
        _wide = new bool[accounts.Length];
        _reserveMask = new int[accounts.Length];
        _collateralMask = new int[accounts.Length];
        _borrowMask = new int[accounts.Length];
        _stableMask = new int[accounts.Length];
        _cached = new UserAccountData[accounts.Length];
        _materialized = new bool[accounts.Length];
        _narrow = new bool[accounts.Length];
        _totalCollateral = new UInt128[accounts.Length];
        _totalDebt = new UInt128[accounts.Length];
        _avgLtv = new UInt128[accounts.Length];
        _avgLt = new UInt128[accounts.Length];
        _healthFactor = new UInt128[accounts.Length];
        _below = new bool[accounts.Length];
        _debtKey = new UInt128[accounts.Length];
        _debtWide = new bool[accounts.Length];
        _cachedAt = new long[accounts.Length];
        _reserveChangedAt = new long[_reserves];
        _units = market.Reserves.Select(r => (UInt128)r.Token.Unit).ToArray();
        _prices = new UInt128[_reserves];
        PricesMoved();
    }

    /// <summary>Underlying collateral counted by the protocol (0 where not collateral), raw units.</summary>
    public UInt128 Collateral(int account, int reserve) => _collateral[(account * _reserves) + reserve];

    /// <summary>Underlying debt (variable + stable), raw units.</summary>
    public UInt128 Debt(int account, int reserve) => _debt[(account * _reserves) + reserve];

    /// <summary><see cref="Collateral"/> as a double (nearest).</summary>
    public double CollateralAmount(int account, int reserve) => _collateralAmount[(account * _reserves) + reserve];

    /// <summary><see cref="Debt"/> as a double (nearest).</summary>
    public double DebtAmount(int account, int reserve) => _debtAmount[(account * _reserves) + reserve];

    /// <summary>Reserves the account's collateral counts in (LT &gt; 0 and enabled), as bits; read from arrays, not the account.</summary>
    public int CollateralMask(int account) => _collateralMask[account];

    /// <summary>Reserves the account borrows (UserConfiguration.isBorrowing), as bits.</summary>
    public int BorrowMask(int account) => _borrowMask[account];

    /// <summary>Reserves where the account holds stable debt, as bits.</summary>
    public int StableMask(int account) => _stableMask[account];

    /// <summary>Call after the oracle's prices changed: accounts on the moved reserves are recomputed on their next read.</summary>
    public void PricesMoved()
    {
        _epoch++;
        _pricesWide = false;
        for (var r = 0; r < _reserves; r++)
        {
            var price = _oracle.Prices[r];
            var fits = price.Sign > 0 && price.GetBitLength() <= 64;
            var value = fits ? (UInt128)price : UInt128.Zero;
            _pricesWide |= !fits;
            if (value != _prices[r] || _reserveChangedAt[r] == 0)
            {
                _prices[r] = value;
                _reserveChangedAt[r] = _epoch;
                _lastPriceChange = _epoch;
            }
        }
    }

    /// <summary>The market's configuration changed (a threshold set mid-run): call <see cref="AccountChanged"/> for every account it affects.</summary>
    public void MarketChanged(AaveV3Market market) => _market = market;

    /// <summary>Call after an account's balances changed (a liquidation).</summary>
    public void AccountChanged(int i)
    {
        var account = _accounts[i];
        var wide = false;
        var mask = 0;
        int collateralMask = 0, borrowMask = 0, stableMask = 0;
        for (var r = 0; r < _reserves; r++)
        {
            var reserve = _market.Reserves[r];
            var collateral = reserve.LiquidationThresholdBps != 0 && account.IsUsingAsCollateral(r) ? account.CollateralBalance(_market, r) : BigInteger.Zero;
            var debt = account.IsBorrowing(r) ? account.VariableDebtBalance(_market, r) + account.StableDebt[r] : BigInteger.Zero;
            wide |= collateral.GetBitLength() > 100 || debt.GetBitLength() > 100;
            _collateral[(i * _reserves) + r] = wide ? UInt128.Zero : (UInt128)collateral;
            _debt[(i * _reserves) + r] = wide ? UInt128.Zero : (UInt128)debt;
            _collateralAmount[(i * _reserves) + r] = wide ? 0 : (double)_collateral[(i * _reserves) + r];
            _debtAmount[(i * _reserves) + r] = wide ? 0 : (double)_debt[(i * _reserves) + r];
            mask |= account.IsUsingAsCollateral(r) || account.IsBorrowing(r) ? 1 << r : 0;
            collateralMask |= reserve.LiquidationThresholdBps != 0 && account.IsUsingAsCollateral(r) ? 1 << r : 0;
            borrowMask |= account.IsBorrowing(r) ? 1 << r : 0;
            stableMask |= account.StableDebt[r].IsZero ? 0 : 1 << r;
        }

        if (account.EMode != 0 && _market.EMode(account.EMode)?.PriceSourceReserve is int source)
        {
            mask |= 1 << source;
        }

        _wide[i] = wide;
        _reserveMask[i] = mask;
        (_collateralMask[i], _borrowMask[i], _stableMask[i]) = (collateralMask, borrowMask, stableMask);
        _cachedAt[i] = 0;
    }

    public UserAccountData Get(int i)
    {
        Refresh(i);
        if (!_materialized[i])
        {
            _cached[i] = Build(i);
            _materialized[i] = true;
        }

        return _cached[i];
    }

    /// <summary>
    /// The same figures as <see cref="Get"/>, built without keeping the record: for one-off reads in the
    /// bot's hot path, which would otherwise store young BigIntegers into this long-lived array (every
    /// such store is a reference the garbage collector must trace from the old generation).
    /// </summary>
    public UserAccountData Peek(int i)
    {
        Refresh(i);
        return _materialized[i] ? _cached[i] : Build(i);
    }

    // The 128-bit figures as AaveV3Accounting returns them (no debt: HF is type(uint256).max).
    private UserAccountData Build(int i)
    {
        var (collateral, debt, ltv) = (_totalCollateral[i], _totalDebt[i], _avgLtv[i]);
        var borrowable = PercentMul(collateral, ltv);
        var available = borrowable < debt ? UInt128.Zero : borrowable - debt;
        var healthFactor = debt == UInt128.Zero ? UInt256.Max : (BigInteger)_healthFactor[i];
        return new UserAccountData(collateral, debt, available, _avgLt[i], ltv, healthFactor);
    }

    /// <summary>
    /// The account's health factor below 1 and its total debt (base currency) as a 128-bit key, from
    /// the same data as <see cref="Get"/> without building it; <c>DebtWide</c> when the debt does not fit.
    /// </summary>
    public (bool Below, UInt128 DebtKey, bool DebtWide) Summary(int i)
    {
        Refresh(i);
        return (_below[i], _debtKey[i], _debtWide[i]);
    }

    /// <summary>
    /// HF below 1 and the total collateral and debt in base currency, as <see cref="Get"/> gives them;
    /// <c>Wide</c> (figures zero) when they do not fit 128 bits: read <see cref="Get"/> then.
    /// </summary>
    public (bool Below, UInt128 Collateral, UInt128 Debt, bool Wide) Totals(int i)
    {
        Refresh(i);
        return !_narrow[i]
            ? (_below[i], UInt128.Zero, UInt128.Zero, true)
            : (_below[i], _totalCollateral[i], _totalDebt[i], false);
    }

    // Recomputes a stale entry: in 128 bits when the bounds allow, else by AaveV3Accounting.
    private void Refresh(int i)
    {
        var stamp = _cachedAt[i];
        if (stamp != 0 && (stamp >= _lastPriceChange || !MovedSince(i, stamp)))
        {
            return;
        }

        _cachedAt[i] = _epoch;
        if (!_wide[i] && !_pricesWide && Compute(i))
        {
            _materialized[i] = false;
            _narrow[i] = true;
            _below[i] = _totalDebt[i] != UInt128.Zero && _healthFactor[i] < Wad;
            _debtKey[i] = _totalDebt[i];
            _debtWide[i] = false;
            return;
        }

        var data = AaveV3Accounting.CalculateUserAccountData(_market, _accounts[i], _oracle);
        _cached[i] = data;
        _materialized[i] = true;
        _narrow[i] = false;
        _below[i] = data.HealthFactor < WadRayMath.Wad;
        var debt = data.TotalDebtBase;
        _debtWide[i] = debt.Sign < 0 || debt.GetBitLength() > 128;
        _debtKey[i] = _debtWide[i] ? UInt128.Zero : (UInt128)debt;
    }

    private bool MovedSince(int i, long stamp)
    {
        var mask = _reserveMask[i];
        for (var r = 0; mask != 0; r++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _reserveChangedAt[r] > stamp)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>GenericLogic.calculateUserAccountData in 128 bits into the entry's arrays; false when a bound is not met (the caller falls back to BigInteger).</summary>
    private bool Compute(int i)
    {
        var account = _accounts[i];
        UInt128 eModeLtv = 0, eModeLt = 0, eModePrice = 0;
        if (account.EMode != 0)
        {
            var category = _market.EMode(account.EMode);
            if (category is null)
            {
                return false; // the exact path raises the error
            }

            (eModeLtv, eModeLt) = ((UInt128)category.LtvBps, (UInt128)category.LiquidationThresholdBps);
            eModePrice = category.PriceSourceReserve is int source ? _prices[source] : 0;
        }

        UInt128 totalCollateral = 0, totalDebt = 0, avgLtv = 0, avgLt = 0;
        var row = i * _reserves;
        for (var r = 0; r < _reserves; r++)
        {
            var collateral = _collateral[row + r];
            var debt = _debt[row + r];
            if (collateral == UInt128.Zero && debt == UInt128.Zero)
            {
                continue;
            }

            var reserve = _market.Reserves[r];
            var price = eModePrice != UInt128.Zero && account.EMode == reserve.EModeCategory ? eModePrice : _prices[r];
            if (collateral != UInt128.Zero)
            {
                if (Bits(collateral) + Bits(price) > SafeBits)
                {
                    return false;
                }

                var balance = collateral * price / _units[r];
                if (Bits(balance) > BalanceBits)
                {
                    return false;
                }

                totalCollateral += balance;
                var inEMode = account.EMode != 0 && reserve.EModeCategory == account.EMode;
                if (reserve.LtvBps != 0)
                {
                    avgLtv += balance * (inEMode ? eModeLtv : (UInt128)reserve.LtvBps);
                }

                avgLt += balance * (inEMode ? eModeLt : (UInt128)reserve.LiquidationThresholdBps);
            }

            if (debt != UInt128.Zero)
            {
                if (Bits(debt) + Bits(price) > SafeBits)
                {
                    return false;
                }

                var debtBase = price * debt / _units[r];
                if (Bits(debtBase) > BalanceBits)
                {
                    return false;
                }

                totalDebt += debtBase;
            }
        }

        if (totalCollateral != UInt128.Zero)
        {
            avgLtv /= totalCollateral;
            avgLt /= totalCollateral;
        }
        else
        {
            (avgLtv, avgLt) = (0, 0);
        }

        UInt128 healthFactor = 0;
        if (totalDebt != UInt128.Zero)
        {
            // wadDiv(percentMul(collateral, lt), debt) = (a * WAD + debt / 2) / debt.
            var weighted = PercentMul(totalCollateral, avgLt);
            if (weighted > (Max128 - (totalDebt / 2)) / Wad)
            {
                return false;
            }

            healthFactor = ((weighted * Wad) + (totalDebt / 2)) / totalDebt;
        }

        (_totalCollateral[i], _totalDebt[i], _avgLtv[i], _avgLt[i], _healthFactor[i]) = (totalCollateral, totalDebt, avgLtv, avgLt, healthFactor);
        return true;
    }

    // percentMul: (value * percentage + 5000) / 10000; the operands here are far below 2^110.
    private static UInt128 PercentMul(UInt128 value, UInt128 percentage) => ((value * percentage) + 5_000) / 10_000;

    private static int Bits(UInt128 value) => 128 - (int)UInt128.LeadingZeroCount(value);
}
