using System.Numerics;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Support;

/// <summary>Scenario shortcuts for engine tests.</summary>
public static class TestScenarios
{
    /// <summary>WETH moves to <paramref name="multiplier"/> of its price in one block, USDC stays at $1.</summary>
    public static Scenario InstantShock(string multiplier, int settleBlocks = 20, int gasPriceGwei = 100, long gasBudget = 30_000_000) =>
        Scenario.Default with
        {
            Name = "test-shock",
            DurationBlocks = 1,
            DriverPath = [new PathPoint(0, Wad.One), new PathPoint(1, Wad.FromDecimal(multiplier))],
            BetasWad = new Dictionary<string, BigInteger> { ["WETH"] = Wad.One, ["USDC"] = BigInteger.Zero },
            MaxSettleBlocks = settleBlocks,
            Market = MarketAssumptions.Default with
            {
                GasPriceGwei = gasPriceGwei,
                LiquidationGasBudgetPerBlock = gasBudget,
                OffChainDepthUsdPerPercent = new Dictionary<string, BigInteger> { ["WETH"] = 50_000_000, ["USDC"] = 500_000_000 },
            },
        };
}
