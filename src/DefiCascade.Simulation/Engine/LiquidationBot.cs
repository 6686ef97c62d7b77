using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The competitive liquidator: scans accounts below HF 1 at oracle prices, prices every
/// (collateral, debt) pair with the protocol's exact rules and an exact sale through the pools,
/// and takes the largest slice that still pays (bonus minus protocol fee, slippage, gas and the
/// flash-loan fee). The largest positions go first; the block's gas budget caps them. Every
/// account below HF 1 is examined every block: arbitrage refills pools between blocks, so no
/// verdict carries over.
/// </summary>
public sealed partial class LiquidationBot
{
    private const int MaxCallsPerAccountPerBlock = 8;

    // How many accounts ahead the bot's passes ask the cache to load (LendingBook.Prefetch).
    private const int PrefetchDistance = 8;

    private readonly MarketState _state;
    private readonly Router _router;
    private readonly MarketAssumptions _market;
    private readonly int _gasAsset;
    // The last verdict per book and account (None: liquidated or above HF 1); an array, since a
    // deep cascade on a large book writes one for each of tens of thousands of accounts every block.
    private readonly UnliquidatableReason[][] _verdicts;
    // Per book, last block's competition order, so a block mostly re-checks instead of re-sorting.
    private readonly CandidateOrder[] _orders;
    // Per book, the block's exact data of accounts below HF 1; reused so its capacity (tens of
    // thousands of entries holding BigIntegers) is not regrown, entry by entry, every block.
    private readonly Dictionary<int, UserAccountData>[] _known;
    // The block's work list of one book (reused).
    private readonly List<int> _queue = [];
    // liquidationCalls made on each account of the book in hand this block (reused).
    private readonly Dictionary<int, int> _calls = [];

    public LiquidationBot(MarketState state, Router router, MarketAssumptions market)
    {
        _state = state;
        _router = router;
        _market = market;
        _verdicts = state.Books.Select(b => new UnliquidatableReason[b.Accounts.Length]).ToArray();
        _orders = state.Books.Select(b => new CandidateOrder(b.Accounts.Length)).ToArray();
        _known = state.Books.Select(_ => new Dictionary<int, UserAccountData>()).ToArray();
        // Class bounds per book: 256 e-mode categories (Aave's uint8) x collateral x debt reserve.
        _bounds = state.Books.Select(x => new PairBound[256 * x.Market.Reserves.Count * x.Market.Reserves.Count]).ToArray();
        _boundStamps = state.Books.Select(x => new int[256 * x.Market.Reserves.Count * x.Market.Reserves.Count]).ToArray();
        _groupOf = state.Books.Select(_ => new Dictionary<long, int>()).ToArray();
        _groups = state.Books.Select(_ => new List<SettleGroup>()).ToArray();
        _gasAsset = state.Tokens.Select((t, i) => (t, i)).FirstOrDefault(x => x.t.Symbol is "WETH" or "ETH", (null!, -1)).Item2;
        if (_gasAsset < 0)
        {
            throw new InvalidOperationException("the snapshot needs a WETH token to value gas (ETH) in USD");
        }
    }

    /// <summary>Net USD (8 decimals) bought (+) or sold (−) per asset by liquidators this block.</summary>
    public BigInteger[] NetFlowUsd { get; private set; } = [];

    public List<LiquidationEvent> Events { get; } = [];

    /// <summary>Receives each liquidationCall made, before the sale of its collateral (null: none kept).</summary>
    public IActionLog? Log { get; init; }

    /// <summary>The last verdict on an account that was not (fully) liquidated.</summary>
    public UnliquidatableReason LastReason(int book, int account) =>
        _verdicts[book][account];

