using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// One Aave V3 market in the run: its reserves, its accounts, the oracle prices it reads and a
/// floating-point health-factor screen that picks which accounts the exact model must look at.
/// </summary>
public sealed partial class LendingBook
{
    private double[] _screenPrices = [];

    // The screen's inputs and outputs, one record per account (its term ranges and its last screen) and one
    // per term: account i's debt terms are _debtTerms[DebtStart, +DebtCount), its collateral terms likewise.
    // A screen after an oracle move touches accounts in no memory order; one record each instead of a slot
    // in eleven parallel arrays is three cache lines per account instead of eleven. A liquidation only removes terms.
    private readonly ScreenRow[] _rows;
    private readonly DebtTerm[] _debtTerms;
    private readonly CollateralTerm[] _collateralTerms;
    private readonly AccountDataCache _exact;
    private readonly ScreenSchedule _schedule;

    public LendingBook(AaveV3MarketSnapshot snapshot, MarketState state, bool naiveRescan = false)
    {
        Snapshot = snapshot;
        NaiveRescan = naiveRescan;
        Market = AaveV3Market.FromSnapshot(snapshot, s => state.Tokens[state.AssetIndex(s)]);
        ReserveAsset = Market.Reserves.Select(r => state.AssetIndex(r.Token.Symbol)).ToArray();
        foreach (var (reserve, asset) in Market.Reserves.Zip(ReserveAsset))
        {
            if (state.Feeds[asset] is null)
            {
                throw new InvalidOperationException($"{snapshot.Name}: reserve {reserve.Token.Symbol} has no oracle feed; a missing price is an error");
            }
        }

        Oracle = new ArrayPriceOracle(ReserveAsset.Select(a => state.Feeds[a]!.Answer).ToArray());
        Accounts = snapshot.Positions.Select(p => AaveAccount.FromSnapshot(p, Market)).ToArray();
        var n = Accounts.Length;
        _rows = new ScreenRow[n];
        _exact = new AccountDataCache(Market, Accounts, Oracle);
        _schedule = new ScreenSchedule(n, 1.0 + ScreenMargin);
        var (debtTerms, collateralTerms) = (0, 0);
        for (var i = 0; i < n; i++)
        {
            _exact.AccountChanged(i);
            (_rows[i].DebtStart, _rows[i].CollateralStart) = (debtTerms, collateralTerms);
            for (var r = 0; r < Market.Reserves.Count; r++)
            {
                debtTerms += _exact.Debt(i, r) != UInt128.Zero || Accounts[i].IsBorrowing(r) ? 1 : 0;
                collateralTerms += Accounts[i].IsUsingAsCollateral(r) && Market.Reserves[r].LiquidationThresholdBps > 0 ? 1 : 0;
            }
        }

        _debtTerms = new DebtTerm[debtTerms];
        _collateralTerms = new CollateralTerm[collateralTerms];
        for (var i = 0; i < n; i++)
        {
            RefreshAccountShape(i);
        }

        InitialDebtBaseByReserve = new BigInteger[Market.Reserves.Count];
        foreach (var account in Accounts)
        {
            for (var r = 0; r < Market.Reserves.Count; r++)
            {
                // A reserve the account does not borrow adds 0 (no variable or stable debt): skipped, as most are.
                if (account.IsBorrowing(r))
                {
                    InitialDebtBaseByReserve[r] += account.DebtBalance(Market, r) * Oracle.Prices[r] / Market.Reserves[r].Token.Unit;
                }
            }
        }

        InitialDebtBase = InitialDebtBaseByReserve.Aggregate(BigInteger.Zero, (x, y) => x + y);
    }

    /// <summary>
    /// The reference engine for benchmarks and equality tests: rescreen every account at every
    /// oracle update, list candidates by scanning every account, compute every account's data
    /// from scratch. Results are identical either way.
    /// </summary>
    public bool NaiveRescan { get; }

    /// <summary>Threads the screen's passes may use (CascadeOptions.Workers); results are the same for any count.</summary>
    internal int Workers { get; set; } = 1;

    /// <summary>The fewest accounts a screen pass splits among workers (CascadeOptions.ParallelFrom).</summary>
    internal int ParallelFrom { get; set; } = 4096;

    /// <summary>Changes with every oracle move, screen and account change: figures derived from the whole book stay valid while it holds.</summary>
    internal long Version { get; private set; }

    /// <summary>The last per-block insolvency figures of this book and the <see cref="Version"/> they were computed at.</summary>
    internal (long Version, int Below, BigInteger Shortfall)? InsolvencyMemo { get; set; }

    /// <summary>Accounts screened again after oracle moves so far (what the incremental screen costs; tests report it).</summary>
    public long ScreenedAfterMoves { get; private set; }

