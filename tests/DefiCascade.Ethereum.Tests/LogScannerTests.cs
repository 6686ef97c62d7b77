using System.Globalization;
using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Ethereum.Tests.Fakes;

namespace DefiCascade.Ethereum.Tests;

public class LogScannerTests
{
    private static readonly Address TokenA = Address.FromNumber(0xaa, 1);
    private static readonly Address TokenB = Address.FromNumber(0xbb, 2);
    private static readonly Address Other = Address.FromNumber(0xcc, 3);
    private static readonly byte[] Transfer = Abi.AbiSignature.EventTopic("Transfer(address,address,uint256)");
    private static readonly byte[] Approval = Abi.AbiSignature.EventTopic("Approval(address,address,uint256)");
    private static readonly byte[] Sync = Abi.AbiSignature.EventTopic("Sync(uint112,uint112)");
    private static readonly LogFilter Filter = new([TokenA, TokenB], [Transfer, Approval]);

    [Fact]
    public async Task A_node_refusing_wide_ranges_still_yields_every_log_once_in_order()
    {
        var chain = FakeLogChain.Random(seed: 7, blocks: 3_000);
        var node = chain.Node(maxBlocks: 300);
        var scanner = new LogScanner(new JsonRpcClient(node), new LogScannerOptions { InitialChunk = 5_000, MaxChunk = 5_000 });

        var chunks = await ScanAll(scanner, 0, 2_999);

        AssertChunksTile(chunks, 0, 2_999);
        Assert.Equal(chain.Matching(Filter, 0, 2_999), Keys(chunks.SelectMany(c => c.Logs)));
        Assert.True(scanner.Refusals >= 4, $"refusals {scanner.Refusals}"); // 5000 -> 2500 -> 1250 -> 625 -> 312 -> 156
        Assert.All(chain.Ranges.Where(r => r.Accepted), r => Assert.True(r.To - r.From + 1 <= 300));
    }

    [Fact]
    public async Task A_node_refusing_many_results_yields_every_log_once_and_the_range_grows_back_in_sparse_blocks()
    {
        // blocks below 1,000 are dense (the random chain), the rest hold no matching log.
        var chain = FakeLogChain.Random(seed: 11, blocks: 1_000);
        var node = chain.Node(maxResults: 40);
        var scanner = new LogScanner(new JsonRpcClient(node), new LogScannerOptions { InitialChunk = 2_000, MaxChunk = 2_000, GrowAfterSuccesses = 2 });

        var chunks = await ScanAll(scanner, 0, 20_000);

        AssertChunksTile(chunks, 0, 20_000);
        Assert.Equal(chain.Matching(Filter, 0, 20_000), Keys(chunks.SelectMany(c => c.Logs)));
        Assert.All(chain.Ranges.Where(r => r.Accepted), r => Assert.True(r.Results <= 40));
        var last = chain.Ranges.Where(r => r.Accepted).TakeLast(3).ToArray();
        Assert.All(last[..2], r => Assert.Equal(2_000UL, r.To - r.From + 1)); // back at the max
        Assert.Equal(20_000UL, last[^1].To);
    }

