using System.Text.Json;
using DefiCascade.Chain.Testing;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Replay;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <see cref="DevChainGuard"/>: real anvils (its own chain id, and `--chain-id 1` as a mainnet fork keeps it) are dev
/// chains; an in-process node that reports chain id 1 and refuses anvil_nodeInfo with -32601, as a mainnet node does, is
/// not, and the replay refuses it unless the user passes the flag.
/// </summary>
public sealed class DevChainGuardTests
{
    [Fact]
    public async Task Anvil_is_a_dev_chain()
    {
        await using var node = await AnvilNode.StartAsync();
        var verdict = await DevChainGuard.CheckAsync(node.Eth.Rpc, allowAnyChain: false);
        Assert.Equal(new DevChainVerdict(31337, true, null, true), verdict);
        Assert.Equal("anvil node, chain id 31337", verdict.Describe());
    }

    [Fact]
    public async Task Anvil_with_chain_id_1_is_still_a_dev_chain_because_anvil_nodeInfo_answers()
    {
        await using var node = await AnvilNode.StartWithChainIdAsync(1);
        var verdict = await DevChainGuard.CheckAsync(node.Eth.Rpc, allowAnyChain: false);
        Assert.Equal(new DevChainVerdict(1, true, null, true), verdict);
    }

    [Fact]
    public async Task A_node_refusing_anvil_nodeInfo_on_chain_1_is_refused_unless_the_flag_is_given()
    {
        var node = new ScriptedNode("0x1", nodeInfo: null);
        var refused = await Assert.ThrowsAsync<NotADevChainException>(() => DevChainGuard.CheckAsync(new JsonRpcClient(node), allowAnyChain: false));
        Assert.Equal(new DevChainVerdict(1, false, null, false), refused.Verdict);
        Assert.Contains(DevChainGuard.UnsafeFlag, refused.Message, StringComparison.Ordinal);
        Assert.Equal("--unsafe-allow-non-dev-chain", DevChainGuard.UnsafeFlag);
        Assert.Contains("anvil_nodeInfo", node.Methods);

        var allowed = await DevChainGuard.CheckAsync(new JsonRpcClient(node), allowAnyChain: true);
        Assert.False(allowed.IsDevChain);
    }

    [Fact]
    public async Task Chain_id_31337_counts_even_when_anvil_nodeInfo_is_refused()
    {
        var verdict = await DevChainGuard.CheckAsync(new JsonRpcClient(new ScriptedNode("0x7a69", nodeInfo: null)), allowAnyChain: false);
        Assert.Equal(new DevChainVerdict(31337, false, null, true), verdict);
    }

    [Fact]
    public async Task A_fork_reports_its_block_and_never_its_url()
    {
        const string info = """{"currentBlockNumber":21000005,"forkConfig":{"forkUrl":"https://rpc.example/v2/SECRET-KEY","forkBlockNumber":21000000,"forkRetryBackoff":1000}}""";
        var verdict = await DevChainGuard.CheckAsync(new JsonRpcClient(new ScriptedNode("0x1", info)), allowAnyChain: false);
        Assert.Equal(new DevChainVerdict(1, true, 21_000_000, true), verdict);
        Assert.Equal("anvil fork of chain 1 at block 21000000", verdict.Describe());
        Assert.DoesNotContain("SECRET", verdict.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Answers eth_chainId with <c>chainIdHex</c> and anvil_nodeInfo with the JSON given, or -32601 when null.</summary>
    private sealed class ScriptedNode(string chainIdHex, string? nodeInfo) : IRpcTransport
    {
        public List<string> Methods { get; } = [];

        public Task<string> SendAsync(string requestJson, CancellationToken ct)
        {
            using var doc = JsonDocument.Parse(requestJson);
            var id = doc.RootElement.GetProperty("id").GetRawText();
            var method = doc.RootElement.GetProperty("method").GetString()!;
            Methods.Add(method);
            var body = (method, nodeInfo) switch
            {
                ("eth_chainId", _) => $"\"result\":\"{chainIdHex}\"",
                ("anvil_nodeInfo", { } json) => $"\"result\":{json}",
                _ => $$"""  "error":{"code":-32601,"message":"the method {{method}} does not exist/is not available"}""".Trim(),
            };
            return Task.FromResult($$"""{"jsonrpc":"2.0","id":{{id}},{{body}}}""");
        }
    }
}