    public AaveV3MarketSnapshot Snapshot { get; }

    public AaveV3Market Market { get; private set; }

    public AaveAccount[] Accounts { get; }

    /// <summary>Asset index (in <see cref="MarketState"/>) of each reserve.</summary>
    public int[] ReserveAsset { get; }

    public ArrayPriceOracle Oracle { get; }

    /// <summary>Total debt at the start, in base currency (USD, 8 decimals) at the start oracle prices.</summary>
    public BigInteger InitialDebtBase { get; }

    /// <summary>Debt per reserve at the start, base currency at start oracle prices.</summary>
    public BigInteger[] InitialDebtBaseByReserve { get; }

    /// <summary>
    /// Relative margin of the float screen. Aave floors the weighted-average liquidation threshold
    /// to whole basis points, so for a multi-collateral account the exact HF can sit up to
    /// 1/avgLT (~2e-4 at 50% LT) from the real-valued one; float rounding adds ~1e-15. Accounts
    /// within the margin are settled by the exact model (ScreeningTests measures this).
    /// </summary>
    public const double ScreenMargin = 5e-4;

    public double ScreenHealthFactor(int account) => _rows[account].Hf;

    /// <summary>Float screen of collateral value over debt value (no thresholds): below 1 means insolvent.</summary>
    public double ScreenSolvency(int account) => _rows[account].Solvency;

    /// <summary>Copies the feeds' answers into the oracle the protocol reads; true when any moved.</summary>
    public bool SyncOracle(MarketState state)
    {
        var moved = false;
        for (var r = 0; r < ReserveAsset.Length; r++)
        {
            var answer = state.Feeds[ReserveAsset[r]]!.Answer;
            if (Oracle.Prices[r] != answer)
            {
                Oracle.Prices[r] = answer;
                moved = true;
            }
        }

        return moved;
    }

    /// <summary>Recomputes every account's screening health factor at the current oracle prices.</summary>
    public void RescreenAll()
    {
        Version++;
        _screenPrices = Oracle.Prices.Select(p => (double)p).ToArray();
        var prices = _screenPrices;
        WorkShares.Run(WorkShares.For(NaiveRescan ? 1 : Workers, ParallelFrom, Accounts.Length), Accounts.Length, (_, from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                Screen(i, prices);
            }
        });

