using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Lending.Tests.AaveV3;

/// <summary>
/// Builders for a small market shaped like the one deployed on anvil (CHAIN.md): WETH is
/// configured exactly as there (LTV 80%, LT 82.5%, bonus 5%, protocol fee 10%).
/// </summary>
internal static class AaveTestMarket
{
    public const int Weth = 0;
    public const int Usdc = 1;
    public const int Wbtc = 2;
    public const int Dai = 3;
    public const int WstEth = 4;

    public static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    public static readonly BigInteger E8 = BigInteger.Pow(10, 8);
    public static readonly BigInteger E6 = BigInteger.Pow(10, 6);

    public static AaveReserve Reserve(int index, string symbol, int decimals, int ltv, int lt, int bonus, int fee, int eMode = 0) =>
        new(index, new Token(symbol, Address.FromNumber(0xA11E, (ulong)index + 1), decimals), ltv, lt, bonus, fee, eMode, true, true, true, false, false);

    public static AaveV3Market Build(IEnumerable<AaveEMode>? eModes = null, Func<AaveReserve, AaveReserve>? tweak = null)
    {
        AaveReserve[] reserves =
        [
            Reserve(Weth, "WETH", 18, 8000, 8250, 10500, 1000, eMode: 1),
            Reserve(Usdc, "USDC", 6, 8000, 8500, 10450, 1000),
            Reserve(Wbtc, "WBTC", 8, 7000, 7800, 10650, 1000),
            Reserve(Dai, "DAI", 18, 7500, 8000, 10500, 0),
            Reserve(WstEth, "wstETH", 18, 6900, 8000, 10750, 1000, eMode: 1),
        ];
        if (tweak is not null)
        {
            reserves = reserves.Select(tweak).ToArray();
        }

        return new AaveV3Market("test", reserves, (eModes ?? [new AaveEMode(1, "ETH correlated", 9000, 9300, 10100, null)]).ToArray());
    }

    /// <summary>Prices in USD with 8 decimals: WETH, USDC, WBTC, DAI, wstETH.</summary>
    public static ArrayPriceOracle Prices(decimal weth = 2000m, decimal usdc = 1m, decimal wbtc = 30000m, decimal dai = 1m, decimal wsteth = 2200m) =>
        new([Usd(weth), Usd(usdc), Usd(wbtc), Usd(dai), Usd(wsteth)]);

    public static BigInteger Usd(decimal dollars) => new(dollars * 100_000_000m);

    public static AaveAccount Account(AaveV3Market m, int eMode = 0) => new(Address.FromNumber(0xBEEF, 1), eMode, m.Reserves.Count);

    /// <summary>Supplies / borrows underlying amounts, scaling them as the tokens mint (amount.rayDiv(index)).</summary>
    public static AaveAccount Supply(this AaveAccount a, AaveV3Market m, int reserve, BigInteger amount)
    {
        a.ScaledCollateral[reserve] += Core.Math.WadRayMath.RayDiv(amount, m.Reserves[reserve].LiquidityIndex);
        return a;
    }

    public static AaveAccount Borrow(this AaveAccount a, AaveV3Market m, int reserve, BigInteger amount)
    {
        a.ScaledDebt[reserve] += Core.Math.WadRayMath.RayDiv(amount, m.Reserves[reserve].VariableBorrowIndex);
        return a;
    }

    public static BigInteger Hf(AaveV3Market m, AaveAccount a, IAavePriceOracle o) => AaveV3Accounting.CalculateUserAccountData(m, a, o).HealthFactor;
}
