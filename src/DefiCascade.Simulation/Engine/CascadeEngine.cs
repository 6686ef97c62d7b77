using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>Progress of a run, for a progress bar: blocks done out of the path plus the settle cap.</summary>
public readonly record struct RunProgress(int Block, int MaxBlocks, int Liquidations);

/// <summary>
/// How the engine finds the accounts to examine. <see cref="NaiveRescan"/> is the reference that
/// rescreens and re-examines every position every block (for benchmarks and equality tests);
/// both give the same result.
/// </summary>
/// <see cref="CompareWithoutMitigations"/>: a scenario with mitigations also runs without them, for
/// the result's mitigation effect (Monte Carlo and sweeps may turn it off to save the second run).
/// <see cref="ActionLog"/>: receives every decision in execution order (a chain replay acts them out); null, the default,
/// costs nothing.
public sealed record CascadeOptions(bool NaiveRescan = false, bool CompareWithoutMitigations = true)
{
    public IActionLog? ActionLog { get; init; }

    /// <summary>
    /// Threads one run may use for its per-account passes over a large book (the bot's first pass,
    /// the screen after oracle moves); 1, the default, stays on the calling thread. Results are the
    /// same for any count. Monte Carlo and sweeps run whole paths in parallel instead and keep 1.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>Tests only: the fewest candidates a pass splits among workers (small books then split too).</summary>
    internal int ParallelFrom { get; init; } = 4096;

    /// <summary>
    /// Tests only: every block whose first pass is carried from the block before also runs the full
    /// pass and throws if the two disagree (order, group tags or insolvency figures).
    /// </summary>
    internal bool CheckCarriedPasses { get; init; }

    public static CascadeOptions Default { get; } = new();
}

/// <summary>
/// The block clock (shared/DESIGN.md): per block, exogenous prices, arbitrage, oracles,
/// liquidations, endogenous impact, metrics. Runs the scenario's path, then keeps going until
/// a block passes with nothing left to do ("converged") or the settle cap binds ("truncated").
/// </summary>
public sealed class CascadeEngine
{
    public const string EngineName = "DefiCascade engine 0.1 (block clock, exact Uniswap V2/V3 and Aave V3 math)";

    private readonly Scenario _scenario;
    private readonly int _seed;
    private readonly MarketState _state;
    private readonly PricePath _path;
    private readonly Router _router;
    private readonly Arbitrageur _arbitrageur;
    private readonly LiquidationBot _bot;
    private readonly BigInteger _impactDecayWad;
    private readonly int?[] _reference;
    private readonly int _gasAsset;
    private readonly CascadeOptions _options;
    private readonly CircuitBreaker? _breaker;
    private readonly TwapOracle? _twap;
    private readonly ReserveSteward? _steward;
    private readonly IActionLog? _log;

    public CascadeEngine(MarketSnapshot snapshot, Scenario scenario, int seed)
        : this(snapshot, scenario, seed, CascadeOptions.Default)
    {
    }

    public CascadeEngine(MarketSnapshot snapshot, Scenario scenario, int seed, CascadeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _scenario = scenario;
        _seed = seed;
        _state = new MarketState(snapshot, scenario, options.NaiveRescan);
        foreach (var book in _state.Books)
        {
            (book.Workers, book.ParallelFrom) = (Math.Max(1, options.Workers), options.ParallelFrom);
        }
        _path = new PricePath(scenario, _state.Tokens.Select(t => t.Symbol).ToList(), _state.StartPrices, seed);
        _log = options.ActionLog;
        _router = new Router(_state.Pools) { Log = _log };
        _arbitrageur = new Arbitrageur(_state, BigInteger.Zero) { Log = _log };
        _bot = new LiquidationBot(_state, _router, scenario.Market) { CapPerBlockUsd = scenario.Mitigations.LiquidationCapPerBlockUsd, Log = _log, CheckCarriedPasses = options.CheckCarriedPasses, Workers = Math.Max(1, options.Workers), ParallelFrom = options.ParallelFrom };
        _breaker = scenario.Mitigations.CircuitBreaker is { } breaker ? new CircuitBreaker(breaker, _state) : null;
        _options = options;
        _reference = ReferencePools(_state);
        _twap = scenario.Mitigations.TwapOracle is { } twap ? new TwapOracle(twap, _state, _reference) : null;
        _steward = scenario.Mitigations.ChangesReserves ? new ReserveSteward(scenario.Mitigations, _state, scenario.BlockSeconds) : null;
        _gasAsset = _state.AssetIndex(_state.Tokens.Any(t => t.Symbol == "WETH") ? "WETH" : "ETH");
        _impactDecayWad = scenario.Market.ImpactHalfLifeBlocks == 0
            ? WadRayMath.Wad
            : new BigInteger(System.Math.Pow(0.5, 1.0 / scenario.Market.ImpactHalfLifeBlocks) * 1e18);
    }

