using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// A stablecoin that leaves its peg: arbitrage carries a stable/stable pool to the external ratio when the
/// pool has liquidity there; when it has not, it drains the book, whose price then walks on to the band for nothing
/// (the shipped depeg scenarios).
/// </summary>
public class StablePoolArbitrageTests
{
    private static readonly BigInteger Q96 = BigInteger.One << 96;

    // 150,000 gas at 100 gwei = 0.015 ETH, at $2,000 = $30 (8 decimals).
    private static readonly BigInteger GasUsd8 = 30_00000000;

    [Fact]
    public void A_stable_pool_with_liquidity_at_the_new_price_follows_a_12_percent_depeg_to_its_fee_band_and_pays_after_gas()
    {
        // One LP over ticks [-2000, 2000] (prices 0.8187..1.2214), L = 1e13, price 1:1 (sqrtPriceX96 = 2^96).
        var state = StableMarket(new BigInteger(10_000_000_000_000), [(-2000, 2000)]);
        var pool = state.Pools[0];
        state.External[state.AssetIndex("USDC")] = 88_000_000; // USDC to $0.88, USDT stays $1
        var reference = pool.Clone();
        var arbitrageur = new Arbitrageur(state, GasUsd8);

        var trades = arbitrageur.Run(block: 1);

        // The pool overprices USDC (token0): sell USDC until price = 0.88 / (1 - 0.0001) = 0.880088 USDT per USDC,
        // sqrt 0.93813006; floor(sqrt(0.88e8 * 1e6 * 1e6 * 2^192 / (1e8 * 1e6 * 999,900))) =
        var band = BigInteger.Parse("74326320824705246360334378199");
        Assert.Equal(1, trades);
        Assert.Equal(band, pool.SqrtPriceX96);
        // ... which is inside the fee band [sqrt(0.88 * 0.9999), sqrt(0.88 / 0.9999)]: no further trade pays.
        Assert.Equal(0, new Arbitrageur(state, gasCostUsd8: 0).Run());

        // The book reaches past the band, so no pool is reported out of liquidity.
        Assert.Empty(arbitrageur.PoolsOutOfLiquidity());

        // The same sale on an untouched copy of the pool, to read its amounts (computeSwapStep to the target):
        // USDC in = L * (1/0.93813006 - 1) = 1e13 * 0.06595028 = 659,502.80 (getAmount0Delta, rounded up)
        // plus the 1-bp fee 659,502.80 * 100 / 999,900 = 65.96: 659,568.76 USDC;
        // USDT out = L * (1 - 0.93813006) = 1e13 * 0.06186994 = 618,699.40 (getAmount1Delta, rounded down).
        // One step would give 659,568.759540 in and 618,699.403596 out; the walk stops at every 256-tick word
        // (ticks -256, -512, -768, -1024, then the limit near -1278: five steps), each rounding its input and fee up
        // and its output down, hence 4 wei more in and 2 wei less out (recomputed step by step outside the model).
        var sale = reference.Swap(new SwapRequest(true, BigInteger.Pow(10, 18), true, band));
        Assert.Equal(659_568_759_544, sale.AmountIn);
        Assert.Equal(618_699_403_594, sale.AmountOut);
        Assert.Equal((reference.Balance0, reference.Balance1), (pool.Balance0, pool.Balance1));

        // Profit at external prices: 618,699.40 x $1 - 659,568.76 x $0.88 = 618,699.40 - 580,420.51 = $38,278.90 >> $30 gas.
        var profit = state.ExternalValue(state.AssetIndex("USDT"), sale.AmountOut) - state.ExternalValue(state.AssetIndex("USDC"), sale.AmountIn);
        Assert.Equal(3_827_889_519_528, profit);
        Assert.True(profit > GasUsd8);
    }

