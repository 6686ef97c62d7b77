using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Engine;

public class PricePathAndOracleTests
{
    private static readonly BigInteger P2000 = 2000_00000000;
    private static readonly HashSet<string> Assets = ["WETH", "wstETH", "WBTC", "USDC", "USDT", "DAI"];

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
    public void Instant_shock_holds_until_its_block_then_jumps_and_stays()
    {
        // kind shock at block 10, multiplier 0.6 -> points (0, 1), (9, 1), (10, 0.6).
        var scenario = ScenarioLoader.Parse("durationBlocks: 20\npath: { kind: shock, block: 10, multiplier: 0.6 }\nbetas: { WBTC: 0.7 }", "s.yaml", Assets);
        var path = new PricePath(scenario, ["WETH", "WBTC"], [P2000, 60_000_00000000], seed: 1);
        Assert.Equal(P2000, path.Price(0, 9));
        Assert.Equal(new BigInteger(1200_00000000), path.Price(0, 10));
        Assert.Equal(new BigInteger(1200_00000000), path.Price(0, 20));
        // WBTC: 1 + 0.7 x (0.6 - 1) = 0.72 -> $43,200.
        Assert.Equal(new BigInteger(43_200_00000000), path.Price(1, 10));
        Assert.False(scenario.IsStochastic);
    }

    [Fact]
    public void Piecewise_path_gives_the_hand_interpolated_value_at_each_block()
    {
        var scenario = ScenarioLoader.Parse("durationBlocks: 60\npath: { kind: piecewise, points: [ { block: 30, multiplier: 0.7 }, { block: 60, multiplier: 0.5 } ] }", "s.yaml", Assets);
        var path = new PricePath(scenario, ["WETH"], [P2000], seed: 1);
        Assert.Equal(new BigInteger(1800_00000000), path.Price(0, 10));  // 1 - 0.3 x 10/30 = 0.9
        Assert.Equal(new BigInteger(1400_00000000), path.Price(0, 30));
        Assert.Equal(new BigInteger(1200_00000000), path.Price(0, 45));  // 0.7 - 0.2 x 15/30 = 0.6
        // 1 - 0.3 x 7/30 = 0.93: $1,860.
        Assert.Equal(new BigInteger(1860_00000000), path.Price(0, 7));
    }

    [Fact]
    public void Depegs_apply_their_ratio_to_the_peg_on_the_collateral_and_the_debt_side()
    {
        // ETH -15% over 100 blocks; wstETH = ETH x ratio (to 0.94 at block 100); USDC (collateral side) to 0.88 at
        // block 50; USDT (a debt asset) up to 1.30 at block 100.
        var scenario = Scenario.Default with
        {
            DurationBlocks = 100,
            DriverPath = [new PathPoint(0, Wad.One), new PathPoint(100, Wad.FromDecimal("0.85"))],
            Depegs = new Dictionary<string, DepegSpec>
            {
                ["wstETH"] = new("WETH", [new PathPoint(0, Wad.One), new PathPoint(100, Wad.FromDecimal("0.94"))]),
                ["USDC"] = new(DepegSpec.Usd, [new PathPoint(0, Wad.One), new PathPoint(50, Wad.FromDecimal("0.88"))]),
                ["USDT"] = new(DepegSpec.Usd, [new PathPoint(0, Wad.One), new PathPoint(100, Wad.FromDecimal("1.30"))]),
            },
        };
        var path = new PricePath(scenario, ["WETH", "wstETH", "USDC", "USDT"], [P2000, 2440_00000000, 1_00000000, 1_00000000], seed: 1);

        // Block 50: ETH 0.925 -> $1,850; ratio 0.97 -> wstETH 0.925 x 0.97 = 0.89725 x $2,440 = $2,189.29.
        Assert.Equal(new BigInteger(1850_00000000), path.Price(0, 50));
        Assert.Equal(new BigInteger(2189_29000000), path.Price(1, 50));
        Assert.Equal(new BigInteger(88000000), path.Price(2, 50));
        Assert.Equal(new BigInteger(1_15000000), path.Price(3, 50));
        // Block 100: ETH $1,700; wstETH 0.85 x 0.94 = 0.799 x $2,440 = $1,949.56; USDC holds 0.88; USDT $1.30.
        Assert.Equal(new BigInteger(1949_56000000), path.Price(1, 100));
        Assert.Equal(new BigInteger(88000000), path.Price(2, 100));
        Assert.Equal(new BigInteger(1_30000000), path.Price(3, 100));
    }