    public MarketState State => _state;

    /// <summary>How the liquidation bot prices an account on the current state (see LiquidationBot.Explain).</summary>
    public IReadOnlyList<string> ExplainAccount(int book, int account) => _bot.Explain(book, account);

    /// <summary>Accounts the liquidator's size ladders settled without exact pricing (each visit counts; tests read it).</summary>
    internal long LadderSettled => _bot.LadderSettled;

    internal long GroupSettled => _bot.GroupSettled;

    internal long PassesCarried => _bot.PassesCarried;

    /// <summary>First passes split among worker threads (CascadeOptions.Workers; tests read it).</summary>
    internal long PassesSplit => _bot.PassesSplit;

    /// <summary>Candidates the bot's first pass entered without their exact data (surely below HF 1 and solvent; tests read it).</summary>
    internal long CertainEntries => _bot.CertainEntries;

    /// <summary>Of <see cref="CertainEntries"/>, those entered from the frozen list (tests read it).</summary>
    internal long FrozenEntered => _bot.FrozenEntered;

    public SimulationResult Run(IProgress<RunProgress>? progress = null, CancellationToken cancellation = default)
    {
        _steward?.BeginBlock(0);
        foreach (var book in _state.Books)
        {
            book.RescreenAll();
        }

        var records = new List<BlockRecord>();
        var low = (BigInteger[])_state.External.Clone();
        var maxBlocks = _scenario.DurationBlocks + _scenario.MaxSettleBlocks;
        var (arbitrageTrades, oracleUpdates) = (0, 0);
        var outcome = "truncated";
        var block = 0;
        var settle = 0;
        while (block < maxBlocks)
        {
            cancellation.ThrowIfCancellationRequested();
            block++;
            _steward?.BeginBlock(block);
            var timestamp = _state.Snapshot.BlockTimestamp + (long)block * _scenario.BlockSeconds;
            _log?.BeginBlock(block, timestamp);
            MoveExternalPrices(block);
            _twap?.Sample(_state);
            _arbitrageur.GasCostUsd8 = GasUsd(_scenario.Market.ArbitrageGas);
            var trades = _arbitrageur.Run(block);
            var updates = UpdateOracles(timestamp);
            _bot.Paused = _breaker?.Observe(_state) ?? false;
            var activity = _bot.RunBlock(block);
            _steward?.EndBlock(block);
            ApplyImpact();
            arbitrageTrades += trades;
            oracleUpdates += updates;
            for (var a = 0; a < low.Length; a++)
            {
                low[a] = BigInteger.Min(low[a], _state.External[a]);
            }

            records.Add(Record(block, timestamp, activity, trades, updates));
            _log?.EndBlock(block, _state.Pools.Select(p => p.SqrtPriceX96).ToArray());
            progress?.Report(new RunProgress(block, maxBlocks, _bot.Events.Count));
            if (block >= _scenario.DurationBlocks)
            {
                if (activity.Events == 0 && trades == 0 && updates == 0 && !activity.GasBound && !activity.CapBound && !activity.Waiting && _steward?.Pending != true)
                {
                    outcome = "converged";
                    break;
                }

                settle++;
            }
        }

        var status = new RunStatus(
            outcome, block, _scenario.DurationBlocks, settle,
            outcome == "converged"
                ? $"a block passed with no liquidation, arbitrage or oracle update after the {_scenario.DurationBlocks}-block path"
                : $"stopped at the settle cap of {_scenario.MaxSettleBlocks} blocks after the path with activity still going: truncated, not converged");
        var result = new ResultBuilder(_state, _scenario, _path, _bot, _seed).Build(status, records, low, arbitrageTrades, oracleUpdates)
            with { PoolsOutOfLiquidity = _arbitrageur.PoolsOutOfLiquidity() };
        return _scenario.Mitigations.Any ? result with { Mitigation = MitigationReport(result, cancellation) } : result;
    }

