using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.MorphoBlue;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>
/// A hand-built WETH / USDC market at LLTV 86%: 1,000,000 USDC supplied (1e18 shares), 500,000 USDC
/// borrowed against 4.5e17 borrow shares (interest has accrued: 0.9e6 shares per USDC unit, not the
/// initial 1e6). The oracle quotes 1 wei of WETH in USDC units times 1e36: $2,000 is 2000e6 * 1e36 / 1e18 = 2e27.
/// </summary>
internal static class MorphoTestMarket
{
    public static readonly BigInteger E6 = 1_000_000;
    public static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    public static readonly BigInteger Wad = E18;

    /// <summary>LLTV 86% = 0.86e18.</summary>
    public static readonly BigInteger Lltv86 = 860_000_000_000_000_000;

    public static readonly Address Usdc = Address.FromNumber(0xa0b8, 1);
    public static readonly Address Weth = Address.FromNumber(0xc02a, 2);

    public static MorphoMarketParams Params(BigInteger? lltv = null) =>
        new(Usdc, Weth, Address.FromNumber(0x0ac1e, 3), Address.Zero, lltv ?? Lltv86) { Id = "0xtest-weth-usdc-86" };

    public static MorphoMarketState State() => new(
        TotalSupplyAssets: 1_000_000 * E6,
        TotalSupplyShares: 1_000_000 * E6 * 1_000_000,
        TotalBorrowAssets: 500_000 * E6,
        TotalBorrowShares: 450_000_000_000_000_000,
        LastUpdate: 1_700_000_000,
        Fee: 0);

    /// <summary>The oracle price of WETH in USDC at <paramref name="usd"/> dollars: usd * 1e6 * 1e36 / 1e18.</summary>
    public static BigInteger Price(int usd) => usd * E6 * BigInteger.Pow(10, 18);

    /// <summary>10 WETH against 1.575e16 borrow shares (17,500 USDC): unhealthy at $2,000 (limit 17,200 USDC).</summary>
    public static MorphoPosition Borrower() => new(SupplyShares: 0, BorrowShares: 15_750_000_000_000_000, Collateral: 10 * E18);
}
