using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Synthetic;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>Arbitrage pulls every pool back inside its fee band around the external price.</summary>
public class ArbitrageurTests
{
    [Theory]
    [InlineData("0.8")]
    [InlineData("1.25")]
    public void Every_pool_of_the_default_market_returns_inside_its_fee_band_after_a_price_jump(string multiplier)
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 50 });
        var state = new MarketState(snapshot, TestScenarios.InstantShock("0.9"));
        var weth = state.AssetIndex("WETH");
        state.External[weth] = state.External[weth] * Wad(multiplier) / Wad("1");
        var wsteth = state.AssetIndex("wstETH");
        state.External[wsteth] = state.External[wsteth] * Wad(multiplier) / Wad("1");

        new Arbitrageur(state, gasCostUsd8: 0).Run();

        foreach (var pool in state.Pools)
        {
            var a0 = state.AssetIndex(pool.Token0);
            var a1 = state.AssetIndex(pool.Token1);
            // pool price of token0 in USD vs external, allowing the fee band and one-tick granularity
            var poolUsd = state.PoolPriceUsd(pool, a0);
            var ext = state.External[a0];
            var gap = Math.Abs((double)(poolUsd - ext) / (double)ext);
            var band = pool.FeePips / 1e6 + 0.0002;
            Assert.True(gap <= band, $"{pool.Kind} {pool.Token0}/{pool.Token1} fee {pool.FeePips}: pool {poolUsd} vs external {ext} (gap {gap:P3}, band {band:P3})");
        }
    }

    private static BigInteger Wad(string x) => Core.Primitives.FixedPoint.Parse(x, 18);
}
