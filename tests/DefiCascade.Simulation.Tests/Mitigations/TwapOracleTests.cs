using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Tests.Support;
using ScenarioMitigations = DefiCascade.Simulation.Scenarios.Mitigations;

namespace DefiCascade.Simulation.Tests.Mitigations;

/// <summary>
/// The TWAP oracle against Chainlink on the market of <see cref="MitigationEngineTests"/>: three positions
/// of 10 WETH against 15,000 USDC, below HF 1 once WETH's oracle reads under 15,000 / (10 x 0.825) = $1,818.18.
/// </summary>
public class TwapOracleTests
{
    private const int Window = 10;

    private static MarketBuilder ThreePositions() =>
        MarketBuilder.AMarket().WithPosition(10, 15_000).WithPosition(10, 15_000).WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000);

    private static Scenario Twap(Scenario scenario) =>
        scenario with { Mitigations = new ScenarioMitigations(null, null, new TwapOracleSpec("WETH", Window, null)) };

    [Fact]
    public void The_twap_lags_the_shock_so_liquidations_start_when_the_window_has_forgotten_the_old_price()
    {
        // Chainlink publishes $1,800 in block 1. The TWAP's sample at block b is the pool price block b-1 left:
        // $2,000 for b = 1, ~$1,805 (arbitraged to within the 0.3% fee) after. It falls under $1,818.18 only once
        // all ten samples are post-shock: at block 11.
        var chainlink = new CascadeEngine(ThreePositions().Build(), TestScenarios.InstantShock("0.9", settleBlocks: 30), seed: 1).Run();
        var twap = new CascadeEngine(ThreePositions().Build(), Twap(TestScenarios.InstantShock("0.9", settleBlocks: 30)), seed: 1).Run();

        Assert.Equal(1, chainlink.Liquidations.Min(e => e.Block));
        Assert.Equal(11, twap.Liquidations.Min(e => e.Block));
        Assert.Equal(3, twap.Liquidations.Select(e => e.User).Distinct().Count());
        var effect = twap.Mitigation!.Effect!;
        Assert.Equal(chainlink.Totals.DebtRepaidUsd, effect.DebtRepaidUsdWithout);
        Assert.True(effect.BlocksSimulated > effect.BlocksSimulatedWithout);
        Assert.Single(twap.Header.Assumptions, a => a.Name == "mitigation: TWAP oracle WETH");
    }

    [Fact]
    public void The_oracle_is_the_floor_mean_of_the_pool_prices_the_previous_blocks_left()
    {
        // No off-chain depth for USDC: the pool's USDC side is then worth $1 at the end of a block and at the next one's start.
        var shock = TestScenarios.InstantShock("0.9", settleBlocks: 30);
        shock = shock with { Market = shock.Market with { OffChainDepthUsdPerPercent = new Dictionary<string, BigInteger> { ["WETH"] = 50_000_000 } } };
        var engine = new CascadeEngine(ThreePositions().Build(), Twap(shock), seed: 1);
        var weth = engine.State.AssetIndex("WETH");
        var start = engine.State.PoolPriceUsd(engine.State.Pools[0], weth);
        var result = engine.Run();

        // Pool[b] is the price at the end of block b: liquidators' sales included, so they feed the next samples.
        var samples = Enumerable.Repeat(start, Window + 1).Concat(result.Blocks.Select(b => b.Pool[weth])).ToList();
        foreach (var record in result.Blocks)
        {
            var window = samples.Skip(record.Block).Take(Window).Aggregate(BigInteger.Zero, (s, x) => s + x);
            Assert.Equal(window / Window, record.Oracle[weth]);
        }

        Assert.NotEqual(start, result.Blocks[^1].Oracle[weth]);
    }

    [Fact]
    public void The_twap_reads_the_pool_not_the_market_so_a_pool_nobody_arbitrages_holds_the_oracle_up()
    {
        // Arbitrage that costs 500M gas (5 ETH, ~$9,000 at 10 gwei) cannot pay on a $2M pool 10% off the market (it would
        // earn a few thousand dollars): the pool stays at $2,000 while the external price falls 10%. Chainlink follows the
        // market and liquidates; the TWAP follows the pool and does not.
        Scenario NoArbitrage(Scenario s) => s with { Market = s.Market with { ArbitrageGas = 500_000_000 } };
        var market = MarketBuilder.AMarket().WithPosition(10, 15_000).WithV2Pool(1_000_000, 500);

        var chainlink = new CascadeEngine(market.Build(), NoArbitrage(TestScenarios.InstantShock("0.9", gasPriceGwei: 10)), seed: 1).Run();
        var twap = new CascadeEngine(market.Build(), NoArbitrage(Twap(TestScenarios.InstantShock("0.9", gasPriceGwei: 10))), seed: 1).Run();

        Assert.NotEmpty(chainlink.Liquidations);
        Assert.Empty(twap.Liquidations);
        Assert.Equal(0, twap.Totals.AccountsLeftBelowHfOne);
        Assert.Equal(chainlink.Totals.DebtRepaidUsd, twap.Mitigation!.Effect!.DebtRepaidUsdWithout);
    }

    [Fact]
    public void A_pool_that_is_not_in_the_snapshot_is_refused_when_the_engine_is_built()
    {
        var scenario = TestScenarios.InstantShock("0.9") with
        {
            Mitigations = new ScenarioMitigations(null, null, new TwapOracleSpec("WETH", 5, "0x00000000000000000000000000000000000000ff")),
        };

        var e = Assert.Throws<InvalidOperationException>(() => new CascadeEngine(ThreePositions().Build(), scenario, seed: 1));
        Assert.Contains("twapOracle: pool 0x00000000000000000000000000000000000000ff is not in the snapshot", e.Message, StringComparison.Ordinal);
    }
}
