using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// Opens a planned crowd on an attached <see cref="AaveWorld"/> in two bulk phases: the funder mints, approves and
/// supplies every collateral on behalf of its user (Pool.supply's onBehalfOf), then every borrower sets its e-mode and
/// borrows from its own impersonated address (borrow and setUserEMode act on msg.sender).
/// While the crowd opens, each reserve's LTV (and the e-mode category's) is raised to its liquidation threshold, so a
/// borrow can reach any health factor above 1; the world's LTVs are restored afterwards. The LTV only gates new borrows,
/// so the accounts' health factors are the same under either setting.
/// </summary>
internal sealed class CrowdBuilder(AnvilNode node, AaveWorld aave)
{
    /// <summary>Mints and supplies for everyone; an impersonated address no other world uses.</summary>
    public static readonly Address Funder = Address.FromNumber(0xC40DF000, 1);

    private const int BatchSize = 1_000;
    private const int BlockSize = 100;

    /// <summary>
    /// Anvil dumps every transaction's call trace with the state (~120 MB at 2,000 users). Up to
    /// <see cref="KeepHistoryUpTo"/> users the history stays, so Supply/Borrow logs can be scanned to discover the users;
    /// bigger crowds keep only the last 4 blocks (balances complete, users given as a list).
    /// </summary>
    public const int KeepHistoryUpTo = 5_000;

    public static IReadOnlyList<string> NodeArgs(AaveCrowdSpec spec) =>
        spec.Users <= KeepHistoryUpTo ? ChainWorld.NodeArgs : [.. ChainWorld.NodeArgs, "--transaction-block-keeper", "4"];

    // far above anvil's base fee however the bulk blocks move it, so no transaction is left waiting in the pool.
    private static readonly string MaxFee = Hex.EncodeQuantity(BigInteger.Pow(10, 11));
    private static readonly BigInteger UserGasMoney = BigInteger.Pow(10, 21);

    private JsonRpcClient Rpc => node.Eth.Rpc;

    public int Transactions { get; private set; }

    public int Blocks { get; private set; }

    public BigInteger GasUsed { get; private set; }

    public List<AaveCrowdPhase> Phases { get; } = [];

    public async Task BuildAsync(IReadOnlyList<AaveCrowdUser> users)
    {
        for (var i = 0; i < aave.Assets.Count; i++)
        {
            await aave.SetPriceAsync(i, AaveCrowd.Prices[i]).ConfigureAwait(false);
        }

        await ConfigureLtvAsync(openAtThreshold: true).ConfigureAwait(false);
        await Rpc.CallAsync("anvil_autoImpersonateAccount", true).ConfigureAwait(false);
        var borrowers = users.Where(u => u.IsBorrower).ToArray();
        await SendChunkedAsync(
            [
                new RpcRequest("anvil_setBalance", Funder.Hex, Hex.EncodeQuantity(UserGasMoney * 1_000_000)),
                .. users.Select(u => new RpcRequest("anvil_setBalance", u.Address.Hex, Hex.EncodeQuantity(UserGasMoney))),
            ]).ConfigureAwait(false);

        await Rpc.CallAsync("evm_setAutomine", false).ConfigureAwait(false);
        try
        {
            await RunPhaseAsync("fund and supply", FunderSteps(users)).ConfigureAwait(false);
            await RunPhaseAsync("e-mode and borrow", BorrowerSteps(borrowers)).ConfigureAwait(false);
        }
        finally
        {
            await Rpc.CallAsync("evm_setAutomine", true).ConfigureAwait(false);
        }

        await ConfigureLtvAsync(openAtThreshold: false).ConfigureAwait(false);
    }

    private sealed record Step(string Name, AaveCrowdUser? User, Address From, Contract To, string Function, byte[] Data);

    private List<Step> FunderSteps(IReadOnlyList<AaveCrowdUser> users)
    {
        var steps = new List<Step>();
        for (var a = 0; a < aave.Assets.Count; a++)
        {
            var total = users.SelectMany(u => u.Collateral).Where(c => c.Asset == a).Aggregate(BigInteger.Zero, (s, c) => s + c.Amount);
            steps.Add(Make($"mint {aave.Assets[a].Symbol}", null, Funder, aave.Assets[a].Token, "mint(uint256)", total));
            steps.Add(Make($"approve {aave.Assets[a].Symbol}", null, Funder, aave.Assets[a].Token, "approve", aave.Pool.Address, UInt256.Max));
        }

        foreach (var u in users)
        {
            foreach (var c in u.Collateral)
            {
                steps.Add(Make($"supply {c.Amount} {aave.Assets[c.Asset].Symbol}", u, Funder, aave.Pool, "supply", aave.Assets[c.Asset].Token.Address, c.Amount, u.Address, 0));
            }
        }

        return steps;
    }

