using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The TWAP-oracle mitigation: the protocol prices one asset at the arithmetic mean of a pool's
/// price over the last N blocks instead of its Chainlink feed. Each block's sample is taken at the
/// block's start, before arbitrage: the price the previous block left, liquidators' sales included,
/// which is what a Uniswap accumulator records at a block's first trade. So the oracle lags a move,
/// and whatever presses the pool (a liquidation sale, a manipulator) presses the oracle too.
/// </summary>
internal sealed class TwapOracle
{
    private readonly int _asset;
    private readonly int _pool;
    private readonly int _window;
    private readonly Queue<BigInteger> _samples = new();
    private BigInteger _sum;

    public TwapOracle(TwapOracleSpec spec, MarketState state, int?[] referencePools)
    {
        _asset = state.AssetIndex(spec.Asset);
        _window = spec.WindowBlocks;
        if (state.Feeds[_asset] is not { IsDerived: false })
        {
            throw new InvalidOperationException($"twapOracle: {spec.Asset} needs a Chainlink feed in the snapshot for the TWAP to replace");
        }

        _pool = spec.Pool is null
            ? referencePools[_asset] ?? throw new InvalidOperationException($"twapOracle: no pool prices {spec.Asset} against a dollar numeraire; name one with 'pool'")
            : state.Pools.FindIndex(p => p.Address == Address.Parse(spec.Pool));
        if (_pool < 0 || (state.Pools[_pool].Token0.Symbol != spec.Asset && state.Pools[_pool].Token1.Symbol != spec.Asset))
        {
            throw new InvalidOperationException($"twapOracle: pool {spec.Pool} is not in the snapshot or does not hold {spec.Asset}");
        }

        // The pool is taken as steady before the snapshot: the window starts full of its price then.
        var start = state.PoolPriceUsd(state.Pools[_pool], _asset);
        for (var k = 0; k < _window; k++)
        {
            Push(start);
        }
    }

    public string Asset(MarketState state) => state.Tokens[_asset].Symbol;

    /// <summary>The mean of the window (USD, 8 decimals), rounded down.</summary>
    public BigInteger Answer => _sum / _window;

    /// <summary>Takes this block's sample: call at the block's start, before arbitrage.</summary>
    public void Sample(MarketState state) => Push(state.PoolPriceUsd(state.Pools[_pool], _asset));

    private void Push(BigInteger price)
    {
        _samples.Enqueue(price);
        _sum += price;
        if (_samples.Count > _window)
        {
            _sum -= _samples.Dequeue();
        }
    }
}
