using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// A Chainlink-style push feed: publishes the observed external price when it deviates from
/// the last answer by at least the threshold, or when the heartbeat has elapsed. An optional
/// delay makes it observe the price of some blocks ago. A derived feed (Aave's CAPO pricing of
/// wstETH) is its base feed's answer times a fixed exchange rate.
/// </summary>
public sealed class OracleFeed
{
    private readonly Queue<BigInteger> _observed = new();

    public OracleFeed(string asset, BigInteger answer, long updatedAt, int deviationBps, int heartbeatSeconds, int delayBlocks, OracleFeed? baseFeed, BigInteger? ratioWad)
    {
        if (answer.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(answer), $"oracle answer for {asset} must be positive");
        }

        Asset = asset;
        Answer = answer;
        UpdatedAt = updatedAt;
        DeviationBps = deviationBps;
        HeartbeatSeconds = heartbeatSeconds;
        DelayBlocks = delayBlocks;
        BaseFeed = baseFeed;
        RatioWad = ratioWad;
    }

    public string Asset { get; }

    /// <summary>Current answer, USD with 8 decimals.</summary>
    public BigInteger Answer { get; private set; }

    public long UpdatedAt { get; private set; }

    public int DeviationBps { get; }

    public int HeartbeatSeconds { get; }

    public int DelayBlocks { get; }

    public OracleFeed? BaseFeed { get; }

    public BigInteger? RatioWad { get; }

    public bool IsDerived => BaseFeed is not null;

    /// <summary>Replaces the answer with one computed elsewhere (a TWAP mitigation); true when it changed.</summary>
    public bool Publish(BigInteger answer, long timestamp)
    {
        var changed = answer != Answer;
        Answer = BigInteger.Max(answer, BigInteger.One);
        UpdatedAt = timestamp;
        return changed;
    }

    /// <summary>Advances one block; returns true when the answer changed.</summary>
    public bool Observe(BigInteger externalPrice, long timestamp)
    {
        if (BaseFeed is not null)
        {
            var derived = BaseFeed.Answer * RatioWad!.Value / WadRayMath.Wad;
            var changed = derived != Answer;
            Answer = derived;
            UpdatedAt = BaseFeed.UpdatedAt;
            return changed;
        }

        _observed.Enqueue(externalPrice);
        if (_observed.Count <= DelayBlocks)
        {
            return false;
        }

        var seen = _observed.Dequeue();
        var deviation = BigInteger.Abs(seen - Answer) * 10_000;
        var stale = timestamp - UpdatedAt >= HeartbeatSeconds;
        if (deviation >= Answer * DeviationBps || stale)
        {
            var changed = seen != Answer;
            Answer = seen;
            UpdatedAt = timestamp;
            return changed;
        }

        return false;
    }
}