    [Fact]
    public void Assets_load_on_the_eth_factor_by_beta_plus_their_own_noise()
    {
        // ETH: GBM vol 0.8 (12 s blocks); WBTC: beta 0.7 plus idiosyncratic vol 0.4. For small moves a WBTC block
        // return is 0.7 x the ETH return plus independent noise: regression slope 0.7, correlation
        // 0.7 x 0.8 / sqrt((0.7 x 0.8)^2 + 0.4^2) = 0.56 / 0.688 = 0.814. Over 40 paths of 1,000 blocks (ETH stays
        // within a few % of its start, so the local beta 0.7 f / (1 + 0.7 (f - 1)) stays within 0.69-0.71) the slope's
        // SE is (0.4 / 0.8) / sqrt(40,000) = 0.0025 and the correlation's (1 - 0.814^2) / 200 = 0.0017: tolerance 0.02.
        var scenario = Scenario.Default with
        {
            DurationBlocks = 1_000,
            DriverPath = [new PathPoint(0, Wad.One)],
            BetasWad = new Dictionary<string, BigInteger> { ["WETH"] = Wad.One, ["WBTC"] = Wad.FromDecimal("0.7") },
            Diffusions = new Dictionary<string, JumpDiffusionSpec> { ["WETH"] = JumpDiffusionSpec.Noise(Wad.FromDecimal("0.8")) },
            IdiosyncraticVolWad = new Dictionary<string, BigInteger> { ["WBTC"] = Wad.FromDecimal("0.4") },
        };
        var (eth, btc) = (new List<double>(), new List<double>());
        for (var seed = 1; seed <= 40; seed++)
        {
            var path = new PricePath(scenario, ["WETH", "WBTC"], [P2000, 60_000_00000000], seed);
            for (var b = 1; b <= 1_000; b++)
            {
                eth.Add(Math.Log((double)path.Multiplier(0, b) / (double)path.Multiplier(0, b - 1)));
                btc.Add(Math.Log((double)path.Multiplier(1, b) / (double)path.Multiplier(1, b - 1)));
            }
        }

        var (mx, my) = (eth.Average(), btc.Average());
        var cov = eth.Zip(btc, (x, y) => (x - mx) * (y - my)).Average();
        var (vx, vy) = (eth.Average(x => (x - mx) * (x - mx)), btc.Average(y => (y - my) * (y - my)));
        Assert.InRange(cov / vx, 0.68, 0.72);
        Assert.InRange(cov / Math.Sqrt(vx * vy), 0.794, 0.834);

        // Exactly: WBTC's multiplier is its beta multiplier times its own seeded noise stream.
        var one = new PricePath(scenario, ["WETH", "WBTC"], [P2000, 60_000_00000000], seed: 5);
        var noise = Simulation.Paths.JumpDiffusion.Multipliers(JumpDiffusionSpec.Noise(Wad.FromDecimal("0.4")), 12, 1_000, Simulation.Paths.SeededRandom.Stream(5, "WBTC", "idiosyncratic"));
        var beta = Wad.One + (Wad.FromDecimal("0.7") * (one.Multiplier(0, 500) - Wad.One) / Wad.One);
        Assert.Equal(beta * noise[500] / Wad.One, one.Multiplier(1, 500));
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
