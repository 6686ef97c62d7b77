using DefiCascade.Chain.Testing;
using System.Numerics;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <see cref="UniswapPoolReader"/> against the real contracts: the V3 tick book read through tickBitmap words equals
/// the ticks the position manager minted, slot0 and liquidity equal the pool's, and a read at a pinned block ignores
/// later swaps. V2 reserves and token metadata are read as the pair and tokens report them.
/// </summary>
public sealed class UniswapPoolReaderTests
{
    private static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    private static readonly BigInteger Mint = BigInteger.One << 200;

    [Theory]
    [InlineData(3000)]
    [InlineData(500)]
    public async Task V3_tick_book_and_slot0_equal_the_pool_at_the_pinned_block(int fee)
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = V3World.Attach(node.Eth, accounts[0], (await ChainWorld.GetAsync()).V3);
        var p = await world.CreatePoolAsync(accounts[1], fee, BigInteger.One << 96, Mint);
        await QuoteCommandTests.MintBookAsync(world, p);
        // ranges outside the others' and below zero, where word positions are negative and bits sit high in the word.
        var s = p.TickSpacing;
        await world.MintAsync(p, -887272 / s * s, -50000 / s * s, 0, 10 * E18);
        await world.MintAsync(p, 50000 / s * s, 887272 / s * s, 10 * E18, 0);
        var minted = new[] { -887220, 887220, -600, 600, -6000, 1200, -1200, 6000, 120, 2400, -2400, -120, -60, 60, -30000, 30000, -887272 / s * s, -50000 / s * s, 50000 / s * s, 887272 / s * s };
        var expected = await V3World.TicksAsync(p, minted);
        var slot = await V3World.SlotAsync(p);
        var reader = new UniswapPoolReader(node.Eth);
        var block = await reader.LatestBlockAsync();

        var read = await reader.ReadAsync(p.Pool.Address, block);

        var v3 = Assert.IsType<UniswapV3PoolSnapshot>(read.Snapshot);
        Assert.Equal(expected, v3.Ticks);
        Assert.Equal(minted.Distinct().Count(), v3.Ticks.Count);
        Assert.Equal((slot.SqrtPriceX96, slot.Tick, slot.Liquidity), (v3.SqrtPriceX96, v3.Tick, v3.Liquidity));
        Assert.Equal((fee, p.TickSpacing, (int?)null, (int?)null), (v3.Fee, v3.TickSpacing, v3.TickBookLower, v3.TickBookUpper));
        Assert.Equal($"rpc {block}", v3.Source);
        Assert.Equal((p.Token0.Address, p.Token1.Address, 18, 18), (read.Token0.Address, read.Token1.Address, read.Token0.Decimals, read.Token1.Decimals));
        Assert.Equal(((string)(await p.Token0.CallAsync("symbol"))[0], (string)(await p.Token1.CallAsync("symbol"))[0]), (v3.Token0, v3.Token1));

        // a swap later does not move what the pinned block says; the latest block does see it.
        await world.SwapAsync(p, zeroForOne: true, exactInput: true, 300 * E18, null);
        var again = Assert.IsType<UniswapV3PoolSnapshot>((await reader.ReadAsync(p.Pool.Address, block)).Snapshot);
        Assert.Equal((v3.SqrtPriceX96, v3.Tick, v3.Liquidity), (again.SqrtPriceX96, again.Tick, again.Liquidity));
        Assert.Equal(v3.Ticks, again.Ticks);
        var latest = Assert.IsType<UniswapV3PoolSnapshot>((await reader.ReadAsync(p.Pool.Address, await reader.LatestBlockAsync())).Snapshot);
        Assert.NotEqual(v3.SqrtPriceX96, latest.SqrtPriceX96);
    }

    [Fact]
    public async Task Spacing_1_book_is_read_in_a_handful_of_round_trips_and_a_window_records_its_bounds()
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = V3World.Attach(node.Eth, accounts[0], (await ChainWorld.GetAsync()).V3);
        var p = await world.CreatePoolAsync(accounts[1], 100, BigInteger.One << 96, Mint);
        Assert.Equal(1, p.TickSpacing);
        int[] minted = [-887272, -20000, -300, -7, 5, 260, 20000, 887272];
        await world.MintAsync(p, minted[0], minted[^1], 10 * E18, 10 * E18);
        await world.MintAsync(p, minted[1], minted[^2], 10 * E18, 10 * E18);
        await world.MintAsync(p, minted[2], minted[5], 10 * E18, 10 * E18);
        await world.MintAsync(p, minted[3], minted[4], 10 * E18, 10 * E18);
        var block = await node.Eth.GetBlockNumberAsync();
        using var http = new HttpRpcTransport(node.Url);
        var counter = new CountingRpcTransport(http);
        var eth = new EthClient(new JsonRpcClient(counter));
        // 6,932 bitmap words at spacing 1: JSON-RPC batches of 1,000 eth_calls.
        var reader = new UniswapPoolReader(eth, new RpcBatchCaller(eth.Rpc, batchSize: 1000));

        var full = Assert.IsType<UniswapV3PoolSnapshot>((await reader.ReadAsync(p.Pool.Address, block)).Snapshot);

        Assert.Equal(minted, full.Ticks.Select(t => t.Index));
        Assert.Equal(await V3World.TicksAsync(p, minted), full.Ticks);
        var (first, last) = UniswapPoolReader.WordRange(1);
        Assert.Equal(6932, last - first + 1);
        // getCode, the pool's seven reads, the tokens, 7 batches of bitmap words, the ticks: 11 round trips, not ~6,950.
        Assert.Equal(11, counter.RoundTrips);

        var windowed = Assert.IsType<UniswapV3PoolSnapshot>((await reader.ReadAsync(p.Pool.Address, block, tickWindow: 300)).Snapshot);
        Assert.Equal([-300, -7, 5, 260], windowed.Ticks.Select(t => t.Index));
        Assert.Equal((full.Tick - 300, full.Tick + 300), (windowed.TickBookLower, windowed.TickBookUpper));
    }

    [Fact]
    public async Task V2_reserves_and_tokens_are_read_at_the_pinned_block()
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = V2World.Attach(node.Eth, accounts[0], (await ChainWorld.GetAsync()).V2);
        var p = await world.CreatePairAsync(accounts[2], Mint);
        await V2World.AddLiquidityAsync(p, 1000 * E18, 2000 * E18);
        var reader = new UniswapPoolReader(node.Eth);
        var block = await reader.LatestBlockAsync();
        await V2World.AddLiquidityAsync(p, 1 * E18, 2 * E18);

        var read = await reader.ReadAsync(p.Pair.Address, block);

        var v2 = Assert.IsType<UniswapV2PoolSnapshot>(read.Snapshot);
        Assert.Equal((1000 * E18, 2000 * E18), (v2.Reserve0, v2.Reserve1));
        Assert.Equal((p.Token0.Address, p.Token1.Address), (read.Token0.Address, read.Token1.Address));
        Assert.Equal((string)(await p.Token0.CallAsync("symbol"))[0], read.Token0.Symbol);
        Assert.Equal($"rpc {block}", v2.Source);
    }

    [Fact]
    public void Word_range_covers_min_and_max_tick_for_every_spacing()
    {
        Assert.Equal((-3466, 3465), UniswapPoolReader.WordRange(1));
        Assert.Equal((-347, 346), UniswapPoolReader.WordRange(10));
        Assert.Equal((-58, 57), UniswapPoolReader.WordRange(60));
        Assert.Equal((-18, 17), UniswapPoolReader.WordRange(200));
    }
}