    /// <summary>
    /// External price = exogenous path x the asset's own impact x the driver's impact passed on by
    /// the asset's beta (selling ETH presses on everything that loads on ETH, as the shock does).
    /// </summary>
    private void MoveExternalPrices(int block)
    {
        var pathBlock = System.Math.Min(block, _scenario.DurationBlocks);
        var driver = _state.AssetIndex(_scenario.Driver);
        for (var a = 0; a < _state.Tokens.Count; a++)
        {
            var impact = _state.ImpactWad[a];
            if (a != driver && !_scenario.AssetPaths.ContainsKey(_state.Tokens[a].Symbol))
            {
                var beta = _scenario.BetasWad.TryGetValue(_state.Tokens[a].Symbol, out var b) ? b : BigInteger.Zero;
                var passed = WadRayMath.Wad + beta * (_state.ImpactWad[driver] - WadRayMath.Wad) / WadRayMath.Wad;
                impact = impact * BigInteger.Max(passed, WadRayMath.Wad / 1_000_000) / WadRayMath.Wad;
            }

            var price = _path.Price(a, pathBlock) * impact / WadRayMath.Wad;
            _state.External[a] = price.Sign > 0 ? price : BigInteger.One;
        }
    }

    private int UpdateOracles(long timestamp)
    {
        var updates = 0;
        // Base feeds before derived feeds, so a derived answer follows its base in the same block.
        foreach (var feed in _state.Feeds.Where(f => f is { IsDerived: false }).Concat(_state.Feeds.Where(f => f is { IsDerived: true })))
        {
            var changed = _twap is not null && feed!.Asset == _twap.Asset(_state)
                ? feed.Publish(_twap.Answer, timestamp)
                : feed!.Observe(_state.External[_state.AssetIndex(feed.Asset)], timestamp);
            if (changed)
            {
                updates++;
                _log?.Add(new OracleAction(feed.Asset, feed.Answer));
            }
        }

        for (var b = 0; b < _state.Books.Count; b++)
        {
            if (_state.Books[b].SyncOracle(_state))
            {
                _state.Books[b].PricesMoved();
            }
        }

        return updates;
    }

    private void ApplyImpact()
    {
        var depth = _scenario.Market.OffChainDepthUsdPerPercent;
        for (var a = 0; a < _state.Tokens.Count; a++)
        {
            var impact = _state.ImpactWad[a];
            if (_impactDecayWad != WadRayMath.Wad)
            {
                impact = WadRayMath.Wad + (impact - WadRayMath.Wad) * _impactDecayWad / WadRayMath.Wad;
            }

            var flow = _bot.NetFlowUsd[a];
            if (!flow.IsZero && depth.TryGetValue(_state.Tokens[a].Symbol, out var usdPerPercent))
            {
                // Linear impact: a net flow of `depth` USD moves the price by 1%. Flow is USD with 8 decimals.
                var move = flow * WadRayMath.Wad / (usdPerPercent * 100 * 100_000_000);
                impact = impact * (WadRayMath.Wad + move) / WadRayMath.Wad;
            }

            _state.ImpactWad[a] = BigInteger.Max(impact, WadRayMath.Wad / 1_000_000);
        }
    }

