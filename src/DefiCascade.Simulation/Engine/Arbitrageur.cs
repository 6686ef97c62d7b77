using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Trades each pool toward the external price, stopping where the pool's fee-adjusted marginal
/// price meets it (beyond that point the trade loses), and only when the trade pays its gas at
/// external prices. Off-chain liquidity on the other side is assumed deep (the external price).
/// </summary>
public sealed class Arbitrageur(MarketState state, BigInteger gasCostUsd8)
{
    private static readonly BigInteger Million = 1_000_000;

    public BigInteger GasCostUsd8 { get; set; } = gasCostUsd8;

    /// <summary>Returns the number of arbitrage trades executed.</summary>
    public int Run()
    {
        var trades = 0;
        foreach (var pool in state.Pools)
        {
            if (TryArbitrage(pool))
            {
                trades++;
            }
        }

        return trades;
    }

    private bool TryArbitrage(IAmmPool pool)
    {
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
        if (quote.AmountIn.IsZero)
        {
            return false;
        }

        var (inAsset, outAsset) = request.ZeroForOne ? (a0, a1) : (a1, a0);
        var profit = state.ExternalValue(outAsset, quote.AmountOut) - state.ExternalValue(inAsset, quote.AmountIn);
        if (profit <= GasCostUsd8)
        {
            return false;
        }

        pool.Swap(request);
        return true;
    }

    // An input large enough that only the price limit (or the book) stops the swap.
    private static BigInteger Huge(BigInteger a, BigInteger b) => (BigInteger.Max(a, b) + 1) * 1_000_000_000;

    private static BigInteger Clamp(BigInteger sqrtLimit) =>
        BigInteger.Min(BigInteger.Max(sqrtLimit, TickMath.MinSqrtRatio + 1), TickMath.MaxSqrtRatio - 1);
}