    [Fact]
    public void A_stable_pool_whose_book_ends_before_the_new_price_is_drained_and_its_price_walks_on_to_the_band()
    {
        // Two LPs: [-5, 5] with L = 1e15 and [-142, 113] with L = 1e12, the shape of the default market's USDC/USDT
        // book, whose lowest initialized tick is -142 (price 1.0001^-142 = 0.98590).
        var state = StableMarket(new BigInteger(1_000_000_000_000_000), [(-5, 5)], (new BigInteger(1_000_000_000_000), -142, 113));
        var pool = state.Pools[0];
        state.External[state.AssetIndex("USDC")] = 88_000_000;

        var arbitrageur = new Arbitrageur(state, GasUsd8);
        var trades = arbitrageur.Run(block: 1);

        // The sale of USDC crosses tick -5 and then -142, where the liquidity is zero and no tick lies below: the
        // contract's loop walks the empty words on, for nothing, to the swap's limit, the fee band's edge
        // 0.88 / 0.9999 = 0.880088 (sqrt as derived in the test above; log(0.880088) / log(1.0001) = -1277.4: tick -1278).
        Assert.Equal(1, trades);
        Assert.Equal(BigInteger.Parse("74326320824705246360334378199"), pool.SqrtPriceX96);
        Assert.Equal(-1278, ((UniswapV3Pool)pool).Tick);
        Assert.Equal(BigInteger.Zero, ((UniswapV3Pool)pool).Liquidity);
        // Drained: every range now holds only USDC; the USDT left is the rounding of the positions' amounts (wei).
        Assert.InRange(pool.Balance1, BigInteger.Zero, 10);
        // The pool's price now reads the band, so the next blocks (same outside price) see nothing to trade.
        Assert.Equal(0, arbitrageur.Run(block: 2));
        Assert.Equal(0, arbitrageur.Run(block: 3));

        // The run says so: out of USDT (not "data exhausted": the book was read whole), stopped by the edge in block 1
        // only, the edge being where the liquidity ends: tick -142's price (0.98590), with slot0's tick -143, as the
        // contract leaves it right after crossing -142 downward.
        var drained = Assert.Single(arbitrageur.PoolsOutOfLiquidity());
        Assert.Equal(("USDC", "USDT", "USDT", SwapStop.OutOfLiquidity), (drained.Token0, drained.Token1, drained.RanOutOf, drained.Stop));
        Assert.Equal((1, 1, 1), (drained.FirstBlock, drained.LastBlock, drained.Blocks));
        Assert.Equal(0.98590, drained.EdgePrice, 5);
        Assert.Equal((TickMath.GetSqrtRatioAtTick(-142), -143), (drained.EdgeSqrtPriceX96, drained.EdgeTick));
    }

    [Fact]
    public void A_book_too_thin_to_pay_the_gas_is_left_where_it_is_and_not_reported_as_drained()
    {
        // One LP over [-5, 5] with L = 1e9: selling USDC to the edge moves L * (1 - 1.0001^-2.5) = 1e9 * 0.00025 = 250,000
        // raw = $0.25 of USDT, for a few cents of profit against $30 of gas. Gas stops it, not the book.
        var state = StableMarket(new BigInteger(1_000_000_000), [(-5, 5)]);
        state.External[state.AssetIndex("USDC")] = 88_000_000;
        var arbitrageur = new Arbitrageur(state, GasUsd8);

        Assert.Equal(0, arbitrageur.Run(block: 1));
        Assert.Equal(Q96, state.Pools[0].SqrtPriceX96);
        Assert.Empty(arbitrageur.PoolsOutOfLiquidity());
    }

