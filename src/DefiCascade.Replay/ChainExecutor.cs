using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Simulation.Engine;

namespace DefiCascade.Replay;

/// <summary>
/// What the chain did with one engine action, read back from its own receipt: for a liquidation the Pool's LiquidationCall
/// event (debt repaid, collateral to the liquidator) and the collateral aToken's Transfer from the user to the treasury
/// (the protocol fee); for a swap the pool's Swap event. An oracle action is no transaction: <see cref="TxHash"/> is null.
/// </summary>
public sealed record ChainActionOutcome(
    int Block,
    int Index,
    EngineAction Action,
    string? TxHash,
    bool Succeeded,
    string? Failure,
    BigInteger DebtRepaid,
    BigInteger CollateralToLiquidator,
    BigInteger ProtocolFee,
    BigInteger AmountIn,
    BigInteger AmountOut,
    Address? EventPool);

/// <summary>One replayed block: the chain's block number and timestamp, each action's outcome, the pools' slot0 prices after it.</summary>
public sealed record ChainBlock(int Block, ulong ChainBlockNumber, long Timestamp, IReadOnlyList<ChainActionOutcome> Outcomes, IReadOnlyList<BigInteger> PoolSqrtPricesX96, BigInteger GasUsed);

/// <summary>
/// Acts out the engine's blocks as real transactions from the bot: per block the oracle answers are set through the
/// <see cref="IOracleDriver"/>, then every swap and liquidationCall is sent (one JSON-RPC batch of eth_sendTransaction with
/// explicit nonces, so the block keeps the engine's order), and the block is mined at the engine's timestamp with
/// automine off. Nothing is asserted here: every outcome is measured from the receipts for the comparison.
/// </summary>
public sealed class ChainExecutor(JsonRpcClient rpc, ReplayTargets targets, IOracleDriver oracle)
{
    public const ulong LiquidationGas = 3_000_000;
    public const ulong SwapGas = 12_000_000;
    private const int BatchSize = 200;
    private static readonly string MaxFee = ChainCalls.Quantity(BigInteger.Pow(10, 12));

    public TimeSpan Elapsed { get; private set; }

    public int Transactions { get; private set; }

    public async Task<IReadOnlyList<ChainBlock>> RunAsync(IReadOnlyList<RecordedBlock> blocks, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var clock = Stopwatch.StartNew();
        var nonce = Hex.DecodeQuantity((await Cheat("eth_getTransactionCount", ct, targets.Bot.Hex, "pending").ConfigureAwait(false)).GetString()!);
        var result = new List<ChainBlock>(blocks.Count);
        await Cheat("evm_setAutomine", ct, false).ConfigureAwait(false);
        try
        {
            foreach (var block in blocks)
            {
                var (chainBlock, next) = await RunBlockAsync(block, nonce, ct).ConfigureAwait(false);
                nonce = next;
                result.Add(chainBlock);
            }
        }
        finally
        {
            await Cheat("evm_setAutomine", CancellationToken.None, true).ConfigureAwait(false);
        }

        Elapsed = clock.Elapsed;
        return result;
    }

