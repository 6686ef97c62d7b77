using System.Numerics;
using DefiCascade.Amm;

namespace DefiCascade.Simulation.Engine;

/// <summary>One way to sell a token for another: up to three pool hops.</summary>
public sealed record Route(IReadOnlyList<(int Pool, bool ZeroForOne)> Hops);

/// <summary>The outcome of selling an amount along a route.</summary>
public readonly record struct RouteQuote(Route? Route, BigInteger AmountIn, BigInteger AmountOut, SwapStop Stop, int TicksCrossed)
{
    public bool Filled => Route is not null && Stop == SwapStop.Filled;
}

/// <summary>
/// Finds routes between tokens (direct pools and paths of up to three hops through pool tokens) and
/// picks the one that pays most for a given amount, quoting each exactly on current pool state.
/// Known simplification: an order goes down one route, not split across pools.
/// </summary>
public sealed class Router
{
    public const int MaxHops = 3;

    private readonly List<IAmmPool> _pools;
    private readonly Dictionary<(string In, string Out), List<Route>> _routes = new();
    private readonly Dictionary<(string In, string Out, BigInteger Amount), RouteQuote> _probes = new();

    public Router(List<IAmmPool> pools) => _pools = pools;

    /// <summary>Receives each hop of an executed route (null: none kept).</summary>
    public IActionLog? Log { get; init; }

    /// <summary>All simple paths of up to <see cref="MaxHops"/> pools from one token to another (no token visited twice).</summary>
    public IReadOnlyList<Route> Routes(string tokenIn, string tokenOut)
    {
        if (_routes.TryGetValue((tokenIn, tokenOut), out var cached))
        {
            return cached;
        }

        var routes = new List<Route>();
        var hops = new List<(int Pool, bool ZeroForOne)>();
        var visited = new HashSet<string> { tokenIn };

        void Extend(string from)
        {
            for (var p = 0; p < _pools.Count; p++)
            {
                if (Leg(p, from) is not { } zeroForOne)
                {
                    continue;
                }

                var next = Other(p, zeroForOne);
                if (visited.Contains(next))
                {
                    continue;
                }

                hops.Add((p, zeroForOne));
                if (next == tokenOut)
                {
                    routes.Add(new Route([.. hops]));
                }
                else if (hops.Count < MaxHops)
                {
                    visited.Add(next);
                    Extend(next);
                    visited.Remove(next);
                }

                hops.RemoveAt(hops.Count - 1);
            }
        }

        Extend(tokenIn);
        routes.Sort((a, b) => a.Hops.Count.CompareTo(b.Hops.Count));
        _routes[(tokenIn, tokenOut)] = routes;
        return routes;
    }

    /// <summary>The best filled quote for selling <paramref name="amountIn"/>; if none fills, the best partial one.</summary>
    /// <remarks>
    /// The best is the route with the most output among those that fill (among all when none does), the first in
    /// the routes' fixed order on a tie. Routes are quoted from the highest <see cref="RateBound"/> down, as the
    /// likeliest to pay most, and a route is skipped without quoting when a filled quote is in hand and its bound
    /// proves it cannot pay more, so it could not have been the best anyway. The order of quoting changes only
    /// how many routes are skipped, not the answer (RouterTests compares it with quoting every route).
    /// </remarks>
    public RouteQuote Best(string tokenIn, string tokenOut, BigInteger amountIn)
    {
        var routes = Routes(tokenIn, tokenOut);
        var count = routes.Count;
        Span<double> bounds = count <= 16 ? stackalloc double[count] : new double[count];
        Span<int> order = count <= 16 ? stackalloc int[count] : new int[count];
        for (var k = 0; k < count; k++)
        {
            // Insertion by falling bound; equal bounds keep the routes' order.
            var bound = RateBound(routes[k]);
            var at = k;
            for (; at > 0 && bounds[at - 1] < bound; at--)
            {
                (bounds[at], order[at]) = (bounds[at - 1], order[at - 1]);
            }

            (bounds[at], order[at]) = (bound, k);
        }

        RouteQuote best = default;
        var bestIndex = -1;
        var amount = (double)amountIn;
        for (var k = 0; k < count; k++)
        {
            if (best.Filled && amount * bounds[k] * (1 + RateSlack) < (double)best.AmountOut * (1 - RateSlack))
            {
                RoutesSkipped++;
                continue;
            }

            var index = order[k];
            var quote = Quote(routes[index], amountIn);
            var better = best.Route is null
                || (quote.Filled && !best.Filled)
                || (quote.Filled == best.Filled && (quote.AmountOut > best.AmountOut || (quote.AmountOut == best.AmountOut && index < bestIndex)));
            if (better)
            {
                (best, bestIndex) = (quote, index);
            }
        }

        return best;
    }

