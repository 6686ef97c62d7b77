using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Ethereum.Rpc.Fixtures;
using DefiCascade.Ethereum.Tests.Fakes;

namespace DefiCascade.Ethereum.Tests;

public sealed class RecordReplayTests : IDisposable
{
    private static readonly Address Holder = Address.FromNumber(0x11, 5);
    private readonly string _folder = Directory.CreateTempSubdirectory("defi-cascade-fixture-").FullName;
    private int _blockNumber = 6;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_replay_gives_the_client_the_same_results_whatever_its_ids()
    {
        var path = Path.Combine(_folder, "session.jsonl");
        var node = new FakeNode(LiveAnswer);
        using (var recorder = new RecordingRpcTransport(node, path))
        {
            var eth = new EthClient(new JsonRpcClient(recorder));
            Assert.Equal(31337UL, await eth.GetChainIdAsync());
            Assert.Equal(7UL, await eth.GetBlockNumberAsync());
            Assert.Equal(8UL, await eth.GetBlockNumberAsync());
            Assert.Equal(1234567, await eth.GetBalanceAsync(Holder, BlockParameter.At(7)));
            var batch = await new RpcBatchCaller(eth.Rpc).CallAsync(Calls(), 7);
            Assert.Equal(["0x01", "0x0202", "revert"], batch.Select(Show));
            Assert.Equal(5, recorder.Recorded);
        }

        var text = File.ReadAllText(path);
        Assert.Equal(5, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("http", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jsonrpc\":\"2.0\",\"id\":1,\"method", text, StringComparison.Ordinal); // ids are positions, not the caller's

        // another order: the replaying client's ids differ from the recorded ones at every request.
        var replay = ReplayRpcTransport.FromFile(path);
        var again = new EthClient(new JsonRpcClient(replay));
        Assert.Equal(["0x01", "0x0202", "revert"], (await new RpcBatchCaller(again.Rpc).CallAsync(Calls(), 7)).Select(Show));
        Assert.Equal(1234567, await again.GetBalanceAsync(Holder, BlockParameter.At(7)));
        Assert.Equal(7UL, await again.GetBlockNumberAsync());
        Assert.Equal(8UL, await again.GetBlockNumberAsync());
        Assert.Equal(8UL, await again.GetBlockNumberAsync()); // asked more often than recorded: the last answer again
        Assert.Equal(31337UL, await again.GetChainIdAsync());
    }

    [Fact]
    public async Task A_request_missing_from_the_fixture_fails_naming_method_and_params()
    {
        var path = Path.Combine(_folder, "one.jsonl");
        using (var recorder = new RecordingRpcTransport(new FakeNode(LiveAnswer), path))
        {
            await new EthClient(new JsonRpcClient(recorder)).GetBalanceAsync(Holder, BlockParameter.At(7));
        }

        var eth = new EthClient(new JsonRpcClient(ReplayRpcTransport.FromFile(path)));
        var e = await Assert.ThrowsAsync<RpcTransportException>(() => eth.GetBalanceAsync(Holder, BlockParameter.At(8)));
        Assert.Equal($$"""the replay fixture has no answer for {"method":"eth_getBalance","params":["{{Holder.Hex}}","0x8"]}""", e.Message);
        Assert.Equal(RpcFailureKind.NotRecorded, e.Kind);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task The_fixture_is_replaced_whole_on_flush_and_no_temp_file_is_left()
    {
        var path = Path.Combine(_folder, "flush.jsonl");
        File.WriteAllText(path, "old content\n");
        var recorder = new RecordingRpcTransport(new FakeNode(LiveAnswer), path);
        await recorder.SendAsync("""{"jsonrpc":"2.0","id":9,"method":"eth_chainId","params":[]}""", CancellationToken.None);
        recorder.Flush();
        Assert.Equal("""{"request":{"method":"eth_chainId","params":[]},"response":{"jsonrpc":"2.0","id":0,"result":"0x7a69"}}""" + "\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_garbled_answer_replays_garbled()
    {
        var path = Path.Combine(_folder, "garbled.jsonl");
        using (var recorder = new RecordingRpcTransport(new FuncTransport(_ => "<html>502</html>"), path))
        {
            Assert.Equal("<html>502</html>", await recorder.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", CancellationToken.None));
        }

        var replay = ReplayRpcTransport.FromFile(path);
        Assert.Equal("<html>502</html>", await replay.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"eth_chainId","params":[]}""", CancellationToken.None));
    }

    private static EthCall[] Calls() =>
    [
        new(Address.FromNumber(0x22, 1), [1]),
        new(Address.FromNumber(0x22, 2), [2, 2]),
        new(Address.FromNumber(0x22, 3), [3]),
    ];

    private static string Show(EthCallResult r) => r.Success ? Hex.Encode(r.ReturnData) : "revert";

    /// <summary>A "live" node: the block number advances on every ask, so a replay that served the wrong answer would show.</summary>
    private FakeAnswer LiveAnswer(string method, JsonElement p) => method switch
    {
        "eth_chainId" => FakeAnswer.String("0x7a69"),
        "eth_blockNumber" => FakeAnswer.String(Hex.EncodeQuantity(++_blockNumber)),
        "eth_getBalance" => FakeAnswer.String(Hex.EncodeQuantity(1234567)),
        "eth_call" => p[0].GetProperty("data").GetString() == "0x03"
            ? FakeAnswer.Error(3, "execution reverted", "\"0x\"")
            : FakeAnswer.String(p[0].GetProperty("data").GetString()!.Length == 4 ? "0x01" : "0x0202"),
        _ => throw new ArgumentException(method),
    };

    private sealed class FuncTransport(Func<string, string> answer) : IRpcTransport
    {
        public Task<string> SendAsync(string requestJson, CancellationToken ct) => Task.FromResult(answer(requestJson));
    }
}