    [Fact]
    public async Task The_filter_goes_out_as_address_list_and_one_topic_position_with_hex_block_numbers()
    {
        var chain = FakeLogChain.Random(seed: 3, blocks: 10);
        var node = chain.Node();
        await ScanAll(new LogScanner(new JsonRpcClient(node)), 5, 26);
        using var doc = JsonDocument.Parse(node.Requests.Single());
        var query = doc.RootElement.GetProperty("params")[0];
        Assert.Equal("0x5", query.GetProperty("fromBlock").GetString());
        Assert.Equal("0x1a", query.GetProperty("toBlock").GetString());
        Assert.Equal([TokenA.Hex, TokenB.Hex], query.GetProperty("address").EnumerateArray().Select(a => a.GetString()));
        var topics = query.GetProperty("topics");
        Assert.Equal(1, topics.GetArrayLength());
        Assert.Equal([Hex.Encode(Transfer), Hex.Encode(Approval)], topics[0].EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Resuming_from_a_checkpoint_gives_the_same_logs_as_one_scan()
    {
        var chain = FakeLogChain.Random(seed: 21, blocks: 2_000);
        var options = new LogScannerOptions { InitialChunk = 100, MaxChunk = 400 };
        var whole = await ScanAll(new LogScanner(new JsonRpcClient(chain.Node(maxBlocks: 250)), options), 0, 1_999);

        // the first run dies after its third chunk, having stored the checkpoint of the chunks it completed.
        var firstRun = new List<LogChunk>();
        var crashing = new LogScanner(new JsonRpcClient(chain.Node(maxBlocks: 250)), options);
        await Assert.ThrowsAsync<IOException>(() => crashing.ScanAsync(Filter, 0, 1_999, (c, _) =>
        {
            if (firstRun.Count == 3)
            {
                throw new IOException("disk full");
            }

            firstRun.Add(c);
            return Task.CompletedTask;
        }));
        var checkpoint = firstRun[^1].ScannedThrough;
        var secondRun = await ScanAll(new LogScanner(new JsonRpcClient(chain.Node(maxBlocks: 250)), options), checkpoint + 1, 1_999);

        Assert.Equal(Keys(whole.SelectMany(c => c.Logs)), Keys(firstRun.Concat(secondRun).SelectMany(c => c.Logs)));
        Assert.Equal(chain.Matching(Filter, 0, 1_999).Count, whole.Sum(c => c.Logs.Count));
    }

    [Fact]
    public async Task A_refused_single_block_is_a_clear_error_naming_the_block()
    {
        var chain = FakeLogChain.Random(seed: 5, blocks: 100);
        chain.AddBlockOfTransfers(block: 77, count: 30, TokenA);
        var scanner = new LogScanner(new JsonRpcClient(chain.Node(maxResults: 20)));
        var delivered = new List<LogChunk>();
        var e = await Assert.ThrowsAsync<LogScanException>(() => scanner.ScanAsync(Filter, 0, 99, (c, _) =>
        {
            delivered.Add(c);
            return Task.CompletedTask;
        }));
        Assert.StartsWith("eth_getLogs refused even the single block 77 (node error -32005: query returned more than 20 results)", e.Message, StringComparison.Ordinal);
        Assert.Equal(76UL, delivered[^1].ScannedThrough); // everything before the block was delivered and can be kept
    }

    [Fact]
    public async Task A_malformed_log_names_its_field()
    {
        var node = new FakeNode((_, _) => FakeAnswer.Result(
            """[{"address":"0x00000000000000000000000000000000000000aa","topics":[],"data":"0x","blockNumber":"0xzz","logIndex":"0x0","transactionHash":"0x""" + new string('1', 64) + "\"}]"));
        var e = await Assert.ThrowsAsync<LogScanException>(() => ScanAll(new LogScanner(new JsonRpcClient(node)), 0, 10));
        Assert.StartsWith("eth_getLogs [0, 10], log #0: field 'blockNumber' is not a hex quantity: '0xzz'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_that_are_not_range_refusals_pass_through_untouched()
    {
        var node = new FakeNode((_, _) => FakeAnswer.Error(-32005, "daily request count exceeded, request rate limited"));
        var e = await Assert.ThrowsAsync<JsonRpcException>(() => ScanAll(new LogScanner(new JsonRpcClient(node)), 0, 10));
        Assert.Equal(-32005, e.Code);
        Assert.Single(node.Requests); // a rate limit is not cured by a smaller range
    }

    [Theory]
    [InlineData(-32005, "query returned more than 10000 results", true)]
    [InlineData(-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range", true)]
    [InlineData(-32000, "block range too large", true)]
    [InlineData(-32600, "eth_getLogs range too large, max 1000 blocks", true)]
    [InlineData(-32602, "invalid argument 0: hex string without 0x prefix", false)]
    [InlineData(-32005, "Too Many Requests", false)]
    [InlineData(-32601, "query returned more than 10000 results", false)]
    public void Range_refusals_are_told_from_other_errors(long code, string message, bool refusal) =>
        Assert.Equal(refusal, RpcErrors.IsLogRangeRefusal(code, message));

    private static async Task<List<LogChunk>> ScanAll(LogScanner scanner, ulong from, ulong to)
    {
        var chunks = new List<LogChunk>();
        await scanner.ScanAsync(Filter, from, to, (c, _) =>
        {
            chunks.Add(c);
            return Task.CompletedTask;
        });
        return chunks;
    }

    private static void AssertChunksTile(List<LogChunk> chunks, ulong from, ulong to)
    {
        // each chunk starts right after the previous one's ScannedThrough (the first at from) and holds only its blocks.
        ulong? previous = null;
        foreach (var c in chunks)
        {
            var start = previous is { } p ? p + 1 : from;
            Assert.True(c.ScannedThrough >= start);
            Assert.All(c.Logs, l => Assert.InRange(l.BlockNumber, start, c.ScannedThrough));
            previous = c.ScannedThrough;
        }

        Assert.Equal(to, chunks[^1].ScannedThrough);
    }

    private static List<string> Keys(IEnumerable<ChainLog> logs) =>
        logs.Select(l => FakeLogChain.Key(l.BlockNumber, l.LogIndex, l.Address, l.Data)).ToList();

    /// <summary>A chain of logs in memory that answers eth_getLogs, with the limits hosted nodes impose.</summary>
    private sealed class FakeLogChain
    {
        private readonly List<(ulong Block, int Index, Address Address, byte[] Topic0, byte[] Data)> _logs = [];

        public List<(ulong From, ulong To, bool Accepted, int Results)> Ranges { get; } = [];

        public static FakeLogChain Random(int seed, ulong blocks)
        {
            var random = new Random(seed);
            var chain = new FakeLogChain();
            Address[] emitters = [TokenA, TokenB, Other];
            byte[][] events = [Transfer, Approval, Sync];
            for (ulong b = 0; b < blocks; b++)
            {
                var count = random.Next(0, 4);
                for (var i = 0; i < count; i++)
                {
                    var data = new byte[32];
                    random.NextBytes(data);
                    chain._logs.Add((b, i, emitters[random.Next(3)], events[random.Next(3)], data));
                }
            }

            return chain;
        }

        public static string Key(ulong block, int index, Address address, byte[] data) =>
            string.Create(CultureInfo.InvariantCulture, $"{block}:{index}:{address.Hex}:{Convert.ToHexStringLower(data)}");

        public void AddBlockOfTransfers(ulong block, int count, Address token)
        {
            _logs.RemoveAll(l => l.Block == block);
            for (var i = 0; i < count; i++)
            {
                _logs.Add((block, i, token, Transfer, new byte[32]));
            }
        }

        public List<string> Matching(LogFilter filter, ulong from, ulong to) =>
            _logs.Where(l => l.Block >= from && l.Block <= to && filter.Addresses.Contains(l.Address) && filter.Topic0.Any(t => t.AsSpan().SequenceEqual(l.Topic0)))
                .OrderBy(l => l.Block).ThenBy(l => l.Index)
                .Select(l => Key(l.Block, l.Index, l.Address, l.Data)).ToList();

        public FakeNode Node(ulong maxBlocks = ulong.MaxValue, int maxResults = int.MaxValue) => new((method, p) =>
        {
            Assert.Equal("eth_getLogs", method);
            var q = p[0];
            var from = (ulong)Hex.DecodeQuantity(q.GetProperty("fromBlock").GetString()!);
            var to = (ulong)Hex.DecodeQuantity(q.GetProperty("toBlock").GetString()!);
            if (to - from + 1 > maxBlocks)
            {
                Ranges.Add((from, to, false, 0));
                return FakeAnswer.Error(-32000, $"block range too large: {to - from + 1} > {maxBlocks}");
            }

            var addresses = q.GetProperty("address").EnumerateArray().Select(a => Address.Parse(a.GetString()!)).ToHashSet();
            var topics = q.GetProperty("topics")[0].EnumerateArray().Select(t => t.GetString()!).ToHashSet();
            var hits = _logs.Where(l => l.Block >= from && l.Block <= to && addresses.Contains(l.Address) && topics.Contains(Hex.Encode(l.Topic0))).ToList();
            if (hits.Count > maxResults)
            {
                Ranges.Add((from, to, false, hits.Count));
                return FakeAnswer.Error(-32005, $"query returned more than {maxResults} results");
            }

            Ranges.Add((from, to, true, hits.Count));
            hits.Reverse(); // nodes need not answer in order: the scanner sorts
            return FakeAnswer.Result(JsonSerializer.Serialize(hits.Select(l => new Dictionary<string, object>
            {
                ["address"] = l.Address.Hex,
                ["topics"] = new[] { Hex.Encode(l.Topic0), Hex.Encode(new byte[32]) },
                ["data"] = Hex.Encode(l.Data),
                ["blockNumber"] = Hex.EncodeQuantity(l.Block),
                ["logIndex"] = Hex.EncodeQuantity(l.Index),
                ["transactionHash"] = Hex.Encode(new byte[32]),
                ["removed"] = false,
            })));
        });
    }
}
