using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Core.Tests.Snapshot;

/// <summary>
/// <see cref="SampleSnapshot"/> plus two Morpho Blue markets whose params are those of real Ethereum markets, so
/// their ids are the ones Morpho computed on chain (public market lists name them); the totals are made up.
/// </summary>
internal static class MorphoSampleSnapshot
{
    /// <summary>Morpho Blue on Ethereum.</summary>
    public static readonly Address Morpho = Address.Parse("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");

    /// <summary>AdaptiveCurveIrm on Ethereum.</summary>
    public static readonly Address Irm = Address.Parse("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC");

    /// <summary>wstETH / WETH, LLTV 94.5%.</summary>
    public const string WethMarketId = "0xc54d7acf14de29e0e5527cabd7a576506870346a78a11a6762e2cca66322ec41";

    public static readonly Address WethMarketOracle = Address.Parse("0x2a01EB9496094dA03c4E364Def50f5aD1280AD72");

    /// <summary>wstETH / USDC, LLTV 86%.</summary>
    public const string UsdcMarketId = "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc";

    public static readonly Address UsdcMarketOracle = Address.Parse("0x48F7E36EB6B826B2dF4B2E630B62Cd25e89E40e2");

    public static MarketSnapshot Build()
    {
        var e24 = BigInteger.Pow(10, 24);
        var e18 = BigInteger.Pow(10, 18);
        MorphoBluePositionSnapshot[] wethPositions =
        [
            new(Address.FromNumber(0xb1, 1), 1_000 * e24, 0, 0),
            new(Address.FromNumber(0xb1, 2), 0, 500 * e24, 450 * e18),
            new(Address.FromNumber(0xb1, 3), 0, 390 * e24, 400 * e18),
        ];
        var weth = new MorphoBlueMarketSnapshot(
            WethMarketId, Morpho, "WETH", "wstETH", WethMarketOracle, Irm, 945 * BigInteger.Pow(10, 15), 122 * BigInteger.Pow(10, 34),
            1_000 * e18, 1_000 * e24, 900 * e18, 890 * e24, 1_770_249_000, 0, wethPositions, "test", "test");
        MorphoBluePositionSnapshot[] usdcPositions = [new(Address.FromNumber(0xb1, 2), 0, 39 * BigInteger.Pow(10, 17), 2_000 * e18)];
        var usdc = new MorphoBlueMarketSnapshot(
            UsdcMarketId, Morpho, "USDC", "wstETH", UsdcMarketOracle, Irm, 86 * BigInteger.Pow(10, 16), 2_623 * e24,
            5 * BigInteger.Pow(10, 12), 5 * e18, 4 * BigInteger.Pow(10, 12), 39 * BigInteger.Pow(10, 17), 1_770_249_600, e18 / 10, usdcPositions, "test,params", "test");
        return SampleSnapshot.Build() with { MorphoBlueMarkets = [weth, usdc] };
    }
}
