using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Engine;

public class PricePathAndOracleTests
{
    private static readonly BigInteger P2000 = 2000_00000000;

    private static PricePath Path(string betaWbtc = "0.7", int noise = 0) => new(
        Scenario.Default with
        {
            DurationBlocks = 100,
            DriverPath = [new PathPoint(0, Wad.One), new PathPoint(100, Wad.FromDecimal("0.5"))],
            BetasWad = new Dictionary<string, BigInteger> { ["WETH"] = Wad.One, ["WBTC"] = Wad.FromDecimal(betaWbtc), ["USDC"] = 0 },
            NoiseBpsPerBlock = noise,
        },
        ["WETH", "WBTC", "USDC"], [P2000, 60_000_00000000, 1_00000000], seed: 7);

    [Fact]
    public void Driver_path_interpolates_linearly_and_others_follow_by_beta()
    {
        var path = Path();
        // Halfway: multiplier 0.75 -> WETH $1,500. WBTC beta 0.7: 1 + 0.7 * (0.75 - 1) = 0.825 -> $49,500. USDC beta 0: $1.
        Assert.Equal(new BigInteger(1500_00000000), path.Price(0, 50));
        Assert.Equal(new BigInteger(49_500_00000000), path.Price(1, 50));
        Assert.Equal(new BigInteger(1_00000000), path.Price(2, 50));
        Assert.Equal(new BigInteger(1000_00000000), path.Price(0, 100));
        Assert.Equal(new BigInteger(1000_00000000), path.Price(0, 500));
    }

    [Fact]
    public void A_beta_that_would_drive_a_price_through_zero_is_floored_above_zero()
    {
        // beta 3 on a -50% move: 1 + 3 * (0.5 - 1) = -0.5: the price floors at a millionth, never <= 0.
        var path = Path(betaWbtc: "3");
        Assert.Equal(new BigInteger(60_000_00000000) / 1_000_000, path.Price(1, 100));
    }

    [Fact]
    public void Noise_is_reproducible_for_a_seed_and_changes_the_path()
    {
        var a = Enumerable.Range(0, 100).Select(b => Path(noise: 30).Price(0, b)).ToList();
        var b = Enumerable.Range(0, 100).Select(b => Path(noise: 30).Price(0, b)).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 100).Select(x => Path().Price(0, x)).ToList(), a);
    }

    [Fact]
    public void Chainlink_feed_publishes_on_deviation_threshold()
    {
        var feed = new OracleFeed("WETH", P2000, 0, deviationBps: 50, heartbeatSeconds: 3600, delayBlocks: 0, null, null);
        Assert.False(feed.Observe(1991_00000000, 12));      // -0.45%: below 0.5%
        Assert.Equal(P2000, feed.Answer);
        Assert.True(feed.Observe(1990_00000000, 24));       // -0.5% exactly: publishes
        Assert.Equal(new BigInteger(1990_00000000), feed.Answer);
        Assert.Equal(24, feed.UpdatedAt);
    }

    [Fact]
    public void Chainlink_feed_publishes_on_heartbeat_even_without_deviation()
    {
        var feed = new OracleFeed("WETH", P2000, 0, deviationBps: 50, heartbeatSeconds: 3600, delayBlocks: 0, null, null);
        Assert.False(feed.Observe(2001_00000000, 3588));
        Assert.True(feed.Observe(2001_00000000, 3600));
        Assert.Equal(new BigInteger(2001_00000000), feed.Answer);
    }

    [Fact]
    public void Delayed_feed_sees_the_price_of_earlier_blocks()
    {
        var feed = new OracleFeed("WETH", P2000, 0, deviationBps: 50, heartbeatSeconds: 3600, delayBlocks: 2, null, null);
        Assert.False(feed.Observe(1800_00000000, 12));
        Assert.False(feed.Observe(1700_00000000, 24));
        Assert.True(feed.Observe(1600_00000000, 36));       // now sees block 1's $1,800
        Assert.Equal(new BigInteger(1800_00000000), feed.Answer);
    }

    [Fact]
    public void Derived_feed_is_its_base_answer_times_the_exchange_rate()
    {
        var eth = new OracleFeed("WETH", P2000, 0, 50, 3600, 0, null, null);
        var wsteth = new OracleFeed("wstETH", 2440_00000000, 0, 0, 0, 0, eth, Wad.FromDecimal("1.22"));
        eth.Observe(1800_00000000, 12);
        Assert.True(wsteth.Observe(0, 12));
        Assert.Equal(new BigInteger(2196_00000000), wsteth.Answer); // 1800 * 1.22
    }
}
