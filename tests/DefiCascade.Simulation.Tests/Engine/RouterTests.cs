using System.Numerics;
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
}