    public RouteQuote Quote(Route route, BigInteger amountIn) => Walk(route, amountIn, execute: false);

    /// <summary>Route quotes <see cref="Best"/> skipped by the rate bound so far.</summary>
    public long RoutesSkipped { get; private set; }

    // Relative slack over the double rounding of prices and amounts (~1e-15 each).
    private const double RateSlack = 1e-9;
    private static readonly double Q96 = Math.Pow(2, 96);

    /// <summary>
    /// An upper bound on the route's output per unit of input at any size: each hop pays at most its
    /// current marginal price net of its fee (a swap moves the price against the seller and rounds its
    /// output down; V2's constant product likewise), and a hop's output is the next hop's input. The
    /// Q64.96 price may be floored (V2 derives it from its reserves), so the bound takes (sqrtP + 1)^2
    /// selling token0 and 1 / sqrtP^2 selling token1; an empty side (sqrtP 0) bounds nothing.
    /// </summary>
    public double RateBound(Route route)
    {
        var rate = 1.0;
        foreach (var (pool, zeroForOne) in route.Hops)
        {
            var amm = _pools[pool];
            var sqrt = (double)amm.SqrtPriceX96 / Q96;
            if (!(sqrt > 0) || double.IsInfinity(sqrt))
            {
                return double.PositiveInfinity;
            }

            // (sqrtP + 1) / sqrtP <= 1 + 2^-32 above MIN_SQRT_RATIO: inside the slack.
            var price = zeroForOne ? sqrt * sqrt * (1 + RateSlack) : 1 / (sqrt * sqrt);
            rate *= price * (1 - (amm.FeePips / 1_000_000.0)) * (1 + RateSlack);
        }

        return rate;
    }

    public RouteQuote Execute(Route route, BigInteger amountIn)
    {
        PoolsMoved();
        return Walk(route, amountIn, execute: true);
    }

    /// <summary>
    /// The best quote for a small reference amount, cached until a pool moves: the near-marginal
    /// rate a sale of any size cannot beat (swap output is concave in the input).
    /// </summary>
    public RouteQuote Probe(string tokenIn, string tokenOut, BigInteger amountIn)
    {
        if (!_probes.TryGetValue((tokenIn, tokenOut, amountIn), out var quote))
        {
            quote = Best(tokenIn, tokenOut, amountIn);
            _probes[(tokenIn, tokenOut, amountIn)] = quote;
        }

        return quote;
    }

    /// <summary>Forget cached probes: a pool traded outside this router (arbitrage).</summary>
    public void PoolsMoved() => _probes.Clear();

    private RouteQuote Walk(Route route, BigInteger amountIn, bool execute)
    {
        var amount = amountIn;
        var ticks = 0;
        var stop = SwapStop.Filled;
        BigInteger firstIn = 0;
        for (var h = 0; h < route.Hops.Count; h++)
        {
            var (pool, zeroForOne) = route.Hops[h];
            SwapAmounts result;
            if (execute)
            {
                var swap = _pools[pool].Swap(new SwapRequest(zeroForOne, amount, ExactInput: true));
                Log?.Add(new SwapAction(SwapPurpose.Sale, pool, _pools[pool].Address, zeroForOne, amount, null, swap.AmountIn, swap.AmountOut, h));
                result = new SwapAmounts(swap.AmountIn, swap.AmountOut, swap.Stop, swap.TicksCrossed);
            }
            else
            {
                result = _pools[pool].QuoteExactInput(zeroForOne, amount);
            }

            if (h == 0)
            {
                firstIn = result.AmountIn;
            }

            ticks += result.TicksCrossed;
            if (result.Stop != SwapStop.Filled || result.AmountIn != amount)
            {
                stop = result.Stop == SwapStop.Filled ? SwapStop.OutOfLiquidity : result.Stop;
            }

            amount = result.AmountOut;
            if (amount.IsZero)
            {
                break;
            }
        }

        return new RouteQuote(route, firstIn, amount, stop, ticks);
    }

    private bool? Leg(int pool, string tokenIn) =>
        _pools[pool].Token0.Symbol == tokenIn ? true : _pools[pool].Token1.Symbol == tokenIn ? false : null;

    private string Other(int pool, bool zeroForOne) => zeroForOne ? _pools[pool].Token1.Symbol : _pools[pool].Token0.Symbol;
}