    private async Task<(ChainBlock Block, BigInteger Nonce)> RunBlockAsync(RecordedBlock block, BigInteger nonce, CancellationToken ct)
    {
        var sends = new List<(int Index, RpcRequest Request)>();
        for (var i = 0; i < block.Actions.Count; i++)
        {
            switch (block.Actions[i])
            {
                case OracleAction o:
                    await oracle.SetAnswerAsync(targets.Tokens[o.Asset], FeedAnswer(o), ct).ConfigureAwait(false);
                    break;
                case LiquidationAction l:
                    sends.Add((i, Send(targets.AavePool, ChainCalls.Encode(
                        "liquidationCall(address,address,address,uint256,bool)", targets.Tokens[l.CollateralAsset], targets.Tokens[l.DebtAsset], l.User, l.DebtToCover, l.ReceiveAToken),
                        LiquidationGas, nonce++)));
                    break;
                case SwapAction s:
                    var pool = targets.Pools[s.Pool];
                    var (tokenIn, tokenOut) = s.ZeroForOne ? (pool.Token0, pool.Token1) : (pool.Token1, pool.Token0);
                    sends.Add((i, Send(targets.V3Router, ChainCalls.ExactInputSingle(
                        targets.Tokens[tokenIn], targets.Tokens[tokenOut], pool.Fee, targets.Bot, s.AmountSpecified, s.SqrtPriceLimitX96 ?? BigInteger.Zero),
                        SwapGas, nonce++)));
                    break;
                default:
                    throw new NotSupportedException($"engine action {block.Actions[i].GetType().Name} has no chain form");
            }
        }

        var hashes = new Dictionary<int, string>();
        for (var start = 0; start < sends.Count; start += BatchSize)
        {
            var chunk = sends.Skip(start).Take(BatchSize).ToArray();
            var outcomes = await rpc.CallBatchOutcomesAsync(chunk.Select(c => c.Request).ToArray(), ct).ConfigureAwait(false);
            for (var k = 0; k < chunk.Length; k++)
            {
                hashes[chunk[k].Index] = outcomes[k].Error is { } error
                    ? throw new ReplayChainException($"block {block.Block}: eth_sendTransaction of action {chunk[k].Index} ({Describe(block.Actions[chunk[k].Index])}) was refused: {error.NodeMessage}", error)
                    : outcomes[k].Result.GetString()!;
            }
        }

        Transactions += sends.Count;
        await Cheat("evm_setNextBlockTimestamp", ct, ChainCalls.Quantity(new BigInteger(block.Timestamp))).ConfigureAwait(false);
        await Cheat("evm_mine", ct).ConfigureAwait(false);
        var status = await Cheat("txpool_status", ct).ConfigureAwait(false);
        var waiting = Hex.DecodeQuantity(status.GetProperty("pending").GetString()!) + Hex.DecodeQuantity(status.GetProperty("queued").GetString()!);
        if (!waiting.IsZero)
        {
            throw new ReplayChainException($"block {block.Block}: {waiting} transactions did not fit in the mined block (raise the node's block gas limit)");
        }

        var number = (ulong)Hex.DecodeQuantity((await Cheat("eth_blockNumber", ct).ConfigureAwait(false)).GetString()!);
        var receipts = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in (await Cheat("eth_getBlockReceipts", ct, ChainCalls.Quantity(number)).ConfigureAwait(false)).EnumerateArray())
        {
            receipts[r.GetProperty("transactionHash").GetString()!] = r.Clone();
        }

        var gasUsed = BigInteger.Zero;
        var results = new List<ChainActionOutcome>(block.Actions.Count);
        for (var i = 0; i < block.Actions.Count; i++)
        {
            var action = block.Actions[i];
            if (!hashes.TryGetValue(i, out var hash))
            {
                results.Add(new ChainActionOutcome(block.Block, i, action, null, true, null, 0, 0, 0, 0, 0, null));
                continue;
            }

            if (!receipts.TryGetValue(hash, out var receipt))
            {
                results.Add(new ChainActionOutcome(block.Block, i, action, hash, false, $"not in block {number}", 0, 0, 0, 0, 0, null));
                continue;
            }

            gasUsed += Hex.DecodeQuantity(receipt.GetProperty("gasUsed").GetString()!);
            results.Add(Measure(block.Block, i, action, hash, receipt));
        }

