using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Ethereum.Tests.Fakes;

namespace DefiCascade.Ethereum.Tests;

public class Multicall3CallerTests
{
    private static readonly Address Token = Address.FromNumber(0x70, 1);
    private static readonly Address Reverter = Address.FromNumber(0x70, 2);
    private static readonly Address Empty = Address.FromNumber(0x70, 3);
    private static readonly Address Heavy = Address.FromNumber(0x70, 4);
    private static readonly AbiType[] Input = [AbiType.Parse("(address,bool,bytes)[]")];
    private static readonly AbiType[] Output = [AbiType.Parse("(bool,bytes)[]")];
    private static readonly byte[] NopeRevert = Convert.FromHexString(
        "08c379a0" + "0000000000000000000000000000000000000000000000000000000000000020" + "0000000000000000000000000000000000000000000000000000000000000004" + "6e6f706500000000000000000000000000000000000000000000000000000000");

    [Fact]
    public void The_aggregate3_selector_is_the_canonical_one() =>
        Assert.Equal("82ad56cb", Convert.ToHexStringLower(Multicall3Caller.EncodeAggregate3([new EthCall(Token, [1])], 0, 1)[..4]));

    [Fact]
    public async Task A_thousand_mixed_calls_come_back_in_order_in_three_round_trips()
    {
        var chain = new FakeMulticallChain();
        var calls = MixedCalls(1_000);
        var caller = new Multicall3Caller(new JsonRpcClient(chain.Node), new Multicall3Options { CallsPerAggregate = 400, AggregatesPerBatch = 2 });

        var results = await caller.CallAsync(calls, 12_345);

        AssertMatchesDirect(calls, results);
        // eth_getCode, then one batch of two aggregate3 (400 + 400) and one of one (200).
        Assert.Equal(3, chain.Node.Requests.Count);
        Assert.Equal(["eth_getCode", "eth_call", "eth_call", "eth_call"], chain.Node.Methods);
        Assert.Equal([400, 400, 200], chain.AggregateSizes);
        Assert.All(chain.AllowFailureFlags, Assert.True);
        Assert.Equal("0x3039", chain.Blocks.Distinct().Single());
        Assert.False(caller.UsedFallback);
    }

    [Fact]
    public async Task Chunks_over_the_gas_cap_are_halved_until_they_pass()
    {
        var chain = new FakeMulticallChain { MaxCallsPerAggregate = 100 };
        var calls = MixedCalls(1_000);
        var caller = new Multicall3Caller(new JsonRpcClient(chain.Node), new Multicall3Options { CallsPerAggregate = 400, AggregatesPerBatch = 8 });

        var results = await caller.CallAsync(calls, 1);

        AssertMatchesDirect(calls, results);
        Assert.Equal(7, caller.Splits); // 400, 400, 200 fail, then the four 200s; the ten 100s pass
        Assert.Equal(10, chain.AggregateSizes.Count(s => s <= 100));
    }

    [Fact]
    public async Task A_call_that_breaks_aggregate3_even_alone_is_asked_directly()
    {
        var chain = new FakeMulticallChain();
        var calls = MixedCalls(300).ToList();
        calls[217] = new EthCall(Heavy, [0xaa]);
        var caller = new Multicall3Caller(new JsonRpcClient(chain.Node), new Multicall3Options { CallsPerAggregate = 300 });

        var results = await caller.CallAsync(calls, 1);

        AssertMatchesDirect(calls, results);
        Assert.Equal([0xaa, 0xaa], results[217].ReturnData);
        Assert.Single(chain.DirectCalls); // only the heavy one left aggregate3
        Assert.Equal(8, caller.Splits); // chunks holding call 217: 300, 150, 75, 38, 19, 10, 5, 3, then it alone
    }

    [Fact]
    public async Task Without_code_at_the_address_calls_fall_back_and_the_code_is_checked_once_per_block()
    {
        var chain = new FakeMulticallChain { Deployed = false };
        var calls = MixedCalls(250);
        var caller = new Multicall3Caller(new JsonRpcClient(chain.Node), new Multicall3Options { FallbackBatchSize = 100 });

        AssertMatchesDirect(calls, await caller.CallAsync(calls, 7));
        AssertMatchesDirect(calls, await caller.CallAsync(calls, 7));

        Assert.True(caller.UsedFallback);
        Assert.Equal(1, chain.Node.Methods.Count(m => m == "eth_getCode"));
        Assert.Empty(chain.AggregateSizes);
        Assert.Equal(1 + (2 * 3), chain.Node.Requests.Count); // batches of 100, 100, 50, twice
    }

