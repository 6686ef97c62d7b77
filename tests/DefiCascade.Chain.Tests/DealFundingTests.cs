using System.Numerics;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;
using DefiCascade.Replay.Fork;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <see cref="DealFunding"/> on real token contracts: Aave's MintableERC20 (OpenZeppelin layout; 6, 8 and 18 decimals),
/// WETH9 (balanceOf is its 4th state variable), a Uniswap V2 pair's LP token (totalSupply then balanceOf), and a
/// hand-assembled token with a Vyper-layout mapping. Each deal must land exactly, leave other holders and totalSupply
/// alone, and be spendable by a real transfer.
/// </summary>
[Collection(ForkSeamsCollection.Name)]
public sealed class DealFundingTests(ForkSeamsFixture fixture, ITestOutputHelper output)
{
    private static ulong _fresh;

    private EthClient Eth => fixture.Node.Eth;

    [Theory]
    [InlineData("USDC")]
    [InlineData("WBTC")]
    [InlineData("WETH")]
    [InlineData("DAI")]
    public async Task Deal_on_the_Aave_world_tokens_adds_exactly_and_the_balance_is_spendable(string symbol)
    {
        var asset = fixture.Aave.Assets[fixture.Aave.IndexOf(symbol)];
        var slot = await DealAndSpendAsync(asset.Token, 1234 * asset.Unit + 567, 89 * asset.Unit + 1);
        // Aave's MintableERC20 is OpenZeppelin's ERC20: mapping _balances is its first state variable.
        Assert.Equal(new BalanceSlot(0, BalanceLayout.Solidity), slot);
    }

    [Fact]
    public async Task Deal_on_WETH9_finds_its_fourth_slot()
    {
        var weth = new Contract(Eth, "WETH9", Artifact("@aave/core-v3/artifacts/contracts/dependencies/weth/WETH9.sol/WETH9.json").Abi, fixture.State.V3.Weth);
        await Eth.SendTransactionAsync(fixture.Accounts[4], weth.Address, [], BigInteger.Pow(10, 18) * 3);
        Assert.Equal(BigInteger.Pow(10, 18) * 3, await weth.CallUIntAsync("balanceOf", fixture.Accounts[4]));
        var slot = await DealAndSpendAsync(weth, BigInteger.Pow(10, 18) * 5 + 7, 11);
        // string name, string symbol, uint8 decimals, then mapping balanceOf.
        Assert.Equal(new BalanceSlot(3, BalanceLayout.Solidity), slot);
    }

    [Fact]
    public async Task Deal_on_a_Uniswap_V2_LP_token_finds_the_balance_mapping_after_totalSupply()
    {
        var trader = fixture.Accounts[5];
        var pair = await fixture.V2.CreatePairAsync(trader, BigInteger.Pow(10, 24));
        await V2World.AddLiquidityAsync(pair, BigInteger.Pow(10, 21), BigInteger.Pow(10, 21) * 2);
        Assert.True(await pair.Pair.CallUIntAsync("balanceOf", trader) > 0);
        var slot = await DealAndSpendAsync(pair.Pair, BigInteger.Pow(10, 20) + 3, 5);
        // UniswapV2ERC20: name, symbol and decimals are constants; totalSupply is slot 0, balanceOf slot 1.
        Assert.Equal(new BalanceSlot(1, BalanceLayout.Solidity), slot);
    }

    [Fact]
    public async Task Deal_finds_a_Vyper_layout_mapping()
    {
        var token = Address.FromNumber(0x7E7E0000, 1);
        await Eth.SetCodeAsync(token, VyperLayoutBalanceCode(7));
        var to = Fresh();
        var funding = new DealFunding(Eth);
        await funding.FundAsync(token, to, 4242);
        await funding.FundAsync(token, to, 58);
        Assert.Equal(new BalanceSlot(7, BalanceLayout.Vyper), funding.SlotOf(token));
        var balanceOf = new Contract(Eth, "VyperLayout", DefiCascade.Adapters.Abi.AdapterAbis.Get("Erc20").Abi, token);
        Assert.Equal(4300, (int)await balanceOf.CallUIntAsync("balanceOf", to));
        Assert.Equal(0, (int)await balanceOf.CallUIntAsync("balanceOf", Fresh()));
    }

