using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V2;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Everything that changes during a run: external prices, endogenous impact, oracle feeds,
/// pool states and lending books. Built from a snapshot and a scenario.
/// </summary>
public sealed class MarketState
{
    private readonly Dictionary<string, int> _assetIndex;

    public MarketState(MarketSnapshot snapshot, Scenario scenario, bool naiveRescan = false)
    {
        Snapshot = snapshot;
        Tokens = snapshot.Tokens.Select(t => t.ToToken()).ToArray();
        _assetIndex = Tokens.Select((t, i) => (t.Symbol, i)).ToDictionary(x => x.Symbol, x => x.i, StringComparer.Ordinal);

        StartPrices = new BigInteger[Tokens.Count];
        // tokens named only by markets the engine does not simulate (Morpho Blue's) need no USD price; any other does.
        var simulated = snapshot.AaveV3Markets.SelectMany(m => m.Reserves.Select(r => r.Asset))
            .Concat(snapshot.Pools.SelectMany(p => new[] { p.Token0, p.Token1 }))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var token in Tokens)
        {
            var price = snapshot.Prices.FirstOrDefault(p => p.Asset == token.Symbol);
            if (price is null && simulated.Contains(token.Symbol))
            {
                throw new InvalidOperationException($"snapshot has no market price for {token.Symbol}; a missing price is an error");
            }

            StartPrices[AssetIndex(token.Symbol)] = price is null ? BigInteger.Zero : To8Decimals(price.UsdAnswer, price.Decimals);
        }

        External = (BigInteger[])StartPrices.Clone();
        ImpactWad = Enumerable.Repeat(WadRayMath.Wad, Tokens.Count).ToArray();
        Feeds = BuildFeeds(snapshot, scenario);
        Pools = snapshot.Pools.Select(BuildPool).ToList();
        Books = snapshot.AaveV3Markets.Select(m => new LendingBook(m, this, naiveRescan)).ToList();
    }

    public MarketSnapshot Snapshot { get; }

    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>USD prices (8 decimals) at the snapshot block.</summary>
    public BigInteger[] StartPrices { get; }

    /// <summary>Current external (off-chain) USD prices, 8 decimals: exogenous path times impact.</summary>
    public BigInteger[] External { get; }

    /// <summary>Cumulative endogenous impact of liquidators' net flows per asset (wad).</summary>
    public BigInteger[] ImpactWad { get; }

    public OracleFeed?[] Feeds { get; }

    public List<IAmmPool> Pools { get; }

    public List<LendingBook> Books { get; }

    public int AssetIndex(string symbol) =>
        _assetIndex.TryGetValue(symbol, out var i) ? i : throw new KeyNotFoundException($"asset '{symbol}' is not in the snapshot");

    public int AssetIndex(Token token) => AssetIndex(token.Symbol);

    /// <summary>USD value (8 decimals) of a raw amount at the current external price.</summary>
    public BigInteger ExternalValue(int asset, BigInteger raw) => raw * External[asset] / Tokens[asset].Unit;

    /// <summary>The pool's mid price of <paramref name="asset"/> in USD (8 decimals), valuing the other side at its external price.</summary>
    public BigInteger PoolPriceUsd(IAmmPool pool, int asset)
    {
        var sqrt = pool.SqrtPriceX96;
        var q192 = BigInteger.One << 192;
        if (pool.Token0.Symbol == Tokens[asset].Symbol)
        {
            var other = External[AssetIndex(pool.Token1)];
            return sqrt * sqrt * other * pool.Token0.Unit / (q192 * pool.Token1.Unit);
        }

        var otherPrice = External[AssetIndex(pool.Token0)];
        return sqrt.IsZero ? BigInteger.Zero : q192 * otherPrice * pool.Token1.Unit / (sqrt * sqrt * pool.Token0.Unit);
    }

    private static BigInteger To8Decimals(BigInteger answer, int decimals) =>
        decimals >= 8 ? answer / UInt256.Pow10(decimals - 8) : answer * UInt256.Pow10(8 - decimals);

    private OracleFeed?[] BuildFeeds(MarketSnapshot snapshot, Scenario scenario)
    {
        var feeds = new OracleFeed?[Tokens.Count];
        // Chainlink feeds first, so derived feeds can point at their base.
        foreach (var feed in snapshot.Oracles.OrderBy(f => f.Kind == "derived" ? 1 : 0))
        {
            var asset = AssetIndex(feed.Asset);
            scenario.Oracles.TryGetValue(feed.Asset, out var over);
            var baseFeed = feed.BaseAsset is null ? null
                : feeds[AssetIndex(feed.BaseAsset)] ?? throw new InvalidOperationException($"derived oracle {feed.Asset} needs a feed for {feed.BaseAsset}");
            feeds[asset] = new OracleFeed(
                feed.Asset,
                To8Decimals(feed.Answer, feed.Decimals),
                snapshot.BlockTimestamp,
                over?.DeviationBps ?? feed.DeviationBps,
                over?.HeartbeatSeconds ?? feed.HeartbeatSeconds,
                over?.DelayBlocks ?? 0,
                baseFeed,
                feed.RatioWad);
        }

        return feeds;
    }

    private IAmmPool BuildPool(PoolSnapshot pool) => pool switch
    {
        UniswapV2PoolSnapshot v2 => UniswapV2Pool.FromSnapshot(v2, Tokens[AssetIndex(v2.Token0)], Tokens[AssetIndex(v2.Token1)]),
        UniswapV3PoolSnapshot v3 => UniswapV3Pool.FromSnapshot(v3, Tokens[AssetIndex(v3.Token0)], Tokens[AssetIndex(v3.Token1)]),
        _ => throw new InvalidOperationException($"pool {pool.Address}: kind '{pool.Kind}' is not supported"),
    };
}