    [Fact]
    public async Task Errors_a_smaller_chunk_cannot_cure_are_thrown_at_once()
    {
        var node = new FakeNode((m, _) => m == "eth_getCode" ? FakeAnswer.String("0x6080") : FakeAnswer.Error(-32000, "header not found"));
        var caller = new Multicall3Caller(new JsonRpcClient(node));
        var e = await Assert.ThrowsAsync<JsonRpcException>(() => caller.CallAsync(MixedCalls(1_000), 1));
        Assert.Equal("header not found", e.NodeMessage);
        Assert.Equal(0, caller.Splits);
    }

    private static EthCall[] MixedCalls(int n) => Enumerable.Range(0, n).Select(i => (i % 7) switch
    {
        3 => new EthCall(Reverter, [1, 2, 3]),
        5 => new EthCall(Empty, [(byte)(i % 256)]),
        _ => new EthCall(Token, BitConverter.GetBytes(i)),
    }).ToArray();

    private static void AssertMatchesDirect(IReadOnlyList<EthCall> calls, EthCallResult[] results)
    {
        Assert.Equal(calls.Count, results.Length);
        for (var i = 0; i < calls.Count; i++)
        {
            var want = FakeMulticallChain.Execute(calls[i].To, calls[i].Data);
            Assert.True(want.Success == results[i].Success, $"call {i}: success {results[i].Success}");
            Assert.Equal(want.ReturnData, results[i].ReturnData);
        }
    }

    /// <summary>
    /// A node with a Multicall3 at the canonical address that decodes aggregate3 requests and runs each call against
    /// three scripted contracts; chunks above <see cref="MaxCallsPerAggregate"/> run out of gas, as does any chunk
    /// holding a call to <see cref="Heavy"/>.
    /// </summary>
    private sealed class FakeMulticallChain
    {
        public FakeMulticallChain() => Node = new FakeNode(Answer);

        public FakeNode Node { get; }

        public bool Deployed { get; init; } = true;

        public int MaxCallsPerAggregate { get; init; } = int.MaxValue;

        public List<int> AggregateSizes { get; } = [];

        public List<bool> AllowFailureFlags { get; } = [];

        public List<string> Blocks { get; } = [];

        public List<Address> DirectCalls { get; } = [];

        /// <summary>The reference semantics: Token echoes keccak(data), Reverter reverts "nope", Empty has no code.</summary>
        public static EthCallResult Execute(Address to, byte[] data)
        {
            if (to == Token)
            {
                return new EthCallResult(true, Keccak.Hash256(data));
            }

            if (to == Reverter)
            {
                return new EthCallResult(false, NopeRevert);
            }

            return to == Heavy ? new EthCallResult(true, [.. data, .. data]) : new EthCallResult(true, []);
        }

        private FakeAnswer Answer(string method, JsonElement p)
        {
            if (method == "eth_getCode")
            {
                Assert.Equal(Multicall3Caller.CanonicalAddress.Hex, p[0].GetString());
                return FakeAnswer.String(Deployed ? "0x6080604052" : "0x");
            }

            Assert.Equal("eth_call", method);
            var to = Address.Parse(p[0].GetProperty("to").GetString()!);
            var data = Hex.Decode(p[0].GetProperty("data").GetString()!);
            Blocks.Add(p[1].GetString()!);
            if (to != Multicall3Caller.CanonicalAddress)
            {
                DirectCalls.Add(to);
                var r = Execute(to, data);
                return r.Success ? FakeAnswer.String(Hex.Encode(r.ReturnData)) : FakeAnswer.Error(3, "execution reverted", JsonSerializer.Serialize(Hex.Encode(r.ReturnData)));
            }

            Assert.True(Deployed);
            var items = ((object[])AbiCodec.Decode(Input, data[4..])[0]).Cast<object[]>().ToArray();
            AggregateSizes.Add(items.Length);
            if (items.Length > MaxCallsPerAggregate || items.Any(c => (Address)c[0] == Heavy))
            {
                return FakeAnswer.Error(-32000, "out of gas");
            }

            var results = items.Select(c =>
            {
                AllowFailureFlags.Add((bool)c[1]);
                var r = Execute((Address)c[0], (byte[])c[2]);
                return (object)new object[] { r.Success, r.ReturnData };
            }).ToArray();
            return FakeAnswer.String(Hex.Encode(AbiCodec.Encode(Output, [results])));
        }
    }
}
