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
    public RouteQuote Best(string tokenIn, string tokenOut, BigInteger amountIn)
    {
        RouteQuote best = default;
        foreach (var route in Routes(tokenIn, tokenOut))
        {
            var quote = Quote(route, amountIn);
            var better = best.Route is null
                || (quote.Filled && !best.Filled)
                || (quote.Filled == best.Filled && quote.AmountOut > best.AmountOut);
            if (better)
            {
                best = quote;
            }
        }

        return best;
    }

    public RouteQuote Quote(Route route, BigInteger amountIn) => Walk(route, amountIn, execute: false);

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
            var request = new SwapRequest(zeroForOne, amount, ExactInput: true);
            var result = execute ? _pools[pool].Swap(request) : _pools[pool].Quote(request);
            if (execute)
            {
                Log?.Add(new SwapAction(SwapPurpose.Sale, pool, _pools[pool].Address, zeroForOne, amount, null, result.AmountIn, result.AmountOut, h));
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