        if (!NaiveRescan)
        {
            _exact.PricesMoved();
            _schedule.Reset(_screenPrices);
            for (var i = 0; i < Accounts.Length; i++)
            {
                _schedule.Place(i, _rows[i].Hf);
            }
        }
    }

    /// <summary>
    /// After the oracle moved: screens again the accounts that could have crossed the screen's
    /// threshold (ScreenSchedule), or every account in the naive reference.
    /// </summary>
    public void PricesMoved()
    {
        Version++;
        if (NaiveRescan)
        {
            RescreenAll();
            return;
        }

        _screenPrices = Oracle.Prices.Select(p => (double)p).ToArray();
        _exact.PricesMoved();
        _schedule.Advance(_screenPrices);
        var due = _schedule.TakeDue();
        // The screens are independent (each writes its own account's values): split among workers on a
        // large pass; the schedule's bookkeeping (shared queues) follows on this thread, in due order.
        var prices = _screenPrices;
        var workers = WorkShares.For(Workers, ParallelFrom, due.Count);
        WorkShares.Run(workers, due.Count, (_, from, to) => ScreenDue(due, from, to, prices));
        ScreenedAfterMoves += due.Count;
        for (var k = 0; k < due.Count; k++)
        {
            if (k + ScreenPrefetchDistance < due.Count)
            {
                var ahead = due[k + ScreenPrefetchDistance];
                _schedule.Prefetch(ahead);
                PrefetchRow(ahead);
            }

            var i = due[k];
            _schedule.Place(i, _rows[i].Hf);
        }
    }

    /// <summary>An account's balances changed: its exact data is computed again on the next read.</summary>
    public void AccountChanged(int i)
    {
        Version++;
        _exact.AccountChanged(i);
    }

    /// <summary>After a liquidation changed an account's balances.</summary>
    public void RescreenAccount(int i)
    {
        Version++;
        _exact.AccountChanged(i);
        RefreshAccountShape(i);
        Screen(i, _screenPrices);
        _schedule.Place(i, _rows[i].Hf);
    }

    /// <summary>Accounts the float screen says may be below HF 1, with a margin the exact model settles; ascending.</summary>
    public IReadOnlyList<int> Candidates() => CandidateList();

    /// <summary><see cref="Candidates"/> as the list itself (not to be changed), for passes that index it on several threads.</summary>
    internal List<int> CandidateList() => NaiveRescan ? ScanCandidates().ToList() : _schedule.Candidates;

    /// <summary>True when the account is among <see cref="Candidates"/>.</summary>
    internal bool IsCandidate(int i) => NaiveRescan ? _rows[i].Hf < 1.0 + ScreenMargin : _schedule.IsCandidate(i);

    /// <summary>Pool.getUserAccountData at the current oracle prices (exact; reused while the account and its prices are unchanged).</summary>
    public UserAccountData AccountData(int i) =>
        NaiveRescan ? AaveV3Accounting.CalculateUserAccountData(Market, Accounts[i], Oracle) : _exact.Get(i);

    /// <summary><see cref="AccountData"/> for a one-off read: the same figures, not kept (see AccountDataCache.Peek).</summary>
    internal UserAccountData PeekAccountData(int i) =>
        NaiveRescan ? AaveV3Accounting.CalculateUserAccountData(Market, Accounts[i], Oracle) : _exact.Peek(i);

    /// <summary>HF below 1 and the total debt as a 128-bit key (DebtWide: past 128 bits), as <see cref="AccountData"/> gives them.</summary>
    internal (bool Below, UInt128 DebtKey, bool DebtWide) AccountSummary(int i)
    {
        if (!NaiveRescan)
        {
            return _exact.Summary(i);
        }

        var data = AccountData(i);
        var wide = data.TotalDebtBase.Sign < 0 || data.TotalDebtBase.GetBitLength() > 128;
        return (data.HealthFactor < Core.Math.WadRayMath.Wad, wide ? UInt128.Zero : (UInt128)data.TotalDebtBase, wide);
    }

    /// <summary>
    /// HF below 1 and total collateral and debt in base currency as <see cref="AccountData"/> gives them,
    /// in 128 bits; <c>Wide</c> when they do not fit (or in the naive reference): read <see cref="AccountData"/> then.
    /// </summary>
    internal (bool Below, UInt128 Collateral, UInt128 Debt, bool Wide) Totals(int i) =>
        NaiveRescan ? (false, UInt128.Zero, UInt128.Zero, true) : _exact.Totals(i);

    /// <summary>Screen debt of an account in base currency (a float); orders accounts by size without exact math.</summary>
    internal double ScreenDebt(int i) => DebtValue(in _rows[i], _screenPrices);

    /// <summary>Underlying debt and counted collateral of a reserve, raw units, as the exact data uses them.</summary>
    internal (UInt128 Collateral, UInt128 Debt) Balances(int i, int reserve) => (_exact.Collateral(i, reserve), _exact.Debt(i, reserve));

    /// <summary>Bits of the reserves an account's collateral counts in, borrows and holds stable debt in (kept with its exact data).</summary>
    internal (int Collateral, int Borrowing, int Stable) ReserveMasks(int i) => _exact.Masks(i);

    /// <summary>The account's e-mode category, read with its exact data.</summary>
    internal int EModeOf(int i) => _exact.EModeOf(i);

    /// <summary>
    /// True when account <paramref name="i"/> is surely below HF 1 and surely solvent at the current oracle
    /// prices without its exact data being computed (AccountDataCache.CertainBelowSolvent), with its exact
    /// total debt as the 128-bit key; always false in the naive reference.
    /// </summary>
    internal bool CertainBelowSolvent(int i, out UInt128 debtKey)
    {
        debtKey = UInt128.Zero;
        return !NaiveRescan && _exact.CertainBelowSolvent(i, out debtKey);
    }

    /// <summary>Accounts that borrow in any reserve now (AaveAccount.HasDebt), from the exact data's masks: no account object is read.</summary>
    internal int AccountsWithDebt() => _exact.CountBorrowing();

    /// <summary>Counted collateral of a reserve, raw units, as the exact data uses it.</summary>
    internal UInt128 CollateralOf(int i, int reserve) => _exact.Collateral(i, reserve);

    /// <summary>Underlying debt of a reserve, raw units, as the exact data uses it.</summary>
    internal UInt128 DebtOf(int i, int reserve) => _exact.Debt(i, reserve);

    /// <summary><see cref="CollateralOf"/> as a double (the bot's class bounds).</summary>
    internal double CollateralAmount(int i, int reserve) => _exact.CollateralAmount(i, reserve);

    /// <summary><see cref="DebtOf"/> as a double (the bot's class bounds).</summary>
    internal double DebtAmount(int i, int reserve) => _exact.DebtAmount(i, reserve);

    private IEnumerable<int> ScanCandidates()
    {
        for (var i = 0; i < _rows.Length; i++)
        {
            if (_rows[i].Hf < 1.0 + ScreenMargin)
            {
                yield return i;
            }
        }
    }
}