        var prices = await PoolPricesAsync(number, ct).ConfigureAwait(false);
        return (new ChainBlock(block.Block, number, block.Timestamp, results, prices, gasUsed), nonce);
    }

    private ChainActionOutcome Measure(int block, int index, EngineAction action, string hash, JsonElement receipt)
    {
        var ok = Hex.DecodeQuantity(receipt.GetProperty("status").GetString()!) == BigInteger.One;
        if (!ok)
        {
            return new ChainActionOutcome(block, index, action, hash, false, $"reverted ({Hex.DecodeQuantity(receipt.GetProperty("gasUsed").GetString()!)} gas used)", 0, 0, 0, 0, 0, null);
        }

        var logs = receipt.GetProperty("logs").EnumerateArray().Select(ParseLog).ToArray();
        switch (action)
        {
            case LiquidationAction l:
            {
                var call = logs.FirstOrDefault(g => g.Address == targets.AavePool && ChainCalls.Is(g, ChainCalls.LiquidationCallTopic));
                if (call is null)
                {
                    return new ChainActionOutcome(block, index, action, hash, false, "no LiquidationCall event", 0, 0, 0, 0, 0, null);
                }

                var aToken = targets.ATokens[l.CollateralAsset];
                var treasury = targets.Treasuries[l.CollateralAsset];
                var fee = logs.Where(g => g.Address == aToken && ChainCalls.Is(g, ChainCalls.TransferTopic) && g.Topics.Count == 3
                        && ChainCalls.TopicAddress(g.Topics[1]) == l.User && ChainCalls.TopicAddress(g.Topics[2]) == treasury)
                    .Aggregate(BigInteger.Zero, (sum, g) => sum + ChainCalls.Word(g.Data, 0));
                return new ChainActionOutcome(block, index, action, hash, true, null, ChainCalls.Word(call.Data, 0), ChainCalls.Word(call.Data, 1), fee, 0, 0, null);
            }

            case SwapAction s:
            {
                var swap = logs.FirstOrDefault(g => ChainCalls.Is(g, ChainCalls.SwapTopic));
                if (swap is null)
                {
                    return new ChainActionOutcome(block, index, action, hash, false, "no Swap event", 0, 0, 0, 0, 0, null);
                }

                var (amount0, amount1) = (ChainCalls.Word(swap.Data, 0, signed: true), ChainCalls.Word(swap.Data, 1, signed: true));
                var (amountIn, amountOut) = s.ZeroForOne ? (amount0, -amount1) : (amount1, -amount0);
                return new ChainActionOutcome(block, index, action, hash, true, null, 0, 0, 0, amountIn, amountOut, swap.Address);
            }

            default:
                return new ChainActionOutcome(block, index, action, hash, true, null, 0, 0, 0, 0, 0, null);
        }
    }

    private async Task<IReadOnlyList<BigInteger>> PoolPricesAsync(ulong block, CancellationToken ct)
    {
        if (targets.Pools.Count == 0)
        {
            return [];
        }

        var slot0 = Hex.Encode(ChainCalls.Encode("slot0()"));
        var requests = targets.Pools.Select(p => new RpcRequest("eth_call", new Dictionary<string, string> { ["to"] = p.Address.Hex, ["data"] = slot0 }, ChainCalls.Quantity(block))).ToArray();
        var answers = await rpc.CallBatchAsync(requests, ct).ConfigureAwait(false);
        return answers.Select(a => ChainCalls.Word(Hex.Decode(a.GetString()!), 0)).ToArray();
    }

    private BigInteger FeedAnswer(OracleAction o)
    {
        // the engine keeps answers with 8 decimals; the source answers with its own.
        var decimals = targets.FeedDecimals[o.Asset];
        return decimals >= 8 ? o.Answer * UInt256.Pow10(decimals - 8) : o.Answer / UInt256.Pow10(8 - decimals);
    }

    private RpcRequest Send(Address to, byte[] data, ulong gas, BigInteger nonce) =>
        new("eth_sendTransaction", new Dictionary<string, string>
        {
            ["from"] = targets.Bot.Hex,
            ["to"] = to.Hex,
            ["data"] = Hex.Encode(data),
            ["gas"] = ChainCalls.Quantity(gas),
            ["nonce"] = ChainCalls.Quantity(nonce),
            ["maxFeePerGas"] = MaxFee,
            ["maxPriorityFeePerGas"] = "0x0",
        });

    private async Task<JsonElement> Cheat(string method, CancellationToken ct, params object?[] args)
    {
        try
        {
            return await rpc.CallAsync(method, ct, args).ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            throw new ReplayChainException($"{method} failed: {e.NodeMessage}", e);
        }
    }

    private static LogEntry ParseLog(JsonElement log) => new(
        Address.Parse(log.GetProperty("address").GetString()!),
        log.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray(),
        Hex.Decode(log.GetProperty("data").GetString()!));

    internal static string Describe(EngineAction action) => action switch
    {
        LiquidationAction l => $"liquidationCall of {l.User.Hex}, collateral {l.CollateralAsset}, debt {l.DebtAsset}, debtToCover {ChainCalls.Text(l.DebtToCover)}",
        SwapAction s => $"{s.Purpose.ToString().ToLowerInvariant()} swap in pool {s.Pool} ({s.PoolAddress.Hex}), {(s.ZeroForOne ? "token0 in" : "token1 in")}, {ChainCalls.Text(s.AmountSpecified)} specified",
        OracleAction o => $"oracle answer {ChainCalls.Text(o.Answer)} for {o.Asset}",
        _ => action.GetType().Name,
    };
}
