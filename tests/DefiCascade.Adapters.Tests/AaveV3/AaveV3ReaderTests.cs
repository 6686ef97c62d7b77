using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Logs;
using Moq;
using static DefiCascade.Adapters.Tests.AaveV3.FakeAaveChain;

namespace DefiCascade.Adapters.Tests.AaveV3;

public sealed class AaveV3ReaderTests
{
    private const ulong Block = 123;
    private static readonly BigInteger E8 = BigInteger.Pow(10, 8);

    [Fact]
    public async Task Reads_the_market_in_four_batched_rounds_at_the_pinned_block()
    {
        var chain = new FakeAaveChain().WithMarket();

        var m = await new AaveV3Reader(chain.Caller.Object).ReadMarketAsync(Provider, Block);

        // provider (2), list + revision + base currency (4), 8 per reserve, 3 totals per reserve + 1 e-mode category.
        Assert.Equal([(2, Block), (4, Block), (16, Block), (7, Block)], chain.Batches);
        Assert.Equal((Pool, Oracle, 8, (BigInteger?)1), (m.Pool, m.Oracle, m.BaseCurrencyDecimals, m.PoolRevision));
        Assert.Equal(["USDC", "WETH"], m.Reserves.Select(r => r.Token.Symbol));
        var weth = m.Reserves[1];
        Assert.Equal((1, 18, 8250, 10500), (weth.Id, weth.Token.Decimals, weth.Configuration.LiquidationThresholdBps, weth.Configuration.LiquidationBonusBps));
        Assert.Equal((Token(Weth, 'a'), Token(Weth, 's'), Token(Weth, 'v')), (weth.AToken, weth.StableDebtToken, weth.VariableDebtToken));
        Assert.Equal(Ray * 11 / 10, weth.NormalizedIncome);
        Assert.Equal(2000 * E8, weth.Price.Price);
        Assert.Equal(BigInteger.Pow(10, 24), weth.ATokenTotalSupply);
        var stables = Assert.Single(m.EModes);
        Assert.Equal(new AaveV3EModeRead(1, "stables", 9000, 9300, 10300, Usdc), stables);
    }

