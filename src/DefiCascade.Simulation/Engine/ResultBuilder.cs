using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Turns the final state into the result: bad debt (shortfall of every account whose collateral
/// is worth less than its debt at the final oracle prices), attributed to debt reserves pro rata,
/// the reasons positions were left, and the price outcomes.
/// </summary>
internal sealed partial class ResultBuilder(MarketState state, Scenario scenario, PricePath path, LiquidationBot bot, int seed)
{
    private const int ListedAccounts = 100;

    /// <summary>
    /// Accounts below HF 1 and total shortfall (USD 8 decimals) for the per-block series, exact: the
    /// naive reference's fresh screen decides clear cases and the exact model the rest; the scaled
    /// engine, whose candidates' screen values may be stale (ScreenSchedule), reads the exact model's
    /// 128-bit totals for every candidate (the bot refreshed them this block).
    /// </summary>
    public static (int Below, BigInteger Shortfall) Insolvency(MarketState state)
    {
        var below = 0;
        var shortfall = BigInteger.Zero;
        foreach (var book in state.Books)
        {
            // Unchanged since the last block (no oracle move, no liquidation): the same figures.
            if (book.NaiveRescan || book.InsolvencyMemo is not { } memo || memo.Version != book.Version)
            {
                var (bookBelow, bookShortfall) = Insolvency(book);
                memo = (book.Version, bookBelow, bookShortfall);
                book.InsolvencyMemo = memo;
            }

            below += memo.Below;
            shortfall += memo.Shortfall;
        }

        return (below, shortfall);
    }

    private static (int Below, BigInteger Shortfall) Insolvency(LendingBook book)
    {
        var tally = new InsolvencyTally();
        var candidates = book.Candidates();
        for (var k = 0; k < candidates.Count; k++)
        {
            var i = candidates[k];
            if (k + 8 < candidates.Count)
            {
                book.Prefetch(candidates[k + 8]);
            }

            if (book.NaiveRescan)
            {
                var nearOne = book.ScreenHealthFactor(i) > 1.0 - LendingBook.ScreenMargin;
                var maybeInsolvent = book.ScreenSolvency(i) < 1.0 + LendingBook.ScreenMargin;
                if (!nearOne && !maybeInsolvent)
                {
                    tally.Below++;
                    continue;
                }
            }

            tally.Add(book, i);
        }

        return (tally.Below, tally.Shortfall);
    }

    /// <summary>
    /// Accounts below HF 1 now, as (book &lt;&lt; 32 | index), in book and account order, by the exact
    /// model (the naive reference's fresh screen decides clear cases), as in <see cref="Insolvency"/>.
    /// </summary>
    public static IEnumerable<long> BelowHfOne(MarketState state)
    {
        for (var b = 0; b < state.Books.Count; b++)
        {
            var book = state.Books[b];
            foreach (var i in book.Candidates())
            {
                var certain = book.NaiveRescan && book.ScreenHealthFactor(i) <= 1.0 - LendingBook.ScreenMargin;
                if (certain || book.AccountSummary(i).Below)
                {
                    yield return ((long)b << 32) | (uint)i;
                }
            }
        }
    }

    public SimulationResult Build(RunStatus status, List<BlockRecord> blocks, BigInteger[] low, int arbitrageTrades, int oracleUpdates)
    {
        var reserves = new List<ReserveOutcome>();
        var tally = new OutcomeTally();
        var listing = new Listing(ListedAccounts, (b, i) => state.Books[b].Accounts[i].User.Hex);
        var initialDebt = BigInteger.Zero;
        var realized = BigInteger.Zero;
        var totalAccounts = 0;
        var withDebt = 0;
        foreach (var (book, b) in state.Books.Select((x, b) => (x, b)))
        {
            totalAccounts += book.Accounts.Length;
            withDebt += book.AccountsWithDebt();
            initialDebt += book.InitialDebtBase;
            var badByReserve = AddAccounts(book, b, tally, listing, ref realized);
            for (var r = 0; r < book.Market.Reserves.Count; r++)
            {
                var symbol = book.Market.Reserves[r].Token.Symbol;
                var repaid = bot.Events.Where(e => e.Market == book.Market.Name && e.DebtAsset == symbol).ToList();
                var initial = book.InitialDebtBaseByReserve[r];
                if (initial.IsZero && repaid.Count == 0)
                {
                    continue;
                }

                var bad = badByReserve[r].Value;
                reserves.Add(new ReserveOutcome(
                    book.Market.Name, symbol, initial,
                    repaid.Aggregate(BigInteger.Zero, (s, e) => s + e.DebtRepaid),
                    repaid.Aggregate(BigInteger.Zero, (s, e) => s + e.DebtRepaidUsd),
                    bad, Percent(bad, initial)));
            }
        }

        var badDebt = tally.BadDebt;
        var events = bot.Events;
        var totals = new RunTotals(
            totalAccounts, withDebt, events.Count,
            events.Select(e => (e.Market, e.User)).Distinct().Count(),
            Sum(events, e => e.DebtRepaidUsd), Sum(events, e => e.CollateralSeizedUsd), Sum(events, e => e.ProtocolFeeUsd),
            Sum(events, e => e.ProfitUsd), Sum(events, e => e.GasUsd), events.Sum(e => e.GasUsed),
            arbitrageTrades, oracleUpdates, initialDebt, badDebt, realized, Percent(badDebt, initialDebt),
            tally.WithShortfall, tally.Below);

        // The listed accounts' outcomes, built now from the same exact data (their shortfall is the key's).
        var listed = listing.Listed().Select(key => key.Outcome ?? Outcome(state.Books[key.Book], key.Book, key.Account, state.Books[key.Book].PeekAccountData(key.Account), key.Shortfall)).ToList();
        return new SimulationResult(Header(blocks), status, totals, reserves, Prices(blocks, low), tally.Reasons(Explain), listed, blocks, events);
    }

    private static void Attribute(LendingBook book, int i, BigInteger shortfall, BigInteger totalDebt, ExactSum[] badByReserve)
    {
        if (shortfall.IsZero || totalDebt.IsZero)
        {
            return;
        }

        for (var r = 0; r < book.Market.Reserves.Count; r++)
        {
            var debt = book.Accounts[i].DebtBalance(book.Market, r);
            if (!debt.IsZero)
            {
                var debtBase = debt * book.Oracle.Prices[r] / book.Market.Reserves[r].Token.Unit;
                badByReserve[r].Add(shortfall * debtBase / totalDebt);
            }
        }
    }

    private AccountOutcome Outcome(LendingBook book, int b, int i, UserAccountData data, BigInteger shortfall)
    {
        var account = book.Accounts[i];
        var reason = data.TotalCollateralBase.IsZero ? UnliquidatableReason.NoCollateral : bot.LastReason(b, i);
        var (collateral, debt) = Symbols(book, i);
        return new AccountOutcome(book.Market.Name, account.User, account.EMode, collateral, debt, data.TotalCollateralBase, data.TotalDebtBase, shortfall, data.HealthFactor, reason);
    }

    // The reserves' symbols of an account, as one shared read-only list per set of reserves (a large
    // cascade leaves tens of thousands of accounts, nearly all on a few sets), from the exact data's
    // masks: the account's collateral flag is read only for reserves the masks leave out (LT 0).
    private (IReadOnlyList<string> Collateral, IReadOnlyList<string> Debt) Symbols(LendingBook book, int i)
    {
        var (collateralMask, borrowMask, _) = book.ReserveMasks(i);
        for (var r = 0; r < book.Market.Reserves.Count; r++)
        {
            if (book.Market.Reserves[r].LiquidationThresholdBps == 0 && book.Accounts[i].IsUsingAsCollateral(r))
            {
                collateralMask |= 1 << r;
            }
        }

        return (SymbolsOf(book, collateralMask), SymbolsOf(book, borrowMask));
    }

    private IReadOnlyList<string> SymbolsOf(LendingBook book, int mask)
    {
        if (!_symbolLists.TryGetValue((book, mask), out var list))
        {
            list = Enumerable.Range(0, book.Market.Reserves.Count).Where(r => ((mask >> r) & 1) != 0).Select(r => book.Market.Reserves[r].Token.Symbol).ToList().AsReadOnly();
            _symbolLists[(book, mask)] = list;
        }

        return list;
    }

    private readonly Dictionary<(LendingBook, int), IReadOnlyList<string>> _symbolLists = [];

    private List<AssetPriceOutcome> Prices(List<BlockRecord> blocks, BigInteger[] low)
    {
        var last = blocks.Count == 0 ? null : blocks[^1];
        var end = System.Math.Min(last?.Block ?? 0, scenario.DurationBlocks);
        return state.Tokens.Select((t, a) =>
        {
            var start = state.StartPrices[a];
            var exogenous = path.Price(a, end);
            var realized = state.External[a];
            var exoMove = Percent(exogenous - start, start);
            var realMove = Percent(realized - start, start);
            return new AssetPriceOutcome(t.Symbol, start, exogenous, realized, low[a],
                last?.Oracle[a] ?? BigInteger.Zero, last?.Pool[a] ?? BigInteger.Zero, exoMove, realMove, System.Math.Round(realMove - exoMove, 4));
        }).ToList();
    }

    private RunHeader Header(List<BlockRecord> blocks) => new(
        CascadeEngine.EngineName,
        AaveV3Version.Name,
        state.Snapshot.ChainId,
        state.Snapshot.BlockNumber,
        state.Snapshot.BlockTimestamp,
        state.Snapshot.Origin.Kind,
        state.Snapshot.Origin.Coverage,
        scenario.Name,
        scenario.Description,
        seed,
        scenario.BlockSeconds,
        scenario.Market.Describe().Select(d => new Assumption(d.Name, d.Value, d.Basis))
            .Append(new Assumption("oracle pricing", "oracle answers (USD, 8 decimals)", "bad debt and liquidation volumes are valued at the protocol's oracle prices; profit and gas at external prices"))
            .Append(new Assumption("routing", "best single route (up to three pool hops)", "an order is not split across pools; pools between blocks are arbitraged toward the external price"))
            .Append(new Assumption("interest", "not accrued", "indexes stay at the snapshot's over the horizon"))
            .Concat(state.Snapshot.MorphoBlueMarkets.Count == 0
                ? []
                : [new Assumption(
                    "Morpho Blue",
                    $"{state.Snapshot.MorphoBlueMarkets.Count} markets in the snapshot, not simulated",
                    "the engine liquidates Aave V3 positions only so far: Morpho positions and their bad debt are not in these numbers")])
            .Concat(MitigationRows(blocks))
            .ToList());

    /// <summary>One row per active mitigation, with the blocks it acted in: a cap that binds must say so.</summary>
    private IEnumerable<Assumption> MitigationRows(List<BlockRecord> blocks) =>
        scenario.Mitigations.Describe(blocks.Count(b => b.LiquidationCapBound), blocks.Count(b => b.LiquidationsPaused), blocks.Count)
            .Select(d => new Assumption(d.Name, d.Value, d.Basis));

    private static string Explain(UnliquidatableReason reason) => reason switch
    {
        UnliquidatableReason.Unprofitable => "gas, slippage and the flash-loan fee exceed the liquidation bonus at every slice size",
        UnliquidatableReason.Dust => "the whole debt is worth less than the gas of one liquidation and swap",
        UnliquidatableReason.NoLiquidity => "the pools ran out of liquidity before the seized collateral was sold",
        UnliquidatableReason.DataExhausted => "the sale walked past the part of the pool book that was read",
        UnliquidatableReason.NoRoute => "no pool path from the collateral to the debt asset",
        UnliquidatableReason.NoCollateral => "all collateral is gone; the remaining debt is realized bad debt",
        UnliquidatableReason.GasBudget => "the block's liquidation gas budget ran out before its turn",
        UnliquidatableReason.Refused => "the protocol refuses the liquidation (reserve paused or inactive)",
        UnliquidatableReason.LiquidationCap => "the block's liquidation cap (a mitigation) was used up before its turn",
        UnliquidatableReason.CircuitBreaker => "the circuit breaker (a mitigation) paused liquidations when the run ended",
        _ => "below HF 1 and not yet examined by a bot",
    };

    private static BigInteger Sum<T>(IEnumerable<T> items, Func<T, BigInteger> selector) =>
        items.Aggregate(BigInteger.Zero, (s, x) => s + selector(x));

    // Ratios for display: exact integers in, a double percentage out.
    private static double Percent(BigInteger part, BigInteger whole) =>
        whole.IsZero ? 0 : (double)(part * 1_000_000 / whole) / 10_000.0;
}
