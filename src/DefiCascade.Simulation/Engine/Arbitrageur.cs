using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Trades each pool toward the external price, stopping where the pool's fee-adjusted marginal
/// price meets it (beyond that point the trade loses), and only when the trade pays its gas at
/// external prices. Off-chain liquidity on the other side is assumed deep (the external price).
/// Trading to the fee band's edge is the most profitable size (every earlier unit pays), so when that
/// trade does not pay its gas no smaller one does. A pool whose book ends before the band is drained of
/// the token arbitrage buys: the run lists it (<see cref="PoolsOutOfLiquidity"/>) with the price where its
/// liquidity ends. A V3 pool's own price goes on past that edge to the band for nothing, as the contract's
/// loop does; a V2 pool (or a partly read book) stays at the edge.
/// </summary>
public sealed class Arbitrageur(MarketState state, BigInteger gasCostUsd8)
{
    private static readonly BigInteger Million = 1_000_000;

    private readonly Dictionary<(int Pool, bool ZeroForOne), Edge> _edges = new();

    public BigInteger GasCostUsd8 { get; set; } = gasCostUsd8;

    /// <summary>Receives each trade made (null: none kept).</summary>
    public IActionLog? Log { get; init; }

    /// <summary>Returns the number of arbitrage trades executed.</summary>
    public int Run() => Run(block: 0);

    /// <summary>Arbitrages every pool in <paramref name="block"/>; returns the number of trades executed.</summary>
    public int Run(int block)
    {
        var trades = 0;
        for (var p = 0; p < state.Pools.Count; p++)
        {
            if (TryArbitrage(p, block))
            {
                trades++;
            }
        }

        return trades;
    }

    /// <summary>The pools whose book ran out before arbitrage reached the external price, in the order they first did.</summary>
    public IReadOnlyList<PoolOutOfLiquidity> PoolsOutOfLiquidity() =>
        _edges.OrderBy(e => e.Value.FirstBlock).ThenBy(e => e.Key.Pool).ThenBy(e => e.Key.ZeroForOne)
            .Select(e =>
            {
                var pool = state.Pools[e.Key.Pool];
                var ranOut = e.Key.ZeroForOne ? pool.Token1 : pool.Token0;
                return new PoolOutOfLiquidity(
                    pool.Address, pool.Kind, pool.FeePips, pool.Token0.Symbol, pool.Token1.Symbol, ranOut.Symbol,
                    e.Value.Stop, e.Value.FirstBlock, e.Value.LastBlock, e.Value.Blocks, e.Value.SqrtPriceX96, e.Value.Tick,
                    PoolPricing.PriceToken0InToken1(e.Value.SqrtPriceX96, pool.Token0.Decimals, pool.Token1.Decimals));
            })
            .ToList();

    private bool TryArbitrage(int p, int block)
    {
        var pool = state.Pools[p];
        var a0 = state.AssetIndex(pool.Token0);
        var a1 = state.AssetIndex(pool.Token1);
        var numerator = state.External[a0] * pool.Token1.Unit;
        var denominator = state.External[a1] * pool.Token0.Unit;
        var fee = new BigInteger(pool.FeePips);

        // Pool overprices token0 beyond the fee band: sell token0 into it down to ext / (1 - fee).
        var upper = PoolPricing.SqrtPriceX96FromRatio(numerator * Million, denominator * (Million - fee));
        var lower = PoolPricing.SqrtPriceX96FromRatio(numerator * (Million - fee), denominator * Million);
        var current = pool.SqrtPriceX96;
        SwapRequest request;
        if (current > upper)
        {
            request = new SwapRequest(true, Huge(pool.Balance1, pool.Balance0), true, Clamp(upper));
        }
        else if (current < lower)
        {
            request = new SwapRequest(false, Huge(pool.Balance0, pool.Balance1), true, Clamp(lower));
        }
        else
        {
            return false;
        }

        var quote = pool.Quote(request);
        var atEdge = quote.Stop is SwapStop.OutOfLiquidity or SwapStop.DataExhausted;
        if (quote.AmountIn.IsZero)
        {
            if (atEdge)
            {
                NoteEdge(p, request.ZeroForOne, quote, block);
            }

            return false;
        }

        var (inAsset, outAsset) = request.ZeroForOne ? (a0, a1) : (a1, a0);
        var profit = state.ExternalValue(outAsset, quote.AmountOut) - state.ExternalValue(inAsset, quote.AmountIn);
        if (profit <= GasCostUsd8)
        {
            // gas, not the book, stops this one: the pool is left short of its edge.
            return false;
        }

        pool.Swap(request);
        Log?.Add(new SwapAction(SwapPurpose.Arbitrage, p, pool.Address, request.ZeroForOne, request.Amount, request.SqrtPriceLimitX96, quote.AmountIn, quote.AmountOut, 0));
        if (atEdge)
        {
            NoteEdge(p, request.ZeroForOne, quote, block);
        }

        return true;
    }

    // The book ends before the fee band: the pool is drained up to the edge of its liquidity (this block or before).
    private void NoteEdge(int pool, bool zeroForOne, SwapResult quote, int block)
    {
        var edge = _edges.TryGetValue((pool, zeroForOne), out var seen)
            ? seen with { LastBlock = block, Blocks = seen.Blocks + 1 }
            : new Edge(quote.Stop, block, block, 1, 0, 0);
        // a V3 pool's price goes on past the end of its liquidity to the arbitrage's limit (the contract's walk through
        // empty words); the edge reported is where its liquidity ends, else (V2, a partly read book) where the swap stopped.
        _edges[(pool, zeroForOne)] = edge with
        {
            Stop = quote.Stop,
            SqrtPriceX96 = quote.EdgeSqrtPriceX96 ?? quote.SqrtPriceX96After,
            Tick = quote.EdgeTick ?? quote.TickAfter,
        };
    }

    // An input large enough that only the price limit (or the book) stops the swap.
    private static BigInteger Huge(BigInteger a, BigInteger b) => (BigInteger.Max(a, b) + 1) * 1_000_000_000;

    private static BigInteger Clamp(BigInteger sqrtLimit) =>
        BigInteger.Min(BigInteger.Max(sqrtLimit, TickMath.MinSqrtRatio + 1), TickMath.MaxSqrtRatio - 1);

    private sealed record Edge(SwapStop Stop, int FirstBlock, int LastBlock, int Blocks, BigInteger SqrtPriceX96, int Tick);
}