    [Fact]
    public void A_run_whose_pool_ran_dry_lists_it_in_result_json_and_a_run_without_one_writes_no_such_key()
    {
        var depeg = ScenarioLoader.Parse(
            """
            name: usdc-depeg-small
            durationBlocks: 10
            driver: WETH
            path: [ { block: 10, multiplier: 1.0 } ]
            depegs:
              USDC: { peg: USD, path: [ { block: 5, multiplier: 0.88 } ] }
            maxSettleBlocks: 5
            """, "test");
        var state = StableMarket(new BigInteger(1_000_000_000_000_000), [(-5, 5)], (new BigInteger(1_000_000_000_000), -142, 113));

        var result = new CascadeEngine(state.Snapshot, depeg, 1).Run();
        var flat = new CascadeEngine(state.Snapshot, depeg with { Depegs = new Dictionary<string, DepegSpec>() }, 1).Run();

        // USDC falls 2.4% a block from block 1: past 0.9859 (less the 1-bp band) in block 1 already. The drain leaves the
        // pool's price at block 1's band; the outside price falls on to block 5 and stays, so every later block's
        // arbitrage finds the pool beyond its band with no liquidity left: at the edge from block 1 to the last block.
        var drained = Assert.Single(result.PoolsOutOfLiquidity);
        Assert.Equal((1, result.Status.BlocksSimulated), (drained.FirstBlock, drained.LastBlock));
        Assert.Contains("\"poolsOutOfLiquidity\"", ResultJson.Serialize(result), StringComparison.Ordinal);
        Assert.Empty(flat.PoolsOutOfLiquidity);
        Assert.DoesNotContain("poolsOutOfLiquidity", ResultJson.Serialize(flat), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_market_usdc_usdt_pool_runs_out_of_liquidity_at_its_lowest_tick_in_a_usdc_depeg()
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 50 });
        var state = new MarketState(snapshot, TestScenarios.InstantShock("1"));
        var p = state.Pools.FindIndex(x => x.Token0.Symbol == "USDC" && x.Token1.Symbol == "USDT");
        var book = (UniswapV3PoolSnapshot)snapshot.Pools[p];
        var lowest = book.Ticks.Min(t => t.Index);
        state.External[state.AssetIndex("USDC")] = 88_000_000;

        new Arbitrageur(state, GasUsd8).Run();

        // The generator draws stable LP ranges of at most 200 ticks around 1.0: the book ends at tick -142
        // (0.98590), so a $0.88 USDC drains the pool's USDT there, whatever the arbitrageur does; the price walks on
        // to the fee band's edge, 0.88 / (1 - fee) USDT per USDC.
        Assert.Equal(-142, lowest);
        var fee = state.Pools[p].FeePips;
        Assert.Equal(PoolPricing.SqrtPriceX96FromRatio(new BigInteger(88_000_000L * 1_000_000) * 1_000_000, new BigInteger(100_000_000L * 1_000_000) * (1_000_000 - fee)), state.Pools[p].SqrtPriceX96);
        Assert.True(state.Pools[p].Balance1 < 1_000_000, $"USDT left in the pool: {state.Pools[p].Balance1}");
    }

    /// <summary>The builder's USDC/WETH market plus USDT ($1, 6 decimals) and one USDC/USDT 0.01% pool at 1:1.</summary>
    private static MarketState StableMarket(BigInteger liquidity, (int Lower, int Upper)[] ranges, (BigInteger L, int Lower, int Upper)? extra = null)
    {
        var net = new SortedDictionary<int, BigInteger>();
        void Add(int tick, BigInteger delta) => net[tick] = net.GetValueOrDefault(tick) + delta;
        foreach (var (lower, upper) in ranges)
        {
            Add(lower, liquidity);
            Add(upper, -liquidity);
        }

        if (extra is { } e)
        {
            Add(e.Lower, e.L);
            Add(e.Upper, -e.L);
        }

        var ticks = net.Select(kv => new TickSnapshot(kv.Key, kv.Value, BigInteger.Abs(kv.Value))).ToList();
        var active = ticks.Where(t => t.Index <= 0).Aggregate(BigInteger.Zero, (sum, t) => sum + t.LiquidityNet);
        var pool = new UniswapV3PoolSnapshot(
            Address.Parse("0x3416cf6c708da44db2624d63ea0aaef7113527c6"), "USDC", "USDT", 100, 1, Q96, 0, active, ticks, null, null, "test");
        var baseMarket = MarketBuilder.AMarket().Build();
        var snapshot = baseMarket with
        {
            Tokens = [.. baseMarket.Tokens, new SnapshotToken("USDT", Address.Parse("0xdac17f958d2ee523a2206206994597c13d831ec7"), 6, "test")],
            Prices = [.. baseMarket.Prices, new MarketPrice("USDT", 1_00000000, 8, "test")],
            Pools = [pool],
        };
        return new MarketState(snapshot, TestScenarios.InstantShock("1"));
    }
}
