using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The competitive liquidator: scans accounts below HF 1 at oracle prices, prices every
/// (collateral, debt) pair with the protocol's exact rules and an exact sale through the pools,
/// and takes the largest slice that still pays (bonus minus protocol fee, slippage, gas and the
/// flash-loan fee). The most profitable liquidations go first; the block's gas budget caps them.
/// </summary>
public sealed partial class LiquidationBot
{
    private const int RecheckBlocks = 5;
    private const int MaxCallsPerAccountPerBlock = 8;

    private readonly MarketState _state;
    private readonly Router _router;
    private readonly MarketAssumptions _market;
    private readonly int _gasAsset;
    private readonly Dictionary<(int Book, int Account), Verdict> _verdicts = new();
    private readonly int[] _oracleVersion;
    private long _stateVersion;

    public LiquidationBot(MarketState state, Router router, MarketAssumptions market)
    {
        _state = state;
        _router = router;
        _market = market;
        _gasAsset = state.Tokens.Select((t, i) => (t, i)).FirstOrDefault(x => x.t.Symbol is "WETH" or "ETH", (null!, -1)).Item2;
        if (_gasAsset < 0)
        {
            throw new InvalidOperationException("the snapshot needs a WETH token to value gas (ETH) in USD");
        }

        _oracleVersion = new int[state.Books.Count];
    }

    /// <summary>Net USD (8 decimals) bought (+) or sold (−) per asset by liquidators this block.</summary>
    public BigInteger[] NetFlowUsd { get; private set; } = [];

    public List<LiquidationEvent> Events { get; } = [];

    public void OracleMoved(int book)
    {
        _oracleVersion[book]++;
        _stateVersion++;
    }

    /// <summary>Pools moved (arbitrage): verdicts made before are stale, though still trusted for a few busy blocks.</summary>
    public void PoolsMoved() => _stateVersion++;

    /// <summary>The last verdict on an account that was not (fully) liquidated.</summary>
    public UnliquidatableReason LastReason(int book, int account) =>
        _verdicts.TryGetValue((book, account), out var v) ? v.Reason : UnliquidatableReason.None;

    /// <summary>
    /// Runs one block's liquidations on every book. In a quiet block (no price, oracle or pool
    /// move before the bots) every stale verdict is re-examined, so a run is only called
    /// converged once each position left was judged on the final state.
    /// </summary>
    public BlockActivity RunBlock(int block, bool quiet)
    {
        _quiet = quiet;
        NetFlowUsd = new BigInteger[_state.Tokens.Count];
        var activity = new BlockActivity(_market.LiquidationGasBudgetPerBlock);
        for (var b = 0; b < _state.Books.Count && !activity.GasBound; b++)
        {
            RunBook(block, b, activity);
        }

        return activity;
    }

