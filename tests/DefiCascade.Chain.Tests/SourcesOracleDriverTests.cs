using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Replay.Fork;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <see cref="SourcesOracleDriver"/> on the real Aave V3 market of <see cref="AaveWorld"/> (AaveOracle, ACLManager,
/// PoolAddressesProvider of npm @aave/core-v3 1.19.3). The ACL admin is first handed to an address anvil does not hold
/// unlocked, as on a real fork, so the driver can only act through impersonation, and stopping it is observable.
/// </summary>
[Collection(ForkSeamsCollection.Name)]
public sealed class SourcesOracleDriverTests(ForkSeamsFixture fixture, ITestOutputHelper output)
{
    private static readonly BigInteger E8 = BigInteger.Pow(10, 8);
    private static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    private static readonly BigInteger[] Prices = [E8, 50_000 * E8, 2_000 * E8, E8];

    private AaveWorld W => fixture.Aave;

    [Fact]
    public async Task Repointed_sources_keep_every_price_then_a_set_answer_moves_the_oracle_and_makes_a_position_liquidatable()
    {
        var eth = W.Eth;
        int weth = W.IndexOf("WETH"), usdc = W.IndexOf("USDC");
        await W.SetPricesAsync(Prices);

        // CHAIN.md's position: 10 WETH against 15,000 USDC, HF 1.1 at $2000.
        var user = await W.NewUserAsync();
        await W.SupplyAsync(user, weth, 10 * E18);
        await W.BorrowAsync(user, usdc, 15_000 * BigInteger.Pow(10, 6));
        var liquidator = fixture.Accounts[2];
        Assert.Equal("45", await W.LiquidateAsync(liquidator, weth, usdc, user, 7_500 * BigInteger.Pow(10, 6), false));

        // as on mainnet: the ACL admin is an account nobody here holds the key of.
        var provider = (Address)(await W.Pool.CallAsync("ADDRESSES_PROVIDER"))[0];
        var aclAdmin = Address.FromNumber(0xAC1AD000, 1);
        var aclArtifact = Aave("protocol/configuration/ACLManager.sol/ACLManager.json");
        var providerArtifact = Aave("protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json");
        var providerContract = new Contract(eth, "PoolAddressesProvider", providerArtifact.Abi, provider);
        var acl = new Contract(eth, "ACLManager", aclArtifact.Abi, (Address)(await providerContract.CallAsync("getACLManager"))[0]);
        await acl.SendAsync(fixture.Accounts[0], "grantRole", new byte[32], aclAdmin);
        await providerContract.SendAsync(fixture.Accounts[0], "setACLAdmin", aclAdmin);

        var tokens = W.Assets.Select(a => a.Token.Address).ToArray();
        var pricesBefore = await PricesAsync(tokens);
        var hfBefore = (await W.AccountDataAsync(user)).HealthFactor;
        Assert.Equal(Prices, pricesBefore);

        var driver = new SourcesOracleDriver(eth, provider);
        await driver.PrepareAsync(tokens);
        foreach (var line in driver.Disclosures)
        {
            output.WriteLine(line);
        }

        // nothing moved, every source is the fake at its deterministic address.
        Assert.Equal(W.Oracle.Address, driver.Oracle);
        Assert.Equal(pricesBefore, await PricesAsync(tokens));
        Assert.Equal(hfBefore, (await W.AccountDataAsync(user)).HealthFactor);
        for (var i = 0; i < tokens.Length; i++)
        {
            var source = (Address)(await W.Oracle.CallAsync("getSourceOfAsset", tokens[i]))[0];
            Assert.Equal(ForkAddresses.FakeAggregator(tokens[i]), source);
            Assert.Equal(driver.FakeOf(tokens[i]), source);
            Assert.NotEqual(W.Assets[i].Aggregator.Address, source);
        }

        // the hand-assembled feed answers the Chainlink reads too.
        var feed = new Contract(eth, "FakeAggregator", AdapterAbis.Get("ChainlinkAggregator").Abi, driver.FakeOf(tokens[weth]));
        Assert.Equal(2_000 * E8, await feed.CallUIntAsync("latestAnswer"));
        Assert.Equal(8, (int)await feed.CallUIntAsync("decimals"));
        var round = await feed.CallAsync("latestRoundData");
        var now = await eth.GetBlockTimestampAsync(await eth.GetBlockNumberAsync());
        Assert.Equal((BigInteger.One, 2_000 * E8, BigInteger.One), ((BigInteger)round[0], (BigInteger)round[1], (BigInteger)round[4]));
        Assert.True((BigInteger)round[3] >= now, $"updatedAt {round[3]} is before the latest block's {now}");

        // the old MockAggregator no longer matters.
        await W.SetPriceAsync(weth, 1_000 * E8);
        Assert.Equal(2_000 * E8, await W.Oracle.CallUIntAsync("getAssetPrice", tokens[weth]));

        // both impersonations ended: neither account can send; the role granted for the call was revoked.
        Assert.Contains(driver.Disclosures, d => d.Contains(aclAdmin.Hex, StringComparison.Ordinal) && d.Contains("ASSET_LISTING_ADMIN", StringComparison.Ordinal));
        Assert.Contains(driver.Disclosures, d => d.Contains("stopped", StringComparison.Ordinal));
        await Assert.ThrowsAsync<JsonRpcException>(() => acl.SendWithGasAsync(aclAdmin, 200_000, "addAssetListingAdmin", Address.FromNumber(0xBAD, 1)));
        await Assert.ThrowsAsync<JsonRpcException>(() => W.Oracle.SendWithGasAsync(ForkAddresses.ReplayAdmin, 200_000, "setAssetSources", new object[] { tokens[weth] }, new object[] { Address.FromNumber(0xBAD, 2) }));
        Assert.False((bool)(await acl.CallAsync("isAssetListingAdmin", ForkAddresses.ReplayAdmin))[0]);
        Assert.False((bool)(await acl.CallAsync("isAssetListingAdmin", Address.FromNumber(0xBAD, 1)))[0]);

        // WETH to $1800: the oracle says exactly that, the account's collateral and health factor follow Aave's formulas.
        var answer = 1_800 * E8;
        await driver.SetAnswerAsync(tokens[weth], answer);
        Assert.Equal(answer, await W.Oracle.CallUIntAsync("getAssetPrice", tokens[weth]));
        Assert.Equal(pricesBefore.Where((_, i) => i != weth), (await PricesAsync(tokens)).Where((_, i) => i != weth));
        var data = await W.AccountDataAsync(user);
        var aWeth = await W.Assets[weth].AToken.CallUIntAsync("balanceOf", user);
        Assert.Equal(aWeth * answer / E18, data.TotalCollateralBase);
        var expectedHf = ((((data.TotalCollateralBase * data.CurrentLiquidationThreshold) + 5_000) / 10_000 * E18) + (data.TotalDebtBase / 2)) / data.TotalDebtBase;
        Assert.Equal(expectedHf, data.HealthFactor);
        Assert.True(data.HealthFactor < E18, $"HF {data.HealthFactor} at $1800");
        output.WriteLine($"HF before {hfBefore}, after the answer moved to $1800: {data.HealthFactor}");

        // a real-contract consequence: the liquidation that reverted with 45 now goes through.
        var debtBefore = await W.Assets[usdc].VariableDebt.CallUIntAsync("balanceOf", user);
        var wethBefore = await W.Assets[weth].Token.CallUIntAsync("balanceOf", liquidator);
        Assert.Null(await W.LiquidateAsync(liquidator, weth, usdc, user, 7_500 * BigInteger.Pow(10, 6), false));
        var repaid = debtBefore - await W.Assets[usdc].VariableDebt.CallUIntAsync("balanceOf", user);
        var seized = await W.Assets[weth].Token.CallUIntAsync("balanceOf", liquidator) - wethBefore;
        Assert.InRange(repaid, 7_500 * BigInteger.Pow(10, 6) - 1, 7_500 * BigInteger.Pow(10, 6) + 1);
        // 7500 / 1800 x 1.05 = 4.375 WETH seized, less 10% of the 5% bonus part to the treasury (CHAIN.md: 0.0208333).
        Assert.InRange(seized, 4_354_166_666_666_666_000, 4_354_166_666_666_668_000);
        Assert.True((await W.AccountDataAsync(user)).HealthFactor > E18);
        output.WriteLine($"liquidation after the move: repaid {repaid} USDC units, liquidator received {seized} WETH wei");

        // misuse is refused with the asset named.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => driver.SetAnswerAsync(tokens[weth], BigInteger.Zero));
        var stranger = Address.FromNumber(0x5757, 1);
        var notPrepared = await Assert.ThrowsAsync<InvalidOperationException>(() => driver.SetAnswerAsync(stranger, E8));
        Assert.Contains(stranger.Hex, notPrepared.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_base_currency_asset_is_refused_before_anything_is_written()
    {
        var provider = (Address)(await W.Pool.CallAsync("ADDRESSES_PROVIDER"))[0];
        var baseCurrency = (Address)(await W.Oracle.CallAsync("BASE_CURRENCY"))[0];
        var driver = new SourcesOracleDriver(W.Eth, provider);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => driver.PrepareAsync([baseCurrency]));
        Assert.Contains("BASE_CURRENCY", e.Message, StringComparison.Ordinal);
        Assert.Contains(baseCurrency.Hex, e.Message, StringComparison.Ordinal);
        Assert.Empty(await W.Eth.GetCodeAsync(ForkAddresses.FakeAggregator(baseCurrency), BlockParameter.Latest));
        Assert.Empty(driver.Disclosures);
    }

    private async Task<BigInteger[]> PricesAsync(IReadOnlyList<Address> tokens)
    {
        var prices = new BigInteger[tokens.Count];
        for (var i = 0; i < prices.Length; i++)
        {
            prices[i] = await W.Oracle.CallUIntAsync("getAssetPrice", tokens[i]);
        }

        return prices;
    }

    private static ContractArtifact Aave(string path) => ContractArtifact.Load(ChainPaths.Artifact("@aave/core-v3/artifacts/contracts/" + path));
}
