using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Simulation.Tests.Support;

/// <summary>
/// Builds small snapshots for engine tests: `Build.A.Market.WithPosition(...).WithV2Pool(...)`.
/// Defaults: WETH (18 dec, $2,000, LT 82.5%, bonus 5%, fee 10%) and USDC (6 dec, $1), one
/// Chainlink feed each (0.5% / 1 h and 0.25% / 24 h).
/// </summary>
public sealed class MarketBuilder
{
    public static readonly BigInteger Eth = BigInteger.Pow(10, 18);
    public static readonly BigInteger Usdc = BigInteger.Pow(10, 6);

    private readonly List<SnapshotToken> _tokens =
    [
        new("USDC", Address.Parse("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"), 6, "test"),
        new("WETH", Address.Parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"), 18, "test"),
    ];

    private readonly Dictionary<string, BigInteger> _prices = new() { ["WETH"] = 2000_00000000, ["USDC"] = 1_00000000 };
    private readonly List<AaveReserveSnapshot> _reserves =
    [
        Reserve("WETH", ltv: 8000, lt: 8250, bonus: 10500, fee: 1000),
        Reserve("USDC", ltv: 7500, lt: 7800, bonus: 10450, fee: 1000),
    ];

    private readonly List<AavePositionSnapshot> _positions = [];
    private readonly List<PoolSnapshot> _pools = [];
    private int _wethDeviationBps = 50;

    public static MarketBuilder AMarket() => new();

    /// <summary>A 60-account book with HFs from about 1.0 to 1.15 on a 2M USDC / 1,000 WETH V2 pool (determinism, Monte Carlo, action log).</summary>
    public static MarketBuilder SixtyAccountsOnOnePool()
    {
        var market = AMarket().WithV2Pool(2_000_000, 1_000);
        for (var i = 0; i < 60; i++)
        {
            market.WithPosition(1 + i % 7, (1 + i % 7) * 1_450 + 5 * i);
        }

        return market;
    }

    public static AaveReserveSnapshot Reserve(string asset, int ltv, int lt, int bonus, int fee) =>
        new(asset, ltv, lt, bonus, fee, 1000, 0, true, true, true, false, false, 0, 0, "test");

    /// <summary>An account with WETH collateral (whole ETH) and USDC debt (whole dollars).</summary>
    public MarketBuilder WithPosition(decimal weth, decimal usdc, int id = 0)
    {
        var user = Address.FromNumber(0xacc0, (ulong)(id == 0 ? _positions.Count + 1 : id));
        _positions.Add(new AavePositionSnapshot(user, 0,
            [new AssetBalance("WETH", ToRaw(weth, 18))],
            [new AssetBalance("USDC", ToRaw(usdc, 6))]));
        return this;
    }

    /// <summary>A Uniswap V2 WETH/USDC pair with the given depth (token0 = USDC, the lower address).</summary>
    public MarketBuilder WithV2Pool(decimal usdc, decimal weth)
    {
        _pools.Add(new UniswapV2PoolSnapshot(Address.FromNumber(0x9001, (ulong)_pools.Count + 1), "USDC", "WETH", ToRaw(usdc, 6), ToRaw(weth, 18), "test"));
        return this;
    }

    public MarketBuilder WithWethDeviationBps(int bps)
    {
        _wethDeviationBps = bps;
        return this;
    }

    public MarketSnapshot Build()
    {
        var prices = _tokens.Select(t => new MarketPrice(t.Symbol, _prices[t.Symbol], 8, "test")).ToList();
        var oracles = new List<OracleFeedSnapshot>
        {
            new("WETH", "chainlink", _prices["WETH"], 8, _wethDeviationBps, 3600, null, null, "test"),
            new("USDC", "chainlink", _prices["USDC"], 8, 25, 86400, null, null, "test"),
        };
        var market = new AaveV3MarketSnapshot("Aave V3 test", "3.0.2", Address.FromNumber(0xaa7e, 1), _reserves, [], _positions, "test");
        var origin = new SnapshotOrigin("synthetic", "engine test market", "all positions of a hand-built test market", new Dictionary<string, string> { ["test"] = "hand-built in the test" });
        return new MarketSnapshot(MarketSnapshot.CurrentSchema, 31337, 1, 1_700_000_000, origin, _tokens, prices, oracles, [market], _pools);
    }

    private static BigInteger ToRaw(decimal amount, int decimals) => FixedPoint.Parse(amount.ToString(System.Globalization.CultureInfo.InvariantCulture), decimals);
}
