using System.Numerics;
using System.Text.Json;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Ethereum.Rpc;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>LogScanner on a real node: a few hundred ERC-20 events over many blocks, scanned in small refused-and-halved ranges.</summary>
public sealed class LogScannerOnAnvilTests(ITestOutputHelper output)
{
    private const ulong Gas = 200_000;
    private static readonly byte[] Transfer = AbiSignature.EventTopic("Transfer(address,address,uint256)");

    private static ContractArtifact Erc20 => ContractArtifact.Load(ChainPaths.Artifact("@aave/core-v3/artifacts/contracts/mocks/tokens/MintableERC20.sol/MintableERC20.json"));

    [Fact]
    public async Task Scanning_in_small_ranges_returns_exactly_the_filtered_transfers_in_chain_order()
    {
        await using var node = await AnvilNode.StartAsync();
        var eth = node.Eth;
        var accounts = await eth.GetAccountsAsync();
        var tokens = new List<Contract>();
        foreach (var name in (string[])["A", "B", "C"])
        {
            var token = await Contract.DeployAsync(eth, Erc20, accounts[0], name, name, (byte)18);
            await token.SendWithGasAsync(accounts[0], Gas, "mint(uint256)", BigInteger.Pow(10, 24));
            tokens.Add(token);
        }

        // 360 transactions over ~900 blocks: transfers of A, B (wanted) and C (other emitter), approvals (other event).
        var random = new Random(17);
        for (var i = 0; i < 360; i++)
        {
            var token = tokens[i % 3];
            if (i % 9 == 4)
            {
                await token.SendWithGasAsync(accounts[0], Gas, "approve", accounts[1 + (i % 8)], new BigInteger(i));
            }
            else
            {
                await token.SendWithGasAsync(accounts[0], Gas, "transfer", accounts[1 + (i % 8)], new BigInteger(1 + i));
            }

            if (random.Next(3) == 0)
            {
                await eth.MineAsync((ulong)random.Next(1, 6));
            }
        }

        var head = await eth.GetBlockNumberAsync();
        var wanted = new HashSet<Address> { tokens[0].Address, tokens[1].Address };
        var expected = await ReferenceLogsAsync(eth, head, wanted);

        using var http = new HttpRpcTransport(node.Url);
        var capped = new ResultCap(http, maxResults: 6);
        var scanner = new LogScanner(new JsonRpcClient(capped), new LogScannerOptions { InitialChunk = 16, MaxChunk = 64, GrowAfterSuccesses = 2 });
        var chunks = new List<LogChunk>();
        await scanner.ScanAsync(new LogFilter([tokens[0].Address, tokens[1].Address], [Transfer]), 0, head, (c, _) =>
        {
            chunks.Add(c);
            return Task.CompletedTask;
        });

        output.WriteLine($"{expected.Count} transfers in {head + 1} blocks: {chunks.Count} ranges, {scanner.Requests} eth_getLogs, {scanner.Refusals} refused");
        var scanned = chunks.SelectMany(c => c.Logs).ToList();
        Assert.Equal(expected, scanned.Select(Key));
        // the mints of A and B, A's 120 transfers and B's 80 (i % 9 == 4 implies i % 3 == 1: every approval is B's).
        Assert.Equal(2 + 120 + 80, expected.Count);
        Assert.True(scanner.Refusals > 0 && chunks.Count > 20, $"refusals {scanner.Refusals}, ranges {chunks.Count}");
        Assert.Equal(head, chunks[^1].ScannedThrough);
        Assert.All(scanned, l => Assert.Equal(Transfer, l.Topics[0]));
    }

    /// <summary>The wanted logs from every block's receipts (anvil mines one transaction per block here).</summary>
    private static async Task<List<string>> ReferenceLogsAsync(EthClient eth, ulong head, HashSet<Address> wanted)
    {
        var keys = new List<string>();
        for (ulong b = 0; b <= head; b++)
        {
            var block = await eth.Rpc.CallAsync("eth_getBlockByNumber", BlockParameter.At(b).ToRpc(), false);
            foreach (var tx in block.GetProperty("transactions").EnumerateArray())
            {
                var receipt = await eth.Rpc.CallAsync("eth_getTransactionReceipt", tx.GetString()!);
                foreach (var log in receipt.GetProperty("logs").EnumerateArray())
                {
                    var parsed = ChainLogParser.Parse(log, $"block {b}");
                    if (wanted.Contains(parsed.Address) && parsed.Topics[0].AsSpan().SequenceEqual(Transfer))
                    {
                        keys.Add(Key(parsed));
                    }
                }
            }
        }

        return keys;
    }

    private static string Key(ChainLog l) =>
        $"{l.BlockNumber}/{l.LogIndex}/{l.Address}/{string.Join(",", l.Topics.Select(t => Hex.Encode(t)))}/{Hex.Encode(l.Data)}/{l.TransactionHash}";

    /// <summary>Plays a hosted node's result cap in front of anvil: an eth_getLogs answer with more logs becomes -32005.</summary>
    private sealed class ResultCap(IRpcTransport inner, int maxResults) : IRpcTransport
    {
        public async Task<string> SendAsync(string requestJson, CancellationToken ct)
        {
            var response = await inner.SendAsync(requestJson, ct);
            using var request = JsonDocument.Parse(requestJson);
            if (request.RootElement.GetProperty("method").GetString() != "eth_getLogs")
            {
                return response;
            }

            using var answer = JsonDocument.Parse(response);
            var id = request.RootElement.GetProperty("id").GetRawText();
            return answer.RootElement.TryGetProperty("result", out var logs) && logs.GetArrayLength() > maxResults
                ? $$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":-32005,"message":"query returned more than {{{maxResults}}} results"}}"""
                : response;
        }
    }
}
