using System.Numerics;
using DefiCascade.Adapters.Snapshots;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.Tests.Snapshots;

public sealed class PoolPricesTests
{
    private static readonly SnapshotToken Weth = new("WETH", Address.FromNumber(1, 1), 18, "t");
    private static readonly SnapshotToken Usdc = new("USDC", Address.FromNumber(1, 2), 6, "t");
    private static readonly SnapshotToken Pepe = new("PEPE", Address.FromNumber(1, 3), 18, "t");
    private static readonly MarketPrice UsdcPrice = new("USDC", 100_000_000, 8, "oracle");

    [Fact]
    public void A_v2_pair_prices_its_unpriced_token_from_the_reserves()
    {
        // 1,000 WETH against 3,000,000 USDC: 3,000 USD per WETH, i.e. 300000000000 at 8 decimals:
        // 1e8 x (3e12 / 1e21) x 1e18 / 1e6 = 3e11 exactly.
        var pair = new UniswapV2PoolSnapshot(Address.FromNumber(2, 1), "WETH", "USDC", BigInteger.Pow(10, 21), 3 * BigInteger.Pow(10, 12), "rpc 1");

        var (prices, notes) = PoolPrices.Derive(Table(Weth, Usdc), [UsdcPrice], [pair], 1);

        var weth = Assert.Single(prices);
        Assert.Equal(("WETH", new BigInteger(300_000_000_000), 8), (weth.Asset, weth.UsdAnswer, weth.Decimals));
        Assert.Contains("against USDC", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_v3_pool_prices_from_sqrt_price_within_one_unit_of_the_exact_ratio()
    {
        // sqrtPriceX96 = floor(sqrt(3e-9 x 2^192)); squaring a floored root loses less than 2/sqrt of the ratio
        // (~1e-14 here), so the floored answer is 3e11 or 3e11 - 1, never further.
        var sqrt = Core.Math.UInt256.Sqrt((3 * BigInteger.Pow(10, 12) << 192) / BigInteger.Pow(10, 21));
        var pool = new UniswapV3PoolSnapshot(Address.FromNumber(2, 2), "WETH", "USDC", 500, 10, sqrt, 0, 1, [], null, null, "rpc 1");

        var (prices, _) = PoolPrices.Derive(Table(Weth, Usdc), [UsdcPrice], [pool], 1);

        Assert.InRange(Assert.Single(prices).UsdAnswer, new BigInteger(299_999_999_999), new BigInteger(300_000_000_000));
    }

    [Fact]
    public void A_token_two_pools_away_is_priced_through_the_first_and_the_inverse_direction_works()
    {
        // USDC is token0 here: 2,000,000 USDC against 1,000 WETH prices WETH at 2,000; then PEPE/WETH at
        // 1e9 PEPE per 1 WETH prices PEPE at 2,000 / 1e9 USD = 200 at 8 decimals (0.000002 USD).
        var usdcWeth = new UniswapV2PoolSnapshot(Address.FromNumber(2, 3), "USDC", "WETH", 2 * BigInteger.Pow(10, 12), BigInteger.Pow(10, 21), "rpc 1");
        var pepeWeth = new UniswapV2PoolSnapshot(Address.FromNumber(2, 4), "PEPE", "WETH", BigInteger.Pow(10, 36), BigInteger.Pow(10, 27), "rpc 1");

        var (prices, _) = PoolPrices.Derive(Table(Weth, Usdc, Pepe), [UsdcPrice], [pepeWeth, usdcWeth], 1);

        Assert.Equal(new BigInteger(200_000_000_000), prices.Single(p => p.Asset == "WETH").UsdAnswer);
        Assert.Equal(new BigInteger(200), prices.Single(p => p.Asset == "PEPE").UsdAnswer);
    }

    [Fact]
    public void A_pool_of_two_unpriced_tokens_is_an_error_naming_the_pool()
    {
        var pool = new UniswapV2PoolSnapshot(Address.FromNumber(2, 5), "WETH", "PEPE", 10, 10, "rpc 1");

        var e = Assert.Throws<InvalidOperationException>(() => PoolPrices.Derive(Table(Weth, Pepe), [], [pool], 1));

        Assert.Contains(pool.Address.Hex, e.Message, StringComparison.Ordinal);
    }

    private static TokenTable Table(params SnapshotToken[] tokens)
    {
        var table = new TokenTable();
        table.AddAll(tokens);
        return table;
    }
}
