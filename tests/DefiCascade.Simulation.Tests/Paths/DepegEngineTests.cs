using System.Numerics;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Paths;

/// <summary>A depeg on the debt side, run through the block clock: a debt stablecoin going up liquidates its borrowers.</summary>
public class DepegEngineTests
{
    private static Scenario UsdcTo(string ratio) => TestScenarios.InstantShock("1") with
    {
        Depegs = new Dictionary<string, DepegSpec> { ["USDC"] = new(DepegSpec.Usd, [new PathPoint(0, Wad.One), new PathPoint(1, Wad.FromDecimal(ratio))]) },
    };

    [Fact]
    public void A_debt_stablecoin_rising_twelve_percent_liquidates_a_borrower_with_eth_unchanged()
    {
        // 10 WETH ($2,000, LT 82.5%) vs 15,000 USDC: HF 16,500 / 15,000 = 1.1. USDC to $1.12, ETH flat:
        // HF = 16,500 / 16,800 = 0.98214285714285714|28 -> 982142857142857143 (wadDiv rounds half up); > 0.95, so 50%.
        // Repay 7,500 USDC = $8,400 -> 8,400 / 2,000 = 4.2 WETH, x 1.05 bonus = 4.41 WETH; fee 10% of the 0.21 bonus
        // = 0.021 WETH; the liquidator gets 4.389 WETH. HF after = 5.59 x 2,000 x 0.825 / 8,400 = 1.0980357...
        var market = MarketBuilder.AMarket().WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000);
        var result = new CascadeEngine(market.Build(), UsdcTo("1.12"), seed: 1).Run();

        var e = Assert.Single(result.Liquidations);
        Assert.Equal(1, e.Block);
        Assert.Equal(BigInteger.Parse("982142857142857143"), e.HealthFactorBefore);
        Assert.Equal(new BigInteger(7_500_000_000), e.DebtRepaid);
        Assert.Equal(BigInteger.Parse("4389000000000000000"), e.CollateralToLiquidator);
        Assert.Equal(BigInteger.Parse("21000000000000000"), e.ProtocolFee);
        Assert.Equal(5000, e.CloseFactorBps);
        Assert.InRange(e.HealthFactorAfter, BigInteger.Parse("1098035714285714285"), BigInteger.Parse("1098035714285714286"));

        // The same market with USDC at its peg: nothing to liquidate.
        Assert.Empty(new CascadeEngine(MarketBuilder.AMarket().WithPosition(10, 15_000).WithV2Pool(100_000_000, 50_000).Build(), UsdcTo("1"), seed: 1).Run().Liquidations);
    }
}
