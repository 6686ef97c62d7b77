using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

/// <summary>A small snapshot that exercises every section of the format; tests break one field at a time.</summary>
internal static class SampleSnapshot
{
    public static MarketSnapshot Build()
    {
        var sources = new Dictionary<string, string>
        {
            ["test"] = "hand-written test data",
            ["params"] = "MARKET-FACTS §1 (values as of 2026-03)",
        };
        var origin = new SnapshotOrigin("synthetic", "A tiny market for format tests; quotes \"and\" unicode § survive.", "3 accounts, test only", sources);
        SnapshotToken[] tokens =
        [
            new("USDC", Address.Parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), 6, "test"),
            new("WETH", Address.Parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"), 18, "test"),
            new("wstETH", Address.Parse("0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0"), 18, "test"),
        ];
        MarketPrice[] prices =
        [
            new("USDC", 100_000_000, 8, "test"),
            new("WETH", 215_000_000_000, 8, "test"),
            new("wstETH", 262_300_000_000, 8, "test"),
        ];
        OracleFeedSnapshot[] oracles =
        [
            new("USDC", "chainlink", 100_000_000, 8, 25, 86_400, null, null, "test"),
            new("WETH", "chainlink", 215_000_000_000, 8, 50, 3_600, null, null, "test"),
            new("wstETH", "derived", 262_300_000_000, 8, 0, 0, "WETH", BigInteger.Parse("1220000000000000000"), "test,params"),
        ];
        AaveReserveSnapshot[] reserves =
        [
            Reserve("USDC", 7_500, 7_800, 10_450, 0),
            Reserve("WETH", 8_050, 8_300, 10_500, 1),
            Reserve("wstETH", 7_850, 8_100, 10_600, 1) with { BorrowingEnabled = false },
        ];
        EModeCategorySnapshot[] eModes = [new(1, "ETH correlated", 9_300, 9_500, 10_100, null, "params")];
        AavePositionSnapshot[] positions =
        [
            new(Address.FromNumber(0xdefca5ca, 1), 0, [new("WETH", BigInteger.Parse("1000000000000000000"))], [new("USDC", 5_000_000)]),
            new(Address.FromNumber(0xdefca5ca, 2), 1, [new("wstETH", BigInteger.Parse("10000000000000000000"))], [new("WETH", BigInteger.Parse("11000000000000000000"))]),
            new(Address.FromNumber(0xdefca5ca, 3), 0, [new("USDC", 1_000_000_000), new("WETH", 7)], []),
        ];
        var market = new AaveV3MarketSnapshot("Aave V3 Ethereum Core", "3.3", Address.Parse("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"), reserves, eModes, positions, "test");
        TickSnapshot[] ticks = [new(-10, 100, 100), new(0, 50, 50), new(20, -150, 150)];
        PoolSnapshot[] pools =
        [
            new UniswapV2PoolSnapshot(Address.Parse("0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc"), "USDC", "WETH", 1_000_000, BigInteger.Parse("500000000000000000"), "test"),
            new UniswapV3PoolSnapshot(Address.Parse("0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640"), "USDC", "WETH", 500, 10, BigInteger.One << 96, 0, 150, ticks, null, null, "test"),
        ];
        return new MarketSnapshot(MarketSnapshot.CurrentSchema, 1, 24_400_000, 1_770_249_600, origin, tokens, prices, oracles, [market], pools);
    }

    private static AaveReserveSnapshot Reserve(string asset, int ltv, int lt, int bonus, int eMode) =>
        new(asset, ltv, lt, bonus, 1_000, 1_500, eMode, true, true, true, false, false, BigInteger.Zero, 1_000_000, "params");
}
