using System.Diagnostics;
using System.Numerics;
using DefiCascade.Adapters.Snapshots;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Replay;

/// <summary>A replay input that cannot be acted out (as opposed to a chain call that failed).</summary>
public sealed class ReplayInputException(string message) : Exception(message);

/// <summary>What to replay: the market selectors (the snapshot command's), the scenario and seed, who acts and through which router.</summary>
public sealed record ReplaySettings(SnapshotRequest Selectors, Scenario Scenario, string ScenarioText, string ScenarioSource, int Seed, Address V3Router, Address Bot);

/// <summary>Everything a replay measured.</summary>
public sealed record ReplayOutcome(
    MarketSnapshot Snapshot,
    SimulationResult ModelResult,
    IReadOnlyList<RecordedBlock> Model,
    IReadOnlyList<ChainBlock> Chain,
    ChainEndState End,
    ReplayComparison Comparison,
    TimeSpan SnapshotTime,
    TimeSpan ModelTime,
    TimeSpan ChainTime,
    int Transactions,
    IReadOnlyList<string> Disclosures)
{
    /// <summary>Model seconds per chain second for the same blocks.</summary>
    public double TimeRatio => ChainTime.TotalSeconds <= 0 ? 0 : ModelTime.TotalSeconds / ChainTime.TotalSeconds;
}

/// <summary>
/// The replay, after the dev-chain guard passed: prepares the bot (impersonated, given gas money, approvals), points the
/// oracle driver at the reserves, snapshots the starting block, runs the engine on it with an action log, funds the bot
/// (flash-loan style, through <see cref="IFunding"/>), acts the blocks out with <see cref="ChainExecutor"/>, reads the
/// end state back and compares.
/// </summary>
public sealed class ReplayRunner(EthClient eth, IOracleDriver oracle, IFunding funding)
{
    private static readonly BigInteger GasMoney = BigInteger.Pow(10, 24);
    private readonly List<string> _disclosures = [];

    private JsonRpcClient Rpc => eth.Rpc;

    public async Task<ReplayOutcome> RunAsync(ReplaySettings settings, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Scenario.Mitigations.Any)
        {
            throw new ReplayInputException("--scenario: mitigations (liquidation caps, circuit breakers, TWAP oracles, reserve changes) have no chain form in a replay; remove the mitigations section");
        }

        if (settings.Selectors.AaveProvider is not { } provider)
        {
            throw new ReplayInputException("--aave-provider is required: a replay liquidates on an Aave V3 market");
        }

        if (settings.Selectors.Morpho is not null)
        {
            throw new ReplayInputException("--morpho: Morpho Blue markets are not replayed in this build (the engine simulates only the Aave V3 books)");
        }

        progress?.Report("preparing the bot and the oracle");
        var aavePool = ChainCalls.TopicAddress((await ChainCalls.CallAsync(Rpc, provider, ChainCalls.Encode("getPool()"), "PoolAddressesProvider.getPool()", ct: ct).ConfigureAwait(false))[..32]);
        var reserves = DecodeAddressArray(await ChainCalls.CallAsync(Rpc, aavePool, ChainCalls.Encode("getReservesList()"), "Pool.getReservesList()", ct: ct).ConfigureAwait(false));
        var tokens = new List<Address>(reserves);
        foreach (var pool in settings.Selectors.Pools)
        {
            foreach (var side in (string[])["token0()", "token1()"])
            {
                var token = ChainCalls.TopicAddress((await ChainCalls.CallAsync(Rpc, pool, ChainCalls.Encode(side), $"{pool.Hex}.{side}", ct: ct).ConfigureAwait(false))[..32]);
                if (!tokens.Contains(token))
                {
                    tokens.Add(token);
                }
            }
        }

        await PrepareBotAsync(settings.Bot, tokens, [aavePool, settings.V3Router], ct).ConfigureAwait(false);
        await oracle.PrepareAsync(reserves, ct).ConfigureAwait(false);

