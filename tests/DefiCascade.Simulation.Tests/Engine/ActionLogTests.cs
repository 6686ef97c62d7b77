using System.Numerics;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>The optional action log: it changes nothing in a run, and it holds exactly the decisions the result reports.</summary>
public class ActionLogTests
{
    private static MarketBuilder Market() => MarketBuilder.SixtyAccountsOnOnePool();

    [Fact]
    public void A_logged_run_equals_an_unlogged_run_and_logs_every_liquidation_with_its_sale()
    {
        var scenario = TestScenarios.InstantShock("0.85") with { DurationBlocks = 30 };
        var plain = new CascadeEngine(Market().Build(), scenario, 7).Run();
        var log = new Log();
        var logged = new CascadeEngine(Market().Build(), scenario, 7, new CascadeOptions { ActionLog = log }).Run();

        Assert.Equal(ResultJson.Serialize(plain), ResultJson.Serialize(logged));
        Assert.Equal(plain.Blocks.Count, logged.Blocks.Count);
        Assert.Equal(Enumerable.Range(1, plain.Blocks.Count), log.Ended);
        Assert.NotEmpty(plain.Liquidations);

        var liquidations = log.Actions.Where(a => a.Action is LiquidationAction).ToArray();
        Assert.Equal(plain.Liquidations.Count, liquidations.Length);
        for (var i = 0; i < liquidations.Length; i++)
        {
            var (block, action) = liquidations[i];
            var l = (LiquidationAction)action;
            var e = plain.Liquidations[i];
            Assert.Equal((e.Block, e.User, e.DebtRepaid, e.CollateralToLiquidator, e.ProtocolFee), (block, l.User, l.DebtRepaid, l.CollateralToLiquidator, l.ProtocolFee));
            Assert.True(l.DebtToCover >= l.DebtRepaid);
        }

        // each sale starts right after its liquidation with the collateral received, and its last hop pays the proceeds.
        for (var k = 0; k < log.Actions.Count; k++)
        {
            if (log.Actions[k].Action is not LiquidationAction l)
            {
                continue;
            }

            var sale = log.Actions.Skip(k + 1).Select(a => a.Action as SwapAction).TakeWhile((h, n) => h is { Purpose: SwapPurpose.Sale } && h.Hop == n).Cast<SwapAction>().ToList();
            var e = plain.Liquidations.First(x => x.User == l.User && x.DebtRepaid == l.DebtRepaid);
            if (sale.Count > 0)
            {
                Assert.Equal(l.CollateralToLiquidator, sale[0].AmountSpecified);
                Assert.Equal(e.SaleProceeds, sale[^1].AmountOut);
            }
        }

        // arbitrage and oracle updates are there too, in numbers the result counts.
        Assert.Equal(plain.Totals.ArbitrageTrades, log.Actions.Count(a => a.Action is SwapAction { Purpose: SwapPurpose.Arbitrage }));
        Assert.Equal(plain.Totals.OracleUpdates, log.Actions.Count(a => a.Action is OracleAction));
    }

    private sealed class Log : IActionLog
    {
        private int _block;

        public List<(int Block, EngineAction Action)> Actions { get; } = [];

        public List<int> Ended { get; } = [];

        public void BeginBlock(int block, long timestamp) => _block = block;

        public void Add(EngineAction action) => Actions.Add((_block, action));

        public void EndBlock(int block, IReadOnlyList<BigInteger> poolSqrtPricesX96) => Ended.Add(block);
    }
}