    private void RunBook(int block, int b, BlockActivity activity)
    {
        var book = _state.Books[b];
        var ordered = new List<(int Account, BigInteger Profit)>();
        foreach (var i in book.Candidates())
        {
            if (book.AccountData(i).HealthFactor >= WadRayMath.Wad || IsSettledVerdict(b, i, block))
            {
                continue;
            }

            var first = BestAtMax(book, i);
            ordered.Add((i, first?.ProfitUsd ?? BigInteger.MinusOne));
        }

        // Competition: the most profitable liquidations land first; ties by account order (deterministic).
        ordered.Sort((x, y) => y.Profit != x.Profit ? y.Profit.CompareTo(x.Profit) : x.Account.CompareTo(y.Account));
        var queue = new Queue<int>(ordered.Select(o => o.Account));
        var calls = new Dictionary<int, int>();
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            var data = book.AccountData(i);
            if (data.HealthFactor >= WadRayMath.Wad)
            {
                _verdicts.Remove((b, i));
                continue;
            }

            var decision = Decide(book, i, data);
            if (decision.Plan is not { } plan)
            {
                _verdicts[(b, i)] = new Verdict(decision.Reason, block, _oracleVersion[b], _stateVersion);
                continue;
            }

            if (plan.Gas > activity.GasLeft)
            {
                activity.GasBound = true;
                _verdicts[(b, i)] = new Verdict(UnliquidatableReason.GasBudget, block, -1, -1);
                continue;
            }

            Execute(block, b, book, i, plan, activity);
            calls[i] = calls.GetValueOrDefault(i) + 1;
            book.RescreenAccount(i);
            if (calls[i] < MaxCallsPerAccountPerBlock && book.ScreenHealthFactor(i) < 1.0 + 1e-6)
            {
                queue.Enqueue(i);
            }
        }
    }

    private bool _quiet;

    private bool IsSettledVerdict(int b, int i, int block) =>
        _verdicts.TryGetValue((b, i), out var v)
        && v.Reason != UnliquidatableReason.GasBudget
        && v.OracleVersion == _oracleVersion[b]
        && (v.StateVersion == _stateVersion || (!_quiet && block - v.Block < RecheckBlocks));

    private void Execute(int block, int b, LendingBook book, int i, Plan plan, BlockActivity activity)
    {
        var account = book.Accounts[i];
        var request = new LiquidationRequest(plan.Collateral, plan.Debt, plan.DebtToCover);
        var result = AaveV3Liquidation.Execute(book.Market, account, book.Oracle, request);
        if (!result.Ok || result.DebtRepaid != plan.Quote.DebtRepaid)
        {
            throw new InvalidOperationException($"liquidation of {account.User} diverged from its quote ({result.Error})");
        }

        var collateralAsset = book.ReserveAsset[plan.Collateral];
        var debtAsset = book.ReserveAsset[plan.Debt];
        var proceeds = result.CollateralToLiquidator;
        if (plan.Route is { } route)
        {
            var sale = _router.Execute(route, result.CollateralToLiquidator);
            proceeds = sale.AmountOut;
            NetFlowUsd[collateralAsset] -= _state.ExternalValue(collateralAsset, result.CollateralToLiquidator);
            NetFlowUsd[debtAsset] += _state.ExternalValue(debtAsset, proceeds);
        }

        var after = book.AccountData(i).HealthFactor;
        var oracle = book.Oracle.Prices;
        var collateralUnit = book.Market.Reserves[plan.Collateral].Token.Unit;
        var debtUnit = book.Market.Reserves[plan.Debt].Token.Unit;
        var gasUsd = GasUsd(plan.Gas);
        var evt = new LiquidationEvent(
            block, book.Market.Name, account.User,
            book.Market.Reserves[plan.Collateral].Token.Symbol, book.Market.Reserves[plan.Debt].Token.Symbol,
            result.DebtRepaid, result.CollateralToLiquidator, result.ProtocolFee, proceeds,
            result.HealthFactorBefore, after, result.CloseFactorBps, result.CollateralCapBinding,
            result.DebtRepaid * oracle[plan.Debt] / debtUnit,
            (result.CollateralToLiquidator + result.ProtocolFee) * oracle[plan.Collateral] / collateralUnit,
            result.ProtocolFee * oracle[plan.Collateral] / collateralUnit,
            plan.ProfitUsd, gasUsd, plan.Gas, plan.Partial);
        Events.Add(evt);
        _stateVersion++;
        activity.Record(evt);
        _verdicts.Remove((b, i));
    }

    private BigInteger GasUsd(long gas) =>
        gas * _market.GasPriceGwei * 1_000_000_000L * _state.External[_gasAsset] / WadRayMath.Wad;

    /// <summary>Bookkeeping of one block's liquidations.</summary>
    public sealed class BlockActivity(long gasBudget)
    {
        private readonly HashSet<(string, string)> _accounts = [];

        public long GasLeft { get; private set; } = gasBudget;

        public bool GasBound { get; set; }

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
        }
    }

    private readonly record struct Verdict(UnliquidatableReason Reason, int Block, int OracleVersion, long StateVersion);
}