    private unsafe void PrefetchVerdict(int b, int i)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref _verdicts[b][i]));
        }
    }

    // Asks for what the visit at queue position p will read: its verdict slot, and unless its tag settles it
    // (dust, or a group already found flat on the current pools) the account's record and balances, which
    // SurelyNoPlan reads (a few cache misses per account on a large book). A hint only: no effect on results.
    private void PrefetchVisit(LendingBook book, int b, CandidateOrder order, List<int> queue, int p, int orderedCount)
    {
        var i = queue[p];
        PrefetchVerdict(b, i);
        var tag = p < orderedCount ? order.TagAt(p) : NoGroup;
        if (tag == DustGroup || (tag >= 0 && _groups[b][tag] is { Flat: true } group && group.Stamp == _boundGeneration))
        {
            return;
        }

        book.Prefetch(i);
    }

    /// <summary>Runs one block's liquidations on every book.</summary>
    public BlockActivity RunBlock(int block)
    {
        _router.PoolsMoved();
        ClearBounds();
        RefreshDust();
        _groupBlock++;
        NetFlowUsd = new BigInteger[_state.Tokens.Count];
        var activity = new BlockActivity(_market.LiquidationGasBudgetPerBlock) { CapLeftUsd = CapPerBlockUsd, Paused = Paused };
        for (var b = 0; b < _state.Books.Count; b++)
        {
            RunBook(block, b, activity);
        }

        return activity;
    }

    private void RunBook(int block, int b, BlockActivity activity)
    {
        var book = _state.Books[b];
        var order = _orders[b];
        var known = _known[b];
        var tally = !book.NaiveRescan;
        var carried = UnchangedSinceLastBlock(book, b);
        if (carried)
        {
            CarryPass(book, b, order);
        }
        else
        {
            FirstPass(book, b, order, known);
        }

        // Competition: the largest positions (the largest bonuses) land first; ties by account order (deterministic).
        var ordered = order.Ordered();
        if (carried && CheckCarriedPasses)
        {
            VerifyCarried(block, book, b, order, ordered);
        }

        if (activity.Paused)
        {
            HoldForBreaker(b, ordered, activity);
            if (tally)
            {
                EndTally(book);
                Finished(book, b);
            }

            return;
        }

        // The competition order, then accounts liquidated this block that are still below, in the order they were (FIFO).
        var queue = _queue;
        queue.Clear();
        queue.AddRange(ordered);
        var calls = _calls;
        calls.Clear();
        var orderedCount = queue.Count;
        for (var next = 0; next < queue.Count; next++)
        {
            // First visits their group tag settles take the group's verdict here, in runs (the only place they do:
            // the gas budget and the cap are checked first, and nothing between here and the checks below moves them).
            if (!book.NaiveRescan && next < orderedCount && !activity.GasBound && activity.CapLeftUsd is not { Sign: <= 0 })
            {
                next = SettleByGroup(b, order, queue, next, orderedCount, carried);
                if (next >= queue.Count)
                {
                    break;
                }
            }

            var i = queue[next];
            if (next + PrefetchDistance < queue.Count)
            {
                PrefetchVisit(book, b, order, queue, next + PrefetchDistance, orderedCount);
            }

            // Oracle prices are fixed within the block: the data holds until this account is liquidated
            // (the book's exact-data cache knows; the naive reference keeps the block's map instead). An
            // account's first visit precedes its liquidation, so the summary it was ordered by still holds.
            var (below, debtKey, debtWide) = book.NaiveRescan && known.TryGetValue(i, out var kept)
                ? (kept.HealthFactor < WadRayMath.Wad, UInt128.Zero, true)
                : next < orderedCount ? order.SummaryAt(next) : book.AccountSummary(i);
            if (!below)
            {
                _verdicts[b][i] = UnliquidatableReason.None;
                continue;
            }

            if (activity.GasBound)
            {
                _verdicts[b][i] = UnliquidatableReason.GasBudget;
                continue;
            }

            if (activity.CapLeftUsd is { Sign: <= 0 })
            {
                _verdicts[b][i] = UnliquidatableReason.LiquidationCap;
                continue;
            }

            if (!book.NaiveRescan && SurelyNoPlan(book, b, i, debtKey, debtWide, out var certain))
            {
                _verdicts[b][i] = certain;
                continue;
            }

            var data = known.Remove(i, out var cached) ? cached : book.PeekAccountData(i);
            var decision = Decide(book, i, data);
            if (decision.Plan is not { } decided)
            {
                _verdicts[b][i] = decision.Reason;
                continue;
            }

            if (FitCap(book, i, decided, activity) is not { } plan)
            {
                _verdicts[b][i] = UnliquidatableReason.LiquidationCap;
                continue;
            }

            if (plan.Gas > activity.GasLeft)
            {
                activity.GasBound = true;
                _verdicts[b][i] = UnliquidatableReason.GasBudget;
                continue;
            }

            if (tally)
            {
                BeforeLiquidation(book, i);
            }

            Execute(block, book, i, plan, activity);
            _verdicts[b][i] = UnliquidatableReason.None;
            var made = calls.GetValueOrDefault(i) + 1;
            calls[i] = made;
            book.RescreenAccount(i);
            if (made < MaxCallsPerAccountPerBlock && book.ScreenHealthFactor(i) < 1.0 + LendingBook.ScreenMargin)
            {
                queue.Add(i);
            }
        }

        if (tally)
        {
            EndTally(book);
            Finished(book, b);
        }
    }

    /// <summary>
    /// The loop's most common visit in a deep cascade, in a tight run from position <paramref name="next"/>:
    /// first visits whose tag (the group the first pass tagged the account with; a liquidated account's later
    /// visits are untagged) settles them, as dust, in a group flat on the current pools or below the debt-key limit
    /// of a group that is not flat (LiquidationBot.Tags.cs), get that verdict;
    /// the gas budget and the cap cannot bind within the run (nothing is executed or decided). Returns the
    /// first position the run does not settle, which the loop then takes through SurelyNoPlan or Decide.
    /// Reads the order's tags and debt keys in sequence, and each
    /// tag's verdict from a small table kept for the current pools (<see cref="TagVerdicts"/>).
    /// </summary>
    private int SettleByGroup(int b, CandidateOrder order, List<int> queue, int next, int orderedCount, bool carried)
    {
        var verdicts = _verdicts[b];
        var tags = order.Tags;
        var keys = order.Keys;
        var accounts = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(queue);
        var table = TagVerdicts(b, out var limits);
        var start = next;
        for (; next < orderedCount; next++)
        {
            var tag = tags[next];
            // A tag carried from an earlier block whose dust side changed takes the full path (CurrentTag).
            if (tag == NoGroup || (carried && (tag == DustGroup) != IsDust(keys[next])))
            {
                break;
            }

            var verdict = table[tag + 2];
            if (verdict == TagUnknown)
            {
                verdict = TagVerdict(b, tag, out limits[tag + 2]);
                table[tag + 2] = verdict;
            }

            if (verdict == TagUnsettled || keys[next] >= limits[tag + 2])
            {
                break;
            }

            verdicts[accounts[next]] = (UnliquidatableReason)(verdict - TagReason);
        }

        GroupSettled += next - start;
        return next;
    }

    private void Execute(int block, LendingBook book, int i, Plan plan, BlockActivity activity)
    {
        var account = book.Accounts[i];
        var request = new LiquidationRequest(plan.Collateral, plan.Debt, plan.DebtToCover);
        var result = AaveV3Liquidation.Execute(book.Market, account, book.Oracle, request);
        book.AccountChanged(i);
        if (!result.Ok || result.DebtRepaid != plan.Quote.DebtRepaid)
        {
            throw new InvalidOperationException($"liquidation of {account.User} diverged from its quote ({result.Error})");
        }

        Log?.Add(new LiquidationAction(
            _state.Books.IndexOf(book), book.Market.Name, account.User, book.Market.Reserves[plan.Collateral].Token.Symbol, book.Market.Reserves[plan.Debt].Token.Symbol,
            request.DebtToCover, request.ReceiveAToken, result.DebtRepaid, result.CollateralToLiquidator, result.ProtocolFee));
        var collateralAsset = book.ReserveAsset[plan.Collateral];
        var debtAsset = book.ReserveAsset[plan.Debt];
        var proceeds = result.CollateralToLiquidator;
        if (plan.Route is { } route)
        {
            var sale = _router.Execute(route, result.CollateralToLiquidator);
            ClearBounds();
            proceeds = sale.AmountOut;
            NetFlowUsd[collateralAsset] -= _state.ExternalValue(collateralAsset, result.CollateralToLiquidator);
            NetFlowUsd[debtAsset] += _state.ExternalValue(debtAsset, proceeds);
        }

        var oracle = book.Oracle.Prices;
        var collateralUnit = book.Market.Reserves[plan.Collateral].Token.Unit;
        var debtUnit = book.Market.Reserves[plan.Debt].Token.Unit;
        var evt = new LiquidationEvent(
            block, book.Market.Name, account.User,
            book.Market.Reserves[plan.Collateral].Token.Symbol, book.Market.Reserves[plan.Debt].Token.Symbol,
            result.DebtRepaid, result.CollateralToLiquidator, result.ProtocolFee, proceeds,
            result.HealthFactorBefore, book.PeekAccountData(i).HealthFactor, result.CloseFactorBps, result.CollateralCapBinding,
            result.DebtRepaid * oracle[plan.Debt] / debtUnit,
            (result.CollateralToLiquidator + result.ProtocolFee) * oracle[plan.Collateral] / collateralUnit,
            result.ProtocolFee * oracle[plan.Collateral] / collateralUnit,
            plan.ProfitUsd, GasUsd(plan.Gas), plan.Gas, plan.Partial);
        Events.Add(evt);
        activity.Record(evt);
    }

    private BigInteger GasUsd(long gas) =>
        gas * _market.GasPriceGwei * 1_000_000_000L * _state.External[_gasAsset] / WadRayMath.Wad;

    /// <summary>Bookkeeping of one block's liquidations.</summary>
    public sealed class BlockActivity(long gasBudget)
    {
        private readonly HashSet<(string, string)> _accounts = [];

        public long GasLeft { get; private set; } = gasBudget;

        public bool GasBound { get; set; }

        /// <summary>Debt (USD, 8 decimals) the per-block liquidation cap still allows; null: no cap.</summary>
        public BigInteger? CapLeftUsd { get; internal set; }

        /// <summary>The per-block liquidation cap cut or stopped a liquidation this block.</summary>
        public bool CapBound { get; internal set; }

        /// <summary>The circuit breaker held liquidations this block.</summary>
        public bool Paused { get; internal set; }

        /// <summary>Accounts below HF 1 waited out the circuit breaker: the run has not settled.</summary>
        public bool Waiting { get; internal set; }

        public int Events { get; private set; }

        public int Accounts => _accounts.Count;

        public BigInteger DebtRepaidUsd { get; private set; }

        public BigInteger CollateralSeizedUsd { get; private set; }

        public BigInteger ProfitUsd { get; private set; }

        public BigInteger GasUsd { get; private set; }

        public long GasUsed { get; private set; }

        internal void Record(LiquidationEvent e)
        {
            _accounts.Add((e.Market, e.User.Hex));
            Events++;
            DebtRepaidUsd += e.DebtRepaidUsd;
            CollateralSeizedUsd += e.CollateralSeizedUsd;
            ProfitUsd += e.ProfitUsd;
            GasUsd += e.GasUsd;
            GasUsed += e.GasUsed;
            GasLeft -= e.GasUsed;
            CapLeftUsd -= e.DebtRepaidUsd;
        }
    }
}