    [Fact]
    public async Task A_missing_price_is_an_error_naming_the_asset()
    {
        var chain = new FakeAaveChain().WithMarket(wethPrice: BigInteger.Zero);

        var e = await Assert.ThrowsAsync<ChainReadException>(() => new AaveV3Reader(chain.Caller.Object).ReadMarketAsync(Provider, Block));

        Assert.Contains("getAssetPrice(address)", e.Message, StringComparison.Ordinal);
        Assert.Contains("WETH", e.Message, StringComparison.Ordinal);
        Assert.Contains(Weth.Hex, e.Message, StringComparison.Ordinal);
        Assert.Contains("no price", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reverted_read_names_the_contract_the_function_and_the_block()
    {
        var chain = new FakeAaveChain().WithMarket();
        chain.On(Pool, "AaveV3Pool", "getConfiguration", _ => null);

        var e = await Assert.ThrowsAsync<ChainReadException>(() => new AaveV3Reader(chain.Caller.Object).ReadMarketAsync(Provider, Block));

        Assert.Equal($"eth_call Pool.getConfiguration(address) on {Pool.Hex} at block 123", e.Call);
        Assert.Contains("reverted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positions_become_underlying_amounts_and_the_health_factor_matches_the_pool()
    {
        // WETH (id 1) as collateral: bit 3; USDC (id 0) borrowed: bit 0 -> 0b1001.
        // aWETH: 10e18 scaled x 1.1 = 11e18 -> 11 x $2000 = 2.2e12 base; USDC debt: 10000e6 scaled x 1.05 = 10500e6 -> 1.05e12 base.
        // HF = wadDiv(percentMul(2.2e12, 8250) = 1.815e12, 1.05e12) = 1.72857142857142857142.. e18 -> 1728571428571428571 (half up);
        // available = percentMul(2.2e12, 8000) - 1.05e12 = 0.71e12.
        var pool = new BigInteger[] { 2_200_000_000_000, 1_050_000_000_000, 710_000_000_000, 8250, 8000, BigInteger.Parse("1728571428571428571") };
        var chain = new FakeAaveChain().WithMarket().WithUser(User, 9, BigInteger.Pow(10, 19), 10_000_000_000, pool);
        var reader = new AaveV3Reader(chain.Caller.Object);
        var market = await reader.ReadMarketAsync(Provider, Block);
        var chunks = new List<AaveV3UsersChunk>();

        var positions = await reader.ReadPositionsAsync(market, [User], Block, (c, _) => { chunks.Add(c); return Task.CompletedTask; });
        var pieces = AaveV3SnapshotBuilder.Build(market, positions, 1, new AaveV3SnapshotOptions("fake"));

        // 3 reads per user, then aWETH scaledBalanceOf + USDC variable scaledBalanceOf + stable balanceOf.
        Assert.Equal([(3, Block), (3, Block)], chain.Batches.Skip(4));
        Assert.Equal(0, Assert.Single(chunks).FirstIndex);
        var p = Assert.Single(pieces.Market.Positions);
        Assert.Equal(("WETH", BigInteger.Parse("11000000000000000000")), (p.Collateral.Single().Asset, p.Collateral.Single().Amount));
        Assert.Equal(("USDC", new BigInteger(10_500_000_000)), (p.Debt.Single().Asset, p.Debt.Single().Amount));
        Assert.Equal(1, pieces.CrossChecked);
        Assert.Equal(1, pieces.Coverage.UsersWithDebt);
        Assert.Equal("Aave V3.0.2 core (npm @aave/core-v3 1.19.3); Pool revision 1", pieces.Market.Version);
        Assert.Equal(new BigInteger(1_050_000_000_000), pieces.Coverage.DebtCapturedBase);
        Assert.Contains("rpc 123 aave-oracle", pieces.Sources.Keys);
        Assert.All(pieces.Oracles, o => Assert.Equal((50, 3600, 8), (o.DeviationBps, o.HeartbeatSeconds, o.Decimals)));
    }

    [Fact]
    public async Task A_health_factor_off_by_one_wei_fails_the_cross_check_naming_the_user_and_both_values()
    {
        var pool = new BigInteger[] { 2_200_000_000_000, 1_050_000_000_000, 710_000_000_000, 8250, 8000, BigInteger.Parse("1728571428571428572") };
        var chain = new FakeAaveChain().WithMarket().WithUser(User, 9, BigInteger.Pow(10, 19), 10_000_000_000, pool);
        var reader = new AaveV3Reader(chain.Caller.Object);
        var market = await reader.ReadMarketAsync(Provider, Block);
        var positions = await reader.ReadPositionsAsync(market, [User], Block);

        var e = Assert.Throws<AaveV3CrossCheckException>(() => AaveV3SnapshotBuilder.Build(market, positions, 1, new AaveV3SnapshotOptions("fake")));

        Assert.Contains(User.Hex, e.Message, StringComparison.Ordinal);
        Assert.Contains("1728571428571428571", e.Message, StringComparison.Ordinal);
        Assert.Contains("1728571428571428572", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positions_must_be_read_at_the_market_block()
    {
        var chain = new FakeAaveChain().WithMarket();
        var reader = new AaveV3Reader(chain.Caller.Object);
        var market = await reader.ReadMarketAsync(Provider, Block);

        await Assert.ThrowsAsync<ArgumentException>(() => reader.ReadPositionsAsync(market, [User], Block + 1));
    }

    [Fact]
    public void Event_topics_are_the_hashes_of_the_ipool_abi_signatures()
    {
        var events = AdapterAbis.Get("AaveV3Pool").Abi.Events;
        Assert.Equal(Keccak.Hash256(events.Single(e => e.Name == "Supply").Signature), AaveV3Reader.SupplyTopic);
        Assert.Equal(Keccak.Hash256(events.Single(e => e.Name == "Borrow").Signature), AaveV3Reader.BorrowTopic);
        Assert.Equal("Borrow(address,address,address,uint256,uint8,uint256,uint16)", events.Single(e => e.Name == "Borrow").Signature);
    }

    [Fact]
    public async Task Discovery_takes_on_behalf_of_from_topic_2_sorted_and_reports_each_chunk()
    {
        var a = Addr(0x0A);
        var b = Addr(0x0B);
        var logs = new Mock<ILogSource>(MockBehavior.Strict);
        logs.Setup(l => l.ScanAsync(It.IsAny<LogFilter>(), 10, 30, It.IsAny<Func<LogChunk, CancellationToken, Task>>(), It.IsAny<CancellationToken>()))
            .Returns(async (LogFilter f, ulong _, ulong _, Func<LogChunk, CancellationToken, Task> onChunk, CancellationToken ct) =>
            {
                Assert.Equal([Pool], f.Addresses);
                await onChunk(new LogChunk([Log(AaveV3Reader.BorrowTopic, b), Log(AaveV3Reader.SupplyTopic, a)], 20), ct);
                await onChunk(new LogChunk([Log(AaveV3Reader.SupplyTopic, b), Log(new byte[32], User)], 30), ct);
            });
        var seen = new List<(ulong, int)>();

        var users = await new AaveV3Reader(new FakeAaveChain().Caller.Object, logs.Object)
            .DiscoverUsersAsync(Pool, 10, 30, (c, known, _) => { seen.Add((c.ScannedThrough, known.Count)); return Task.CompletedTask; });

        Assert.Equal([a, b], users);
        Assert.Equal([(20UL, 2), (30UL, 2)], seen);
    }

    private static ChainLog Log(byte[] topic0, Address onBehalfOf)
    {
        var topic2 = new byte[32];
        Hex.Decode(onBehalfOf.Hex).CopyTo(topic2, 12);
        return new ChainLog(Pool, [topic0, new byte[32], topic2, new byte[32]], [], 15, 0, "0x01");
    }
}
