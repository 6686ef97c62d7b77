using System.Numerics;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Client;
using DefiCascade.Replay;
using DefiCascade.Replay.Fork;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// The closest this machine gets to a mainnet fork (no network here): the world's state loaded into an anvil that
/// reports chain id 1, as `anvil --fork-url` of mainnet does. The guard calls it a dev chain, the default client still
/// refuses to send there, and both fork seams work through a client built with AllowNonDevChain, as the replay builds it.
/// </summary>
public sealed class ForkSeamsOnChainId1Tests
{
    [Fact]
    public async Task Both_seams_work_on_an_anvil_reporting_chain_id_1_through_a_client_that_allows_it()
    {
        var state = await ChainWorld.GetAsync();
        await using var node = await AnvilNode.StartWithChainIdAsync(1, ["--load-state", state.StatePath, .. ChainWorld.NodeArgs]);
        // the saved chain was warped a year ahead: pin the next block after its head, as ChainStateFile does.
        var head = await node.Eth.Rpc.CallAsync("eth_getBlockByNumber", default, "latest", false);
        await node.Eth.SetNextBlockTimestampAsync((ulong)Hex.DecodeQuantity(head.GetProperty("timestamp").GetString()!) + 1);

        var verdict = await DevChainGuard.CheckAsync(node.Eth.Rpc, allowAnyChain: false);
        Assert.Equal((1UL, true, true), (verdict.ChainId, verdict.AnvilAnswered, verdict.IsDevChain));
        var accounts = await node.Eth.GetAccountsAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Eth.SendTransactionAsync(accounts[0], accounts[1], [], BigInteger.One));

        var eth = new EthClient(node.Eth.Rpc, new EthClientOptions { AllowNonDevChain = true });
        var aave = AaveWorld.Attach(eth, accounts[0], accounts[1], state.Aave);
        var provider = (Address)(await aave.Pool.CallAsync("ADDRESSES_PROVIDER"))[0];
        var tokens = aave.Assets.Select(a => a.Token.Address).ToArray();
        var before = await aave.PricesAsync();

        var driver = new SourcesOracleDriver(eth, provider);
        await driver.PrepareAsync(tokens);
        Assert.Equal(before.Prices, (await aave.PricesAsync()).Prices);
        var weth = tokens[aave.IndexOf("WETH")];
        await driver.SetAnswerAsync(weth, 1_234 * BigInteger.Pow(10, 8));
        Assert.Equal(1_234 * BigInteger.Pow(10, 8), await aave.Oracle.CallUIntAsync("getAssetPrice", weth));

        var funding = new DealFunding(eth);
        var to = Address.FromNumber(0xC1D10000, 1);
        var usdc = aave.Assets[aave.IndexOf("USDC")].Token;
        await funding.FundAsync(usdc.Address, to, 5_000_000);
        Assert.Equal(5_000_000, (long)await usdc.CallUIntAsync("balanceOf", to));
    }
}