    [Fact]
    public async Task Contracts_without_a_findable_balance_fail_naming_the_token()
    {
        var funding = new DealFunding(Eth);
        var to = Fresh();

        var pool = fixture.Aave.Pool.Address;
        var e1 = await Assert.ThrowsAsync<InvalidOperationException>(() => funding.FundAsync(pool, to, 1));
        Assert.Contains(pool.Hex, e1.Message, StringComparison.Ordinal);
        Assert.Contains("balanceOf reverted", e1.Message, StringComparison.Ordinal);

        var empty = Address.FromNumber(0xE3E30000, 1);
        var e2 = await Assert.ThrowsAsync<InvalidOperationException>(() => funding.FundAsync(empty, to, 1));
        Assert.Contains(empty.Hex, e2.Message, StringComparison.Ordinal);
        Assert.Contains("no contract code", e2.Message, StringComparison.Ordinal);

        // the fake feed answers any call with slot 0: a balanceOf that exists but reads no mapping.
        var constant = Address.FromNumber(0xC0C00000, 1);
        await Eth.SetCodeAsync(constant, FakeAggregatorCode.Runtime());
        await Eth.SetStorageAtAsync(constant, 0, 777);
        var e3 = await Assert.ThrowsAsync<InvalidOperationException>(() => funding.FundAsync(constant, to, 1));
        Assert.Contains(constant.Hex, e3.Message, StringComparison.Ordinal);
        Assert.Contains("no balance mapping found", e3.Message, StringComparison.Ordinal);
        // every missed probe put the original word back: slot 0 still answers 777, nothing else was left behind.
        var feed = new Contract(Eth, "Constant", DefiCascade.Adapters.Abi.AdapterAbis.Get("Erc20").Abi, constant);
        Assert.Equal(777, (int)await feed.CallUIntAsync("balanceOf", to));
        Assert.Null(funding.SlotOf(constant));
        Assert.Empty(funding.Disclosures);
    }

    /// <summary>
    /// Deals twice to a fresh address and once to an existing holder, checks exact sums, untouched holders and
    /// totalSupply, then spends the fresh address's whole balance with a real transfer.
    /// </summary>
    private async Task<BalanceSlot?> DealAndSpendAsync(Contract token, BigInteger first, BigInteger second)
    {
        var funding = new DealFunding(Eth);
        var to = Fresh();
        var holders = fixture.Accounts.Take(6).ToArray();
        var before = new List<BigInteger>();
        foreach (var h in holders)
        {
            before.Add(await token.CallUIntAsync("balanceOf", h));
        }

        var supply = await token.CallUIntAsync("totalSupply");
        await funding.FundAsync(token.Address, to, first);
        await funding.FundAsync(token.Address, to, second);
        Assert.Equal(first + second, await token.CallUIntAsync("balanceOf", to));
        for (var i = 0; i < holders.Length; i++)
        {
            Assert.Equal(before[i], await token.CallUIntAsync("balanceOf", holders[i]));
        }

        // an existing holder: current plus the amount.
        var rich = holders.Select((h, i) => (h, i)).MaxBy(p => before[p.i]).h;
        var richBefore = await token.CallUIntAsync("balanceOf", rich);
        await funding.FundAsync(token.Address, rich, 999);
        Assert.Equal(richBefore + 999, await token.CallUIntAsync("balanceOf", rich));
        Assert.Equal(supply, await token.CallUIntAsync("totalSupply"));

        // spend it: the token's own transfer accepts the written balance.
        await Eth.ImpersonateAccountAsync(to);
        await Eth.SetBalanceAsync(to, BigInteger.Pow(10, 18));
        var receiver = Fresh();
        await token.SendAsync(to, "transfer", receiver, first + second);
        await Eth.StopImpersonatingAccountAsync(to);
        Assert.Equal(BigInteger.Zero, await token.CallUIntAsync("balanceOf", to));
        Assert.Equal(first + second, await token.CallUIntAsync("balanceOf", receiver));

        foreach (var line in funding.Disclosures)
        {
            output.WriteLine(line);
        }

        Assert.Contains(funding.Disclosures, d => d.Contains("totalSupply not changed", StringComparison.Ordinal) && d.Contains(to.Hex, StringComparison.Ordinal));
        return funding.SlotOf(token.Address);
    }

    private static Address Fresh() => Address.FromNumber(0xDEA10000, Interlocked.Increment(ref _fresh));

    private static ContractArtifact Artifact(string path) => ContractArtifact.Load(ChainPaths.Artifact(path));

    /// <summary>
    /// A hand-assembled token whose every call returns the balance of its first argument from a Vyper-layout mapping at
    /// <paramref name="slot"/>: sload(keccak256(pad32(slot) . pad32(holder))).
    /// </summary>
    private static byte[] VyperLayoutBalanceCode(byte slot) =>
    [
        0x60, 0x04, // 0x00 PUSH1 0x04      [4]
        0x35,       // 0x02 CALLDATALOAD    [holder]            first argument word
        0x60, 0x20, // 0x03 PUSH1 0x20      [0x20, holder]
        0x52,       // 0x05 MSTORE          []                  mem[0x20] = holder
        0x60, slot, // 0x06 PUSH1 slot      [slot]
        0x60, 0x00, // 0x08 PUSH1 0x00      [0, slot]
        0x52,       // 0x0a MSTORE          []                  mem[0x00] = slot (Vyper: slot first)
        0x60, 0x40, // 0x0b PUSH1 0x40      [0x40]
        0x60, 0x00, // 0x0d PUSH1 0x00      [0, 0x40]
        0x20,       // 0x0f KECCAK256       [key]               keccak256(mem[0x00..0x40])
        0x54,       // 0x10 SLOAD           [balance]
        0x60, 0x00, // 0x11 PUSH1 0x00      [0, balance]
        0x52,       // 0x13 MSTORE          []                  mem[0x00] = balance
        0x60, 0x20, // 0x14 PUSH1 0x20      [0x20]
        0x60, 0x00, // 0x16 PUSH1 0x00      [0, 0x20]
        0xf3,       // 0x18 RETURN          mem[0x00..0x20]
    ];
}