    private List<Step> BorrowerSteps(IReadOnlyList<AaveCrowdUser> borrowers)
    {
        var steps = new List<Step>();
        foreach (var u in borrowers)
        {
            if (u.EMode != 0)
            {
                steps.Add(Make($"setUserEMode({u.EMode})", u, u.Address, aave.Pool, "setUserEMode", u.EMode));
            }

            foreach (var d in u.Debt)
            {
                // interestRateMode 2: variable.
                steps.Add(Make($"borrow {d.Amount} {aave.Assets[d.Asset].Symbol}", u, u.Address, aave.Pool, "borrow", aave.Assets[d.Asset].Token.Address, d.Amount, 2, 0, u.Address));
            }
        }

        return steps;
    }

    private static Step Make(string name, AaveCrowdUser? user, Address from, Contract to, string function, params object[] args) =>
        new(name, user, from, to, function, to.Abi.Function(function).EncodeCall(args));

    /// <summary>
    /// Sends every step with an explicit nonce (anvil answers a batch's requests concurrently, so its own nonce
    /// bookkeeping could hand one nonce out twice) in blocks of <see cref="BlockSize"/>, each block's receipts checked
    /// as soon as it is mined.
    /// </summary>
    private async Task RunPhaseAsync(string phase, IReadOnlyList<Step> steps)
    {
        var senders = steps.Select(s => s.From).Distinct().ToArray();
        var counts = await SendChunkedAsync(senders.Select(s => new RpcRequest("eth_getTransactionCount", s.Hex, "pending")).ToArray()).ConfigureAwait(false);
        var nonces = senders.Select((s, i) => (s, n: (ulong)Hex.DecodeQuantity(counts[i].GetString()!))).ToDictionary(p => p.s, p => p.n);
        var sends = steps.Select(s =>
        {
            var tx = new Dictionary<string, string>
            {
                ["from"] = s.From.Hex,
                ["to"] = s.To.Address.Hex,
                ["data"] = Hex.Encode(s.Data),
                ["gas"] = Hex.EncodeQuantity(AaveWorld.Gas),
                ["nonce"] = Hex.EncodeQuantity(nonces[s.From]++),
                ["maxFeePerGas"] = MaxFee,
                ["maxPriorityFeePerGas"] = "0x0",
            };
            return new RpcRequest("eth_sendTransaction", tx);
        }).ToArray();

        // mid-sized blocks: anvil builds a block's receipts in time quadratic in its transaction count (3,000 in one block
        // took 30 s to fetch) while each block costs ~50 ms to mine. For 10,000 users, blocks of 50 took 46 s in all,
        // 100 took 31 s, 200 took 28 s with receipts already growing faster than mining shrank.
        TimeSpan send = default, mine = default, check = default;
        var blocks = 0;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < sends.Length; start += BlockSize)
        {
            var count = Math.Min(BlockSize, sends.Length - start);
            var before = await node.Eth.GetBlockNumberAsync().ConfigureAwait(false);
            var outcomes = await Rpc.CallBatchOutcomesAsync(sends[start..(start + count)]).ConfigureAwait(false);
            var hashes = new string[count];
            for (var i = 0; i < count; i++)
            {
                hashes[i] = outcomes[i].Error is { } error
                    ? throw Failure(steps[start + i], $"eth_sendTransaction refused: {error.NodeMessage}")
                    : outcomes[i].Result.GetString()!;
            }

            send += clock.Elapsed;
            clock.Restart();
            await MineUntilPoolIsEmptyAsync(count).ConfigureAwait(false);
            var after = await node.Eth.GetBlockNumberAsync().ConfigureAwait(false);
            mine += clock.Elapsed;
            clock.Restart();
            blocks += await CheckReceiptsAsync(steps.Skip(start).Take(count).ToArray(), hashes, before + 1, after).ConfigureAwait(false);
            check += clock.Elapsed;
            clock.Restart();
        }

