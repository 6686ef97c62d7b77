using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Tests;

public class RpcTests
{
    [Fact]
    public async Task Error_objects_become_exceptions_naming_method_code_and_message()
    {
        var transport = new ScriptedTransport(_ => """{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}""");
        var client = new JsonRpcClient(transport);
        var e = await Assert.ThrowsAsync<JsonRpcException>(() => client.CallAsync("eth_foo", "0x1"));
        Assert.Equal("eth_foo", e.Method);
        Assert.Equal(-32601, e.Code);
        Assert.Contains("eth_foo", e.Message, StringComparison.Ordinal);
        Assert.Contains("Method not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"eth_foo\"", transport.Requests[0], StringComparison.Ordinal);
        Assert.Contains("\"params\":[\"0x1\"]", transport.Requests[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_increase_and_batches_come_back_in_request_order()
    {
        var transport = new ScriptedTransport(request =>
        {
            using var doc = JsonDocument.Parse(request);
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                // answer in reverse order: the client must match by id.
                var ids = doc.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).Reverse();
                return "[" + string.Join(",", ids.Select(id => $$"""{"jsonrpc":"2.0","id":{{id}},"result":"0x{{id:x}}"}""")) + "]";
            }

            var single = doc.RootElement.GetProperty("id").GetInt64();
            return $$"""{"jsonrpc":"2.0","id":{{single}},"result":"0x{{single:x}}"}""";
        });
        var client = new JsonRpcClient(transport);
        Assert.Equal("0x1", (await client.CallAsync("eth_blockNumber")).GetString());
        var results = await client.CallBatchAsync([new RpcRequest("a"), new RpcRequest("b"), new RpcRequest("c")]);
        Assert.Equal(["0x2", "0x3", "0x4"], results.Select(r => r.GetString()));
    }

    [Fact]
    public void Redaction_keeps_scheme_and_host_only() =>
        Assert.Equal("https://eth-mainnet.example.org/***", RpcUrl.Redact(new Uri("https://eth-mainnet.example.org/v2/SECRETKEY?x=1")));

    [Fact]
    public async Task Transport_failures_never_print_the_url()
    {
        // port 1 on loopback: nothing listens, the connection is refused at once.
        using var transport = new HttpRpcTransport(new Uri("http://127.0.0.1:1/v2/SECRETKEY"), TimeSpan.FromSeconds(5));
        var e = await Assert.ThrowsAsync<RpcTransportException>(() => transport.SendAsync("{}", CancellationToken.None));
        Assert.DoesNotContain("SECRETKEY", e.ToString(), StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1/***", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETKEY", transport.ToString(), StringComparison.Ordinal);
        Assert.Equal(RpcFailureKind.ConnectionFailed, e.Kind);
        Assert.Equal("connection refused", e.Reason);
        Assert.True(e.IsTransient); // a node restarting behind a load balancer refuses for a moment
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    public void Http_statuses_are_transient_only_when_waiting_can_help(int status, bool transient) =>
        Assert.Equal(transient, new RpcTransportException("x", RpcFailureKind.HttpStatus, "x", status).IsTransient);

    [Fact]
    public async Task Transactions_are_refused_off_the_dev_chain()
    {
        var transport = new ScriptedTransport(_ => """{"jsonrpc":"2.0","id":1,"result":"0x1"}""");
        var eth = new EthClient(new JsonRpcClient(transport));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => eth.SendTransactionAsync(Address.Zero, Address.Zero, []));
        Assert.Contains("chain id 1 is not anvil's 31337", e.Message, StringComparison.Ordinal);
        Assert.Contains("AllowNonDevChain", e.Message, StringComparison.Ordinal);
        Assert.Single(transport.Requests); // only eth_chainId went out
    }

    [Fact]
    public async Task Reverted_calls_carry_contract_function_and_reason()
    {
        const string data = "0x08c379a00000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000c556e697377617056323a204b0000000000000000000000000000000000000000";
        var transport = new ScriptedTransport(_ => $$$"""{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: UniswapV2: K","data":"{{{data}}}"}}""");
        var eth = new EthClient(new JsonRpcClient(transport));
        var e = await Assert.ThrowsAsync<ContractRevertException>(() =>
            eth.CallAsync(Address.Zero, [], BlockParameter.Latest, new CallContext("UniswapV2Pair", "swap(uint256,uint256,address,bytes)")));
        Assert.Equal("UniswapV2: K", e.Reason);
        Assert.Equal("UniswapV2Pair.swap(uint256,uint256,address,bytes) reverted: UniswapV2: K", e.Message);
    }

    private sealed class ScriptedTransport(Func<string, string> answer) : IRpcTransport
    {
        public List<string> Requests { get; } = [];

        public Task<string> SendAsync(string requestJson, CancellationToken ct)
        {
            Requests.Add(requestJson);
            return Task.FromResult(answer(requestJson));
        }
    }
}