        progress?.Report("reading the starting block");
        var clock = Stopwatch.StartNew();
        var start = await eth.GetBlockNumberAsync(ct).ConfigureAwait(false);
        var chainId = await eth.GetChainIdAsync(ct).ConfigureAwait(false);
        var request = settings.Selectors with { Block = start };
        var builder = new SnapshotBuilder(eth, new Multicall3Caller(Rpc, 400, 8), new LogScanner(Rpc));
        var snapshot = (await builder.BuildAsync(request, chainId, SnapshotCheckpoint.InMemory(request.Identity(chainId)), ct: ct).ConfigureAwait(false)).Snapshot;
        var snapshotTime = clock.Elapsed;
        CheckReplayable(snapshot);
        var scenario = ScenarioLoader.Parse(settings.ScenarioText, settings.ScenarioSource, snapshot);

        progress?.Report("running the model");
        var recorder = new ActionRecorder();
        clock.Restart();
        var engine = new CascadeEngine(snapshot, scenario, settings.Seed, new CascadeOptions(CompareWithoutMitigations: false) { ActionLog = recorder });
        var result = engine.Run(cancellation: ct);
        var modelTime = clock.Elapsed;

        var targets = await ResolveTargetsAsync(snapshot, aavePool, settings, ct).ConfigureAwait(false);
        await RaiseGasLimitAsync(recorder.Blocks, ct).ConfigureAwait(false);
        await FundAsync(snapshot, recorder.Blocks, settings.Bot, targets, scenario.BlockSeconds, ct).ConfigureAwait(false);

        progress?.Report($"replaying {recorder.Blocks.Count} blocks on the chain");
        var executor = new ChainExecutor(Rpc, targets, oracle);
        var chain = await executor.RunAsync(recorder.Blocks, ct).ConfigureAwait(false);