        Transactions += steps.Count;
        Blocks += blocks;
        Phases.Add(new AaveCrowdPhase(phase, steps.Count, blocks, send, mine, check));
    }

    private async Task MineUntilPoolIsEmptyAsync(int sent)
    {
        // a bound on the loop keeps a stuck pool loud.
        for (var round = 0; round <= sent; round++)
        {
            var status = await Rpc.CallAsync("txpool_status").ConfigureAwait(false);
            var waiting = Hex.DecodeQuantity(status.GetProperty("pending").GetString()!) + Hex.DecodeQuantity(status.GetProperty("queued").GetString()!);
            if (waiting.IsZero)
            {
                return;
            }

            await Rpc.CallAsync("evm_mine").ConfigureAwait(false);
        }

        throw new InvalidOperationException($"crowd build: transactions still in anvil's pool after mining {sent + 1} blocks");
    }

    /// <summary>Receipts by block (eth_getBlockReceipts): one request per block instead of one per transaction.</summary>
    private async Task<int> CheckReceiptsAsync(IReadOnlyList<Step> steps, string[] hashes, ulong first, ulong last)
    {
        var byHash = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        var requests = new List<RpcRequest>();
        for (var b = first; b <= last; b++)
        {
            requests.Add(new RpcRequest("eth_getBlockReceipts", Hex.EncodeQuantity(b)));
        }

        foreach (var block in await SendChunkedAsync(requests).ConfigureAwait(false))
        {
            foreach (var r in block.EnumerateArray())
            {
                byHash[r.GetProperty("transactionHash").GetString()!] = r;
            }
        }

        var receipts = hashes.Select(h => byHash.TryGetValue(h, out var r) ? r : default).ToArray();
        var blocks = new HashSet<BigInteger>();
        for (var i = 0; i < receipts.Length; i++)
        {
            var r = receipts[i];
            if (r.ValueKind != JsonValueKind.Object)
            {
                throw Failure(steps[i], $"transaction {hashes[i]} was never mined");
            }

            var block = Hex.DecodeQuantity(r.GetProperty("blockNumber").GetString()!);
            var gas = Hex.DecodeQuantity(r.GetProperty("gasUsed").GetString()!);
            if (Hex.DecodeQuantity(r.GetProperty("status").GetString()!) != BigInteger.One)
            {
                throw Failure(steps[i], $"transaction {hashes[i]} failed in block {block} ({gas} gas used): {await ReplayAsync(steps[i], block).ConfigureAwait(false)}");
            }

            blocks.Add(block);
            GasUsed += gas;
        }

        return blocks.Count;
    }

    /// <summary>The revert reason, replayed on the state before the block (the block's earlier transactions are not in it).</summary>
    private async Task<string> ReplayAsync(Step step, BigInteger block)
    {
        try
        {
            await node.Eth.CallAsync(step.To.Address, step.Data, BlockParameter.At((ulong)(block - 1)), new CallContext(step.To.Name, step.Function, step.To.Abi), step.From).ConfigureAwait(false);
            return "the replay before its block succeeds";
        }
        catch (ContractRevertException e)
        {
            return e.Message;
        }
    }

    private static InvalidOperationException Failure(Step step, string what) =>
        new(step.User is { } u
            ? $"crowd build: user #{u.Index} {u.Address} ({(u.EMode != 0 ? "e-mode " + u.EMode : "no e-mode")}), step '{step.Name}': {what}"
            : $"crowd build: funder {step.From}, step '{step.Name}': {what}");

    private async Task<JsonElement[]> SendChunkedAsync(IReadOnlyList<RpcRequest> requests)
    {
        var results = new List<JsonElement>(requests.Count);
        for (var start = 0; start < requests.Count; start += BatchSize)
        {
            var chunk = requests.Skip(start).Take(BatchSize).ToArray();
            results.AddRange(await Rpc.CallBatchAsync(chunk).ConfigureAwait(false));
        }

        return [.. results];
    }

    /// <summary>configureReserveAsCollateral / setEModeCategory with LTV at the threshold (opening) or at the world's LTV.</summary>
    private async Task ConfigureLtvAsync(bool openAtThreshold)
    {
        var admin = aave.Admin;
        var source = aave.Assets[Array.FindIndex(AaveWorld.Config, c => c.Symbol == AaveWorld.EMode.PriceSource)].Token.Address;
        for (var i = 0; i < aave.Assets.Count; i++)
        {
            var c = AaveWorld.Config[i];
            await aave.Configurator.SendAsync(admin, "configureReserveAsCollateral", aave.Assets[i].Token.Address, openAtThreshold ? c.Lt : c.Ltv, c.Lt, c.Bonus).ConfigureAwait(false);
        }

        // either way the category's LTV stays above its members' (9,300 or 9,000 against USDC's 8,000 at most), as
        // PoolConfigurator.setEModeCategory requires.
        var e = AaveWorld.EMode;
        await aave.Configurator.SendAsync(admin, "setEModeCategory", AaveWorld.EModeId, openAtThreshold ? e.Lt : e.Ltv, e.Lt, e.Bonus, source, e.Label).ConfigureAwait(false);
        Transactions += AaveWorld.Config.Length + 1;
    }
}
