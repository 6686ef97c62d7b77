using System.Numerics;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// Multicall3Caller against our compiled Multicall3 placed at the canonical address: the same answers as one eth_call
/// per read, in a handful of round trips. Each test starts its own anvil (code at the canonical address must not leak
/// into other tests' chains).
/// </summary>
public sealed class Multicall3OnAnvilTests(ITestOutputHelper output)
{
    private const ulong Gas = 200_000;

    private static ContractArtifact Erc20 => ContractArtifact.Load(ChainPaths.Artifact("@aave/core-v3/artifacts/contracts/mocks/tokens/MintableERC20.sol/MintableERC20.json"));

    [Fact]
    public async Task A_thousand_mixed_calls_equal_one_by_one_eth_calls_in_far_fewer_round_trips()
    {
        await using var node = await AnvilNode.StartAsync();
        var (calls, expectedReverts) = await MixedCallsAsync(node.Eth);
        var block = await Multicall3Deployment.PlaceAsync(node.Eth);

        var (reference, oneByOneTrips) = await RunAsync(node, rpc => new RpcBatchCaller(rpc, batchSize: 1), calls, block);
        Multicall3Caller? multicall = null;
        var (batched, multicallTrips) = await RunAsync(node, rpc => multicall = new Multicall3Caller(rpc), calls, block);

        output.WriteLine($"{calls.Count} calls at block {block}: one-by-one {oneByOneTrips} round trips, Multicall3 {multicallTrips} ({multicall!.Aggregates} aggregate3)");
        AssertSame(reference, batched);
        Assert.False(multicall.UsedFallback);
        Assert.Equal(calls.Count, oneByOneTrips);
        Assert.Equal(2, multicallTrips); // eth_getCode, then one batch of ceil(1,210 / 400) = 4 aggregate3 calls
        Assert.Equal(expectedReverts, batched.Count(r => !r.Success));
        Assert.Contains(batched, r => !r.Success && RevertReason.Decode(r.ReturnData).Contains("exceeds balance", StringComparison.Ordinal));
        Assert.Contains(batched, r => !r.Success && r.ReturnData.Length == 0); // unknown selector: no fallback, empty revert
    }

    [Fact]
    public async Task Chunks_that_run_out_of_gas_are_split_and_still_answer_every_call()
    {
        await using var node = await AnvilNode.StartAsync();
        var (calls, _) = await MixedCallsAsync(node.Eth);
        var block = await Multicall3Deployment.PlaceAsync(node.Eth);

        // measured: with 1.5M gas a chunk of 400 of these calls runs out, a chunk of 200 fits.
        var options = new Multicall3Options { GasPerAggregate = 1_500_000 };
        Multicall3Caller? multicall = null;
        var (batched, trips) = await RunAsync(node, rpc => multicall = new Multicall3Caller(rpc, options), calls, block);
        var (reference, _) = await RunAsync(node, rpc => new RpcBatchCaller(rpc, batchSize: 50), calls, block);

        output.WriteLine($"with 1.5M gas per aggregate3: {multicall!.Splits} splits, {multicall.Aggregates} aggregate3 calls, {trips} round trips");
        AssertSame(reference, batched);
        Assert.Equal(3, multicall.Splits); // the three chunks of 400; the last chunk holds 10 calls
        Assert.Equal(4 + 6, multicall.Aggregates);
        Assert.Equal(3, trips); // eth_getCode, the first batch of 4, the batch of 6 halves
    }

    [Fact]
    public async Task Without_Multicall3_the_caller_falls_back_and_says_so()
    {
        await using var node = await AnvilNode.StartAsync();
        var (calls, _) = await MixedCallsAsync(node.Eth);
        var block = await node.Eth.GetBlockNumberAsync();

        Multicall3Caller? multicall = null;
        var (fallback, trips) = await RunAsync(node, rpc => multicall = new Multicall3Caller(rpc), calls, block);
        var (reference, _) = await RunAsync(node, rpc => new RpcBatchCaller(rpc, batchSize: 1), calls, block);

        AssertSame(reference, fallback);
        Assert.True(multicall!.UsedFallback);
        Assert.Equal(0, multicall.Aggregates);
        Assert.Equal(1 + 13, trips); // eth_getCode, then 1,210 calls in batches of 100
    }

    /// <summary>
    /// 3 tokens with balances for 8 holders, and 1,210 calls: balanceOf of holders and of empty accounts, totalSupply,
    /// decimals, symbol, a transferFrom that reverts with a reason, an unknown selector (empty revert) and a call to an
    /// address without code (success, no data).
    /// </summary>
    private static async Task<(List<EthCall> Calls, int Reverts)> MixedCallsAsync(EthClient eth)
    {
        var accounts = await eth.GetAccountsAsync();
        var tokens = new List<Contract>();
        for (var t = 0; t < 3; t++)
        {
            var token = await Contract.DeployAsync(eth, Erc20, accounts[0], $"Token{t}", $"T{t}", (byte)(6 + (6 * t)));
            for (var h = 0; h < 8; h++)
            {
                await token.SendWithGasAsync(accounts[0], Gas, "mint(address,uint256)", accounts[h], new BigInteger(1_000 + (h * 17) + t));
            }

            tokens.Add(token);
        }

        var calls = new List<EthCall>();
        var reverts = 0;
        for (var i = 0; i < 1_210; i++)
        {
            var token = tokens[i % 3];
            var holder = i % 11 < 8 ? accounts[i % 8] : Address.FromNumber(0xbeef, (ulong)i);
            switch (i % 10)
            {
                case 0:
                    calls.Add(Call(token, "totalSupply"));
                    break;
                case 1:
                    calls.Add(Call(token, "decimals"));
                    break;
                case 2:
                    calls.Add(Call(token, "symbol"));
                    break;
                case 3 when i % 30 == 3:
                    calls.Add(Call(token, "transferFrom", holder, accounts[9], BigInteger.Pow(10, 30)));
                    reverts++;
                    break;
                case 4 when i % 40 == 4:
                    calls.Add(new EthCall(token.Address, [0xde, 0xad, 0xbe, 0xef]));
                    reverts++;
                    break;
                case 5 when i % 50 == 5:
                    calls.Add(new EthCall(Address.FromNumber(0xc0de, (ulong)i), token.Abi.Function("totalSupply").EncodeCall()));
                    break;
                default:
                    calls.Add(Call(token, "balanceOf", holder));
                    break;
            }
        }

        return (calls, reverts);
    }

    private static EthCall Call(Contract token, string function, params object[] args) =>
        new(token.Address, token.Abi.Function(function).EncodeCall(args));

    private static async Task<(EthCallResult[] Results, long RoundTrips)> RunAsync(AnvilNode node, Func<JsonRpcClient, IBatchCaller> make, IReadOnlyList<EthCall> calls, ulong block)
    {
        using var http = new HttpRpcTransport(node.Url);
        var counter = new CountingRpcTransport(http);
        var results = await make(new JsonRpcClient(counter)).CallAsync(calls, block);
        return (results, counter.RoundTrips);
    }

    private static void AssertSame(EthCallResult[] expected, EthCallResult[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Success == actual[i].Success, $"call {i}: success {actual[i].Success}, one-by-one {expected[i].Success}");
            Assert.True(expected[i].ReturnData.AsSpan().SequenceEqual(actual[i].ReturnData), $"call {i}: return data differs");
        }
    }
}
