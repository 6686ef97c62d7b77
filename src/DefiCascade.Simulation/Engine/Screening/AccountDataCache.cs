using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
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
internal sealed partial class AccountDataCache
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

    // A large book is read in a scattered order (the bot's competition order, the screen's
    // candidates), so what one read needs sits together: an account's summary and masks in one
    // record (_heads), its figures in another, its balances per reserve in a third (slot
    // [i * reserves + r]). Separate arrays per field cost a cache miss each on a 1M-account book.
    private readonly Head[] _heads;
    // Figures by slot, in the order accounts are first computed (Head.FigureSlot): a pass that computes tens of
    // thousands of accounts scattered over a large book fills a dense prefix of this array, not one slot on each
    // of its pages (every first touch of a page is a page fault, ~10 us on this virtual machine).
    private readonly Figures[] _figures;
    private int _figureCount;
    private readonly Term[] _terms;

    private readonly UserAccountData[] _cached;
    private readonly long[] _reserveChangedAt;
    private readonly UInt128[] _units;
    private readonly UInt128[] _prices;
    private bool _pricesWide;
    private long _epoch = 1;
    // The latest epoch at which any reserve's price changed: an entry stamped at or after it is fresh.
    private long _lastPriceChange;

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

        _heads = new Head[accounts.Length];
        _figures = new Figures[accounts.Length];
        _terms = new Term[accounts.Length * _reserves];
        _frozenBits = new ulong[(accounts.Length + 63) >> 6];
        _cached = new UserAccountData[accounts.Length];
        _reserveChangedAt = new long[_reserves];
        _units = market.Reserves.Select(r => (UInt128)r.Token.Unit).ToArray();
        _prices = new UInt128[_reserves];
        RefreshMarketDoubles();
        PricesMoved();
    }

    [Flags]
    private enum State : byte
    {
        None = 0,
        // A balance past 100 bits: always computed by AaveV3Accounting.
        Wide = 1,
        // HF below 1 (of the fresh entry).
        Below = 2,
        // The total debt does not fit the 128-bit key.
        DebtWide = 4,
        // Computed in 128 bits (else by AaveV3Accounting, and only the BigInteger record holds it).
        Narrow = 8,
        // The BigInteger record in _cached is built for the fresh entry.
        Materialized = 16,
    }

    // What the hot paths read of an account: the freshness stamp, the HF verdict, the debt key
    // (the total debt in base currency when it fits 128 bits) and the account's reserve bits.
    private struct Head
    {
        public UInt128 DebtKey;
        public long CachedAt;
        // Reserves whose price the account's data reads (collateral enabled, borrowing, e-mode price source).
        public int ReserveMask;
        // Bit r: counted as collateral (LT > 0, enabled); borrowing; holding stable debt.
        public int CollateralMask;
        public int BorrowMask;
        public int StableMask;
        // Where the account's figures are (1 + index into _figures; 0: never computed in 128 bits).
        public int FigureSlot;
        public byte EMode;
        public State State;
    }

    // The rest of a 128-bit entry (the total debt is Head.DebtKey).
    private struct Figures
    {
        public UInt128 TotalCollateral;
        public UInt128 HealthFactor;
        public ulong AvgLtv;
        public ulong AvgLt;
    }

    // One reserve's balances of one account, raw units (the bot's class bounds convert them to doubles when they read them).
    private struct Term
    {
        public UInt128 Collateral;
        public UInt128 Debt;
    }

    /// <summary>Underlying collateral counted by the protocol (0 where not collateral), raw units.</summary>
    public UInt128 Collateral(int account, int reserve) => _terms[(account * _reserves) + reserve].Collateral;

    /// <summary>Underlying debt (variable + stable), raw units.</summary>
    public UInt128 Debt(int account, int reserve) => _terms[(account * _reserves) + reserve].Debt;

    /// <summary><see cref="Collateral"/> as a double (nearest).</summary>
    public double CollateralAmount(int account, int reserve) => (double)_terms[(account * _reserves) + reserve].Collateral;

    /// <summary><see cref="Debt"/> as a double (nearest).</summary>
    public double DebtAmount(int account, int reserve) => (double)_terms[(account * _reserves) + reserve].Debt;

    /// <summary>Reserves the account's collateral counts in (LT &gt; 0 and enabled), as bits; read from arrays, not the account.</summary>
    public int CollateralMask(int account) => _heads[account].CollateralMask;

    /// <summary>Reserves the account borrows (UserConfiguration.isBorrowing), as bits.</summary>
    public int BorrowMask(int account) => _heads[account].BorrowMask;

    /// <summary>Reserves where the account holds stable debt, as bits.</summary>
    public int StableMask(int account) => _heads[account].StableMask;

    /// <summary>Accounts whose borrow mask is not empty (each account's as of its last <see cref="AccountChanged"/>).</summary>
    public int CountBorrowing()
    {
        var count = 0;
        foreach (ref readonly var head in _heads.AsSpan())
        {
            count += head.BorrowMask != 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The account's e-mode category (as last read from the account).</summary>
    public int EModeOf(int account) => _heads[account].EMode;

    /// <summary>The three masks of one account in one read.</summary>
    public (int Collateral, int Borrowing, int Stable) Masks(int account)
    {
        ref readonly var head = ref _heads[account];
        return (head.CollateralMask, head.BorrowMask, head.StableMask);
    }

    /// <summary>
    /// Hints the processor to start loading account <paramref name="i"/>'s record and balances (its figures' slot is
    /// in the record, so they cannot be asked for ahead; few hot paths read them).
    /// A large book is read in a scattered order, and each account's first touch is a cache miss
    /// (~100 ns on this machine's memory); a caller walking a known list of accounts asks a few
    /// entries ahead, so the misses of several accounts overlap instead of queueing. No effect on results.
    /// </summary>
    public unsafe void Prefetch(int i)
    {
        if (!Sse.IsSupported || (uint)i >= (uint)_heads.Length || _reserves == 0)
        {
            return;
        }

        Sse.Prefetch0(Unsafe.AsPointer(ref _heads[i]));
        var row = (byte*)Unsafe.AsPointer(ref _terms[i * _reserves]);
        var bytes = _reserves * sizeof(Term);
        for (var offset = 0; offset < bytes; offset += 64)
        {
            Sse.Prefetch0(row + offset);
        }

        Sse.Prefetch0(row + bytes - 1);
    }

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

        RefreshPriceDoubles();
    }

    /// <summary>The market's configuration changed (a threshold set mid-run): call <see cref="AccountChanged"/> for every account it affects.</summary>
    public void MarketChanged(AaveV3Market market)
    {
        _market = market;
        RefreshMarketDoubles();
    }

    /// <summary>Call after an account's balances changed (a liquidation).</summary>
    public void AccountChanged(int i)
    {
        Thaw(i);
        var account = _accounts[i];
        var wide = false;
        var mask = 0;
        int collateralMask = 0, borrowMask = 0, stableMask = 0;
        var row = i * _reserves;
        for (var r = 0; r < _reserves; r++)
        {
            var reserve = _market.Reserves[r];
            // In words: building a 1M-account book calls this for every account, and BigInteger results cost an allocation each.
            var collateral = reserve.LiquidationThresholdBps != 0 && account.IsUsingAsCollateral(r) ? account.CollateralWord(_market, r) : U256.Zero;
            var carry = false;
            var debt = account.IsBorrowing(r) ? U256.Add(account.VariableDebtWord(_market, r), U256.From(account.StableDebtOf(r)), out carry) : U256.Zero;
            wide |= carry || collateral.BitLength > 100 || debt.BitLength > 100;
            ref var term = ref _terms[row + r];
            term.Collateral = wide ? UInt128.Zero : (UInt128)collateral;
            term.Debt = wide ? UInt128.Zero : (UInt128)debt;
            mask |= account.IsUsingAsCollateral(r) || account.IsBorrowing(r) ? 1 << r : 0;
            collateralMask |= reserve.LiquidationThresholdBps != 0 && account.IsUsingAsCollateral(r) ? 1 << r : 0;
            borrowMask |= account.IsBorrowing(r) ? 1 << r : 0;
            stableMask |= account.StableDebtOf(r).IsZero ? 0 : 1 << r;
        }

        if (account.EMode != 0 && _market.EMode(account.EMode)?.PriceSourceReserve is int source)
        {
            mask |= 1 << source;
        }

        ref var head = ref _heads[i];
        head.State = wide ? State.Wide : State.None;
        head.ReserveMask = mask;
        head.EMode = checked((byte)account.EMode);
        (head.CollateralMask, head.BorrowMask, head.StableMask) = (collateralMask, borrowMask, stableMask);
        head.CachedAt = 0;
    }

    public UserAccountData Get(int i)
    {
        Refresh(i);
        ref var head = ref _heads[i];
        if ((head.State & State.Materialized) == 0)
        {
            _cached[i] = Build(i);
            head.State |= State.Materialized;
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
        return (_heads[i].State & State.Materialized) != 0 ? _cached[i] : Build(i);
    }

    // The 128-bit figures as AaveV3Accounting returns them (no debt: HF is type(uint256).max).
    private UserAccountData Build(int i)
    {
        ref readonly var figures = ref _figures[_heads[i].FigureSlot - 1];
        var (collateral, debt, ltv) = (figures.TotalCollateral, _heads[i].DebtKey, (UInt128)figures.AvgLtv);
        var borrowable = PercentMul(collateral, ltv);
        var available = borrowable < debt ? UInt128.Zero : borrowable - debt;
        var healthFactor = debt == UInt128.Zero ? UInt256.Max : (BigInteger)figures.HealthFactor;
        return new UserAccountData(collateral, debt, available, figures.AvgLt, ltv, healthFactor);
    }

    /// <summary>
    /// The account's health factor below 1 and its total debt (base currency) as a 128-bit key, from
    /// the same data as <see cref="Get"/> without building it; <c>DebtWide</c> when the debt does not fit.
    /// </summary>
    public (bool Below, UInt128 DebtKey, bool DebtWide) Summary(int i)
    {
        Refresh(i);
        ref readonly var head = ref _heads[i];
        return ((head.State & State.Below) != 0, head.DebtKey, (head.State & State.DebtWide) != 0);
    }

    /// <summary>
    /// HF below 1 and the total collateral and debt in base currency, as <see cref="Get"/> gives them;
    /// <c>Wide</c> (figures zero) when they do not fit 128 bits: read <see cref="Get"/> then.
    /// </summary>
    public (bool Below, UInt128 Collateral, UInt128 Debt, bool Wide) Totals(int i)
    {
        Refresh(i);
        ref readonly var head = ref _heads[i];
        var below = (head.State & State.Below) != 0;
        return (head.State & State.Narrow) == 0
            ? (below, UInt128.Zero, UInt128.Zero, true)
            : (below, _figures[head.FigureSlot - 1].TotalCollateral, head.DebtKey, false);
    }

    // Recomputes a stale entry: in 128 bits when the bounds allow, else by AaveV3Accounting.
    private void Refresh(int i)
    {
        ref var head = ref _heads[i];
        var stamp = head.CachedAt;
        if (stamp != 0 && (stamp >= _lastPriceChange || !MovedSince(head.ReserveMask, stamp)))
        {
            return;
        }

        head.CachedAt = _epoch;
        var wide = head.State & State.Wide;
        if (wide == 0 && !_pricesWide && Compute(i, ref head))
        {
            head.State = State.Narrow | (head.DebtKey != UInt128.Zero && _figures[head.FigureSlot - 1].HealthFactor < Wad ? State.Below : State.None);
            return;
        }

        var data = AaveV3Accounting.CalculateUserAccountData(_market, _accounts[i], _oracle);
        _cached[i] = data;
        var debt = data.TotalDebtBase;
        var debtWide = debt.Sign < 0 || debt.GetBitLength() > 128;
        head.DebtKey = debtWide ? UInt128.Zero : (UInt128)debt;
        head.State = wide | State.Materialized
            | (data.HealthFactor < WadRayMath.Wad ? State.Below : State.None)
            | (debtWide ? State.DebtWide : State.None);
    }

    private bool MovedSince(int mask, long stamp)
    {
        for (var r = 0; mask != 0; r++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _reserveChangedAt[r] > stamp)
            {
                return true;
            }
        }

        return false;
    }
}
