using System.Diagnostics;
using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Testing;

/// <summary>One Uniswap V3 pool of the replay world: its tokens by symbol, fee tier and how many LP positions make its book.</summary>
public sealed record ReplayWorldPool(Address Address, string Symbol0, string Symbol1, int Fee, int Positions, int InitializedTicks);

/// <summary>The replay world saved to a state file: the CI crowd plus Uniswap V3 pools of the Aave market's own tokens.</summary>
public sealed record ReplayWorldState(
    string StatePath,
    AaveCrowdState Crowd,
    Address AddressesProvider,
    Address SwapRouter,
    IReadOnlyList<ReplayWorldPool> Pools,
    TimeSpan BuildTime);

/// <summary>
/// The crowd (<see cref="AaveCrowd"/>, CI spec) with real Uniswap V3 pools of its reserves for the liquidators' sales and
/// the arbitrageurs, initialized at the crowd's oracle prices, each book made of many LP positions of varied ranges around
/// the price (a seeded draw), so sales cross initialized ticks and pay real slippage. Built once per process on a node
/// started from the crowd's state and saved; each test starts its own anvil from the file.
/// </summary>
public static class ReplayWorld
{
    private const int Seed = 20_261_207;

    /// <summary>(token A, token B, fee, positions, USD per position side from, to).</summary>
    private static readonly (string A, string B, int Fee, int Positions, double UsdFrom, double UsdTo)[] Specs =
    [
        ("WETH", "USDC", 500, 40, 40_000, 600_000),
        ("WBTC", "USDC", 3000, 30, 30_000, 400_000),
        ("WBTC", "WETH", 3000, 30, 30_000, 300_000),
        ("DAI", "USDC", 100, 20, 100_000, 1_000_000),
        ("WETH", "DAI", 3000, 24, 20_000, 300_000),
    ];

    private static readonly Lazy<Task<ReplayWorldState>> World = new(() => Task.Run(BuildAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<ReplayWorldState> GetAsync() => World.Value;

    /// <summary>A fresh anvil holding the replay world (the caller disposes it, which kills it).</summary>
    public static Task<AnvilNode> StartNodeAsync(ReplayWorldState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ChainStateFile.StartFromAsync(state.StatePath, ChainWorld.NodeArgs);
    }

    private static async Task<ReplayWorldState> BuildAsync()
    {
        var clock = Stopwatch.StartNew();
        var crowd = await AaveCrowd.GetAsync().ConfigureAwait(false);
        var world = await ChainWorld.GetAsync().ConfigureAwait(false);
        await using var node = await AaveCrowd.StartNodeAsync(crowd).ConfigureAwait(false);
        var accounts = await node.Eth.GetAccountsAsync().ConfigureAwait(false);
        var aave = AaveWorld.Attach(node.Eth, accounts[0], accounts[1], crowd.Aave);
        var v3 = V3World.Attach(node.Eth, accounts[0], world.V3);
        var trader = accounts[5];
        var random = new Random(Seed);
        var pools = new List<ReplayWorldPool>();
        foreach (var (symbolA, symbolB, fee, count, usdFrom, usdTo) in Specs)
        {
            var (a, b) = (aave.Assets[aave.IndexOf(symbolA)], aave.Assets[aave.IndexOf(symbolB)]);
            var (priceA, priceB) = (crowd.Prices[aave.IndexOf(symbolA)], crowd.Prices[aave.IndexOf(symbolB)]);
            foreach (var (asset, price) in new[] { (a, priceA), (b, priceB) })
            {
                // $2 billion of each token: far more than any position asks for.
                var amount = BigInteger.Pow(10, 8) * 2_000_000_000 * asset.Unit / price;
                await asset.Token.SendAsync(accounts[0], "mint(address,uint256)", trader, amount).ConfigureAwait(false);
            }

            var aIsToken0 = string.CompareOrdinal(a.Token.Address.Hex.ToLowerInvariant(), b.Token.Address.Hex.ToLowerInvariant()) < 0;
            var (t0, t1, p0, p1) = aIsToken0 ? (a, b, priceA, priceB) : (b, a, priceB, priceA);
            // token1 per token0 in base units, as sqrt(ratio) * 2^96, rounded down.
            var sqrt = Sqrt(p0 * t1.Unit * (BigInteger.One << 192) / (p1 * t0.Unit));
            var pool = await v3.CreatePoolForTokensAsync(trader, a.Token, b.Token, fee, sqrt).ConfigureAwait(false);
            var tick = (await V3World.SlotAsync(pool).ConfigureAwait(false)).Tick;
            var spacing = pool.TickSpacing;
            var ticks = new HashSet<int>();
            for (var k = 0; k < count; k++)
            {
                // widths from a few spacings to ~40% of price either way; centres spread around the price.
                var width = spacing * (int)Math.Round(Math.Pow(10, Uniform(random, Math.Log10(2), Math.Log10(Math.Max(4, 8000.0 / spacing)))));
                var centre = tick + (int)(width * Uniform(random, -0.8, 0.8));
                var lower = FloorTo(centre - (width / 2), spacing);
                var upper = Math.Max(lower + spacing, FloorTo(centre + (width / 2), spacing));
                var usd = Math.Pow(10, Uniform(random, Math.Log10(usdFrom), Math.Log10(usdTo)));
                var amount0 = new BigInteger(usd * 100) * BigInteger.Pow(10, 6) * t0.Unit / p0;
                var amount1 = new BigInteger(usd * 100) * BigInteger.Pow(10, 6) * t1.Unit / p1;
                await v3.MintAsync(pool, lower, upper, amount0, amount1).ConfigureAwait(false);
                ticks.Add(lower);
                ticks.Add(upper);
            }

            pools.Add(new ReplayWorldPool(pool.Pool.Address, t0.Symbol, t1.Symbol, fee, count, ticks.Count));
        }

        var provider = (Address)(await aave.Pool.CallAsync("ADDRESSES_PROVIDER").ConfigureAwait(false))[0];
        var path = Path.Combine(Path.GetDirectoryName(crowd.StatePath)!, "replay-world.json");
        await ChainStateFile.SaveAsync(node, path).ConfigureAwait(false);
        return new ReplayWorldState(path, crowd, provider, world.V3.Router, pools, clock.Elapsed);
    }

    private static double Uniform(Random random, double from, double to) => from + ((to - from) * random.NextDouble());

    private static int FloorTo(int tick, int spacing) => (int)Math.Floor(tick / (double)spacing) * spacing;

    private static BigInteger Sqrt(BigInteger n)
    {
        if (n.Sign <= 0)
        {
            return BigInteger.Zero;
        }

        // Newton's method from above: x falls monotonically to floor(sqrt(n)).
        var x = BigInteger.One << (int)((n.GetBitLength() / 2) + 1);
        while (true)
        {
            var next = (x + (n / x)) / 2;
            if (next >= x)
            {
                break;
            }

            x = next;
        }

        return x;
    }
}