    private BlockRecord Record(int block, long timestamp, LiquidationBot.BlockActivity activity, int trades, int updates)
    {
        var pool = new BigInteger[_state.Tokens.Count];
        var oracle = new BigInteger[_state.Tokens.Count];
        for (var a = 0; a < pool.Length; a++)
        {
            pool[a] = _reference[a] is { } p ? _state.PoolPriceUsd(_state.Pools[p], a) : BigInteger.Zero;
            oracle[a] = _state.Feeds[a]?.Answer ?? BigInteger.Zero;
        }

        var (below, badDebt) = ResultBuilder.Insolvency(_state);
        return new BlockRecord(
            block, timestamp, (BigInteger[])_state.External.Clone(), pool, oracle,
            activity.Events, activity.Accounts, activity.DebtRepaidUsd, activity.CollateralSeizedUsd,
            activity.ProfitUsd, activity.GasUsd, activity.GasUsed, trades, updates, below, badDebt, activity.GasBound)
        {
            LiquidationCapBound = activity.CapBound,
            LiquidationsPaused = activity.Paused,
        };
    }

    /// <summary>The blocks each mitigation acted in, and the same run with every mitigation off.</summary>
    private MitigationReport MitigationReport(SimulationResult result, CancellationToken cancellation)
    {
        MitigationEffect? effect = null;
        if (_options.CompareWithoutMitigations)
        {
            var without = new CascadeEngine(_state.Snapshot, _scenario with { Mitigations = Mitigations.None }, _seed, _options with { ActionLog = null }).Run(cancellation: cancellation);
            effect = new MitigationEffect(
                result.Totals.BadDebtUsd, without.Totals.BadDebtUsd,
                result.Totals.DebtRepaidUsd, without.Totals.DebtRepaidUsd,
                result.Totals.LiquidationEvents, without.Totals.LiquidationEvents,
                result.Status.BlocksSimulated, without.Status.BlocksSimulated);
        }

        return new MitigationReport(
            result.Blocks.Where(b => b.LiquidationCapBound).Select(b => b.Block).ToList(),
            result.Blocks.Where(b => b.LiquidationsPaused).Select(b => b.Block).ToList(),
            effect)
        {
            ReserveChanges = _steward?.Log,
        };
    }

    private static readonly string[] Numeraires = ["USDC", "USDT", "DAI", "WETH"];

    /// <summary>
    /// The pool whose price is shown per asset: the deepest pool (start TVL at external prices)
    /// pairing it with the first available of USDC, USDT, DAI, WETH, so the reading is a dollar price.
    /// </summary>
    internal static int?[] ReferencePools(MarketState state)
    {
        var reference = new int?[state.Tokens.Count];
        for (var a = 0; a < state.Tokens.Count; a++)
        {
            var symbol = state.Tokens[a].Symbol;
            foreach (var numeraire in Numeraires.Where(n => n != symbol))
            {
                var best = BigInteger.MinusOne;
                for (var p = 0; p < state.Pools.Count; p++)
                {
                    var pool = state.Pools[p];
                    var pair = (pool.Token0.Symbol, pool.Token1.Symbol);
                    if (pair != (symbol, numeraire) && pair != (numeraire, symbol))
                    {
                        continue;
                    }

                    var tvl = state.ExternalValue(state.AssetIndex(pool.Token0), pool.Balance0) + state.ExternalValue(state.AssetIndex(pool.Token1), pool.Balance1);
                    if (tvl > best)
                    {
                        (reference[a], best) = (p, tvl);
                    }
                }

                if (reference[a] is not null)
                {
                    break;
                }
            }
        }

        return reference;
    }

    private BigInteger GasUsd(long gas) =>
        gas * _scenario.Market.GasPriceGwei * 1_000_000_000L * _state.External[_gasAsset] / WadRayMath.Wad;
}