        progress?.Report("reading the end state");
        var end = await EndStateAsync(aavePool, snapshot, chain.Count > 0 ? chain[^1].ChainBlockNumber : start, ct).ConfigureAwait(false);
        var last = result.Blocks.Count > 0 ? result.Blocks[^1] : null;
        var book = engine.State.Books[0];
        var modelAccounts = Enumerable.Range(0, book.Accounts.Length).Select(book.AccountData).ToArray();
        var comparison = ReplayComparison.Build(snapshot, recorder.Blocks, chain, (last?.BadDebtUsd ?? BigInteger.Zero, last?.AccountsBelowHfOne ?? 0), end, modelAccounts);
        var disclosures = _disclosures.Concat(oracle.Disclosures).Concat(funding.Disclosures).ToList();
        disclosures.Add($"blocks: {chain.Count} blocks mined with automine off (evm_setAutomine), each at the engine's timestamp (evm_setNextBlockTimestamp, {scenario.BlockSeconds} s apart), transactions sent from the bot with explicit nonces in the engine's order");
        return new ReplayOutcome(snapshot, result, recorder.Blocks, chain, end, comparison, snapshotTime, modelTime, executor.Elapsed, executor.Transactions, disclosures);
    }

    private static void CheckReplayable(MarketSnapshot snapshot)
    {
        if (snapshot.AaveV3Markets.Count != 1)
        {
            throw new ReplayInputException($"the snapshot holds {snapshot.AaveV3Markets.Count} Aave V3 markets; a replay acts on exactly one");
        }

        if (snapshot.Pools.FirstOrDefault(p => p is not UniswapV3PoolSnapshot) is { } v2)
        {
            throw new ReplayInputException($"--pool {v2.Address.Hex} is a {v2.Kind} pool; this build replays swaps through Uniswap V3 pools only (the router's exactInputSingle)");
        }

        if (snapshot.Oracles.FirstOrDefault(o => o.Kind != "chainlink") is { } derived)
        {
            throw new ReplayInputException($"the oracle of {derived.Asset} is '{derived.Kind}'; a replay sets plain aggregator answers only");
        }
    }

    private async Task PrepareBotAsync(Address bot, IReadOnlyList<Address> tokens, IReadOnlyList<Address> spenders, CancellationToken ct)
    {
        await Cheat("anvil_impersonateAccount", ct, bot.Hex).ConfigureAwait(false);
        await Cheat("anvil_setBalance", ct, bot.Hex, Hex.EncodeQuantity(GasMoney)).ConfigureAwait(false);
        _disclosures.Add($"bot {bot.Hex}: impersonated (anvil_impersonateAccount) and given 1,000,000 ETH for gas (anvil_setBalance); it approves the Aave Pool and the swap router for every token");
        foreach (var token in tokens)
        {
            foreach (var spender in spenders)
            {
                try
                {
                    await eth.SendTransactionAsync(bot, token, ChainCalls.Encode("approve(address,uint256)", spender, UInt256.Max), gas: 120_000, context: new CallContext("ERC20", "approve(address,uint256)"), ct: ct).ConfigureAwait(false);
                }
                catch (ContractRevertException e)
                {
                    throw new ReplayChainException($"approve of {spender.Hex} on token {token.Hex} by the bot reverted: {e.Message}", e);
                }
            }
        }
    }

    private async Task<ReplayTargets> ResolveTargetsAsync(MarketSnapshot snapshot, Address aavePool, ReplaySettings settings, CancellationToken ct)
    {
        var market = snapshot.AaveV3Markets[0];
        var tokens = snapshot.Tokens.ToDictionary(t => t.Symbol, t => t.Address, StringComparer.Ordinal);
        var aTokens = new Dictionary<string, Address>(StringComparer.Ordinal);
        var treasuries = new Dictionary<string, Address>(StringComparer.Ordinal);
        foreach (var reserve in market.Reserves)
        {
            // getReserveData's tuple is static: word 8 is aTokenAddress.
            var data = await ChainCalls.CallAsync(Rpc, aavePool, ChainCalls.Encode("getReserveData(address)", tokens[reserve.Asset]), $"Pool.getReserveData({reserve.Asset})", ct: ct).ConfigureAwait(false);
            var aToken = ChainCalls.TopicAddress(data[(8 * 32)..(9 * 32)]);
            aTokens[reserve.Asset] = aToken;
            treasuries[reserve.Asset] = ChainCalls.TopicAddress((await ChainCalls.CallAsync(Rpc, aToken, ChainCalls.Encode("RESERVE_TREASURY_ADDRESS()"), $"a{reserve.Asset}.RESERVE_TREASURY_ADDRESS()", ct: ct).ConfigureAwait(false))[..32]);
        }

        var pools = snapshot.Pools.Cast<UniswapV3PoolSnapshot>().Select(p => new PoolTarget(p.Address, p.Token0, p.Token1, p.Fee)).ToArray();
        var decimals = snapshot.Oracles.ToDictionary(o => o.Asset, o => o.Decimals, StringComparer.Ordinal);
        return new ReplayTargets(aavePool, tokens, aTokens, treasuries, decimals, pools, settings.V3Router, settings.Bot);
    }

    /// <summary>A block of the engine's must fit one chain block: raise the node's gas limit when the sum of the gas limits sent does not fit.</summary>
    private async Task RaiseGasLimitAsync(IReadOnlyList<RecordedBlock> blocks, CancellationToken ct)
    {
        var needed = blocks.Select(b => b.Actions.Sum(a => a switch
        {
            LiquidationAction => (decimal)ChainExecutor.LiquidationGas,
            SwapAction => ChainExecutor.SwapGas,
            _ => 0m,
        })).DefaultIfEmpty(0m).Max();
        var latest = await Cheat("eth_getBlockByNumber", ct, "latest", false).ConfigureAwait(false);
        var limit = (decimal)Hex.DecodeQuantity(latest.GetProperty("gasLimit").GetString()!);
        if (needed > limit)
        {
            var raised = new BigInteger(needed * 1.1m);
            await Cheat("evm_setBlockGasLimit", ct, Hex.EncodeQuantity(raised)).ConfigureAwait(false);
            _disclosures.Add($"block gas limit raised from {limit} to {raised} (evm_setBlockGasLimit) so each engine block fits one chain block");
        }
    }

    /// <summary>
    /// Flash-loan style: before the first block the bot is given what the model says it pays in, per token (debt repaid,
    /// arbitrage inputs); each funding block is stamped 1 s after the previous so the replay's own blocks keep the engine's
    /// timestamps.
    /// </summary>
    private async Task FundAsync(MarketSnapshot snapshot, IReadOnlyList<RecordedBlock> blocks, Address bot, ReplayTargets targets, int blockSeconds, CancellationToken ct)
    {
        var need = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var action in blocks.SelectMany(b => b.Actions))
        {
            switch (action)
            {
                case LiquidationAction l:
                    need[l.DebtAsset] = need.GetValueOrDefault(l.DebtAsset) + l.DebtRepaid;
                    break;
                case SwapAction { Purpose: SwapPurpose.Arbitrage } s:
                    var pool = targets.Pools[s.Pool];
                    var tokenIn = s.ZeroForOne ? pool.Token0 : pool.Token1;
                    need[tokenIn] = need.GetValueOrDefault(tokenIn) + s.AmountIn;
                    break;
            }
        }

        if (need.Count >= blockSeconds)
        {
            throw new ReplayInputException($"--scenario: blockSeconds {blockSeconds} leaves no room for the {need.Count} funding blocks before the first replayed block");
        }

        var second = 1;
        foreach (var (symbol, amount) in need)
        {
            await Cheat("evm_setNextBlockTimestamp", ct, Hex.EncodeQuantity(new BigInteger(snapshot.BlockTimestamp + second++))).ConfigureAwait(false);
            await funding.FundAsync(targets.Tokens[symbol], bot, amount, ct).ConfigureAwait(false);
        }
    }

    private async Task<ChainEndState> EndStateAsync(Address aavePool, MarketSnapshot snapshot, ulong block, CancellationToken ct)
    {
        var users = snapshot.AaveV3Markets[0].Positions.Select(p => p.User).ToArray();
        var badDebt = BigInteger.Zero;
        var below = 0;
        var accounts = new List<UserAccountData>(users.Length);
        const int Chunk = 250;
        for (var startIndex = 0; startIndex < users.Length; startIndex += Chunk)
        {
            var chunk = users.Skip(startIndex).Take(Chunk).ToArray();
            var requests = chunk.Select(u => new RpcRequest(
                "eth_call",
                new Dictionary<string, string> { ["to"] = aavePool.Hex, ["data"] = Hex.Encode(ChainCalls.Encode("getUserAccountData(address)", u)) },
                Hex.EncodeQuantity(new BigInteger(block)))).ToArray();
            var answers = await Rpc.CallBatchAsync(requests, ct).ConfigureAwait(false);
            foreach (var answer in answers)
            {
                var data = Hex.Decode(answer.GetString()!);
                var (collateral, debt, hf) = (ChainCalls.Word(data, 0), ChainCalls.Word(data, 1), ChainCalls.Word(data, 5));
                accounts.Add(new UserAccountData(collateral, debt, ChainCalls.Word(data, 2), ChainCalls.Word(data, 3), ChainCalls.Word(data, 4), hf));
                badDebt += debt > collateral ? debt - collateral : BigInteger.Zero;
                below += debt.Sign > 0 && hf < WadRayMath.Wad ? 1 : 0;
            }
        }

        return new ChainEndState(block, users.Length, badDebt, below) { Accounts = accounts };
    }

    private static Address[] DecodeAddressArray(byte[] data)
    {
        var count = (int)ChainCalls.Word(data, 1);
        return Enumerable.Range(0, count).Select(i => ChainCalls.TopicAddress(data[((2 + i) * 32)..((3 + i) * 32)])).ToArray();
    }

    private async Task<System.Text.Json.JsonElement> Cheat(string method, CancellationToken ct, params object?[] args)
    {
        try
        {
            return await Rpc.CallAsync(method, ct, args).ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            throw new ReplayChainException($"{method} failed: {e.NodeMessage}", e);
        }
    }
}
