using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The circuit-breaker mitigation: watches the oracle answers the protocol reads for every asset
/// that some reserve accepts as collateral, and trips in a block where one of them spans more than
/// the threshold (highest minus lowest, over the highest) across that block and the window before
/// it. It resets by itself once the window no longer holds the move.
/// </summary>
internal sealed class CircuitBreaker
{
    private readonly CircuitBreakerSpec _spec;
    private readonly int[] _assets;
    // Answers of the last WindowBlocks + 1 blocks per watched asset, oldest first; block 0 is the snapshot's.
    private readonly Queue<BigInteger>[] _history;

    public CircuitBreaker(CircuitBreakerSpec spec, MarketState state)
    {
        _spec = spec;
        _assets = state.Books
            .SelectMany(book => book.Market.Reserves.Where(r => r.LiquidationThresholdBps > 0).Select(r => state.AssetIndex(r.Token)))
            .Where(a => state.Feeds[a] is not null)
            .Distinct().Order().ToArray();
        _history = _assets.Select(a => new Queue<BigInteger>([state.Feeds[a]!.Answer])).ToArray();
    }

    /// <summary>Records this block's answers (call after the oracles update); true when liquidations pause.</summary>
    public bool Observe(MarketState state)
    {
        var tripped = false;
        for (var k = 0; k < _assets.Length; k++)
        {
            var window = _history[k];
            window.Enqueue(state.Feeds[_assets[k]]!.Answer);
            if (window.Count > _spec.WindowBlocks + 1)
            {
                window.Dequeue();
            }

            var high = window.Max();
            var low = window.Min();
            // (high - low) / high > movePercent / 100, cross-multiplied so it stays in integers.
            tripped |= (high - low) * 100 * WadRayMath.Wad > _spec.MovePercentWad * high;
        }

        return tripped;
    }
}
