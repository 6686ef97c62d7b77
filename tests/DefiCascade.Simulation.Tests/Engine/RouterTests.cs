using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V2;
using DefiCascade.Core.Primitives;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Synthetic;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// Router.Best skips a route without quoting it when its rate bound (each hop's marginal price net of
/// its fee) proves it cannot beat the filled quote in hand. The bound must hold for every route and
/// size, and the pruned search must pick the same quote as quoting every route.
/// </summary>
public class RouterTests
{
    [Fact]
    public void Rate_bound_caps_every_quote_and_pruned_best_equals_the_full_scan()
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 50 });
        var state = new MarketState(snapshot, TestScenarios.InstantShock("0.9"));
        var router = new Router(state.Pools);
        var symbols = state.Tokens.Select(t => t.Symbol).ToList();
        var random = new Random(77);
        var (checkedQuotes, tight) = (0, 0);
        foreach (var sold in symbols)
        {
            foreach (var bought in symbols.Where(s => s != sold))
            {
                var routes = router.Routes(sold, bought);
                if (routes.Count == 0)
                {
                    continue;
                }

                var unit = state.Tokens[state.AssetIndex(sold)].Unit;
                var usd = state.External[state.AssetIndex(sold)];
                for (var k = 0; k < 12; k++)
                {
                    // From 1 USD to ~100M USD worth, log-uniform.
                    var dollars = Math.Pow(10, random.NextDouble() * 8);
                    var amount = BigInteger.Max(1, new BigInteger(dollars * 1e8) * unit / usd);
                    RouteQuote full = default;
                    foreach (var route in routes)
                    {
                        var quote = router.Quote(route, amount);
                        Assert.True((double)quote.AmountOut <= (double)amount * router.RateBound(route) * (1 + 1e-9),
                            $"{sold}->{bought} over {route.Hops.Count} hops: {quote.AmountOut} out for {amount} in beats the rate bound {router.RateBound(route)}");
                        tight += (double)quote.AmountOut > 0.9 * (double)amount * router.RateBound(route) ? 1 : 0;
                        var better = full.Route is null || (quote.Filled && !full.Filled) || (quote.Filled == full.Filled && quote.AmountOut > full.AmountOut);
                        full = better ? quote : full;
                        checkedQuotes++;
                    }

                    var best = router.Best(sold, bought, amount);
                    Assert.Equal(full.Route, best.Route);
                    Assert.Equal(full.AmountOut, best.AmountOut);
                    Assert.Equal(full.Stop, best.Stop);
                }
            }
        }

        // The bound is a real cap, not a loose one: small sales come within 10% of it.
        Assert.True(checkedQuotes > 500 && tight > checkedQuotes / 10, $"{checkedQuotes} quotes, {tight} within 10% of the bound");
        Assert.True(router.RoutesSkipped > 0, "the pruned search should skip some routes");
    }

    [Fact]
    public void Best_keeps_the_first_route_on_a_tie_even_when_a_later_route_has_the_higher_bound()
    {
        // Two direct WETH/USDC pools; the second prices WETH 10% higher, so its rate bound is higher and Best quotes
        // it first. One wei of WETH buys 0 USDC in both (2000e6 / 1e18 per wei rounds down), so neither fills (the pair
        // reverts INSUFFICIENT_OUTPUT_AMOUNT): a tie at zero, which the first route in the routes' order wins, as
        // quoting every route in order would pick.
        var weth = new Token("WETH", Address.FromNumber(1, 1), 18);
        var usdc = new Token("USDC", Address.FromNumber(1, 2), 6);
        var e18 = BigInteger.Pow(10, 18);
        var pools = new List<IAmmPool>
        {
            new UniswapV2Pool(Address.FromNumber(2, 1), weth, usdc, 1000 * e18, 2000 * BigInteger.Pow(10, 6) * 1000),
            new UniswapV2Pool(Address.FromNumber(2, 2), weth, usdc, 1000 * e18, 2200 * BigInteger.Pow(10, 6) * 1000),
        };
        var router = new Router(pools);
        var routes = router.Routes("WETH", "USDC");
        Assert.Equal(2, routes.Count);
        Assert.True(router.RateBound(routes[1]) > router.RateBound(routes[0]));

        var tie = router.Best("WETH", "USDC", BigInteger.One);
        Assert.False(tie.Filled);
        Assert.Equal(BigInteger.Zero, tie.AmountOut);
        Assert.Same(routes[0], tie.Route);

        // A real sale goes to the better-priced pool.
        Assert.Same(routes[1], router.Best("WETH", "USDC", e18).Route);
    }
}
