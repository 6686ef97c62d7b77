using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Sweeps;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Sweeps;

public class CellTests
{
    private static readonly MarketSnapshot Market = MarketBuilder.AMarket().WithPosition(1, 1000).WithPosition(3, 4000).WithV2Pool(2_000_000, 1000).Build();
    private static readonly GridContext Context = GridContext.From(Market);

    private static SweepGrid Grid(params string[] vary) => new(GridParser.ParseVary(vary, Context));

    [Fact]
    public void Cells_run_in_row_major_order_with_the_first_axis_slowest()
    {
        var grid = Grid("reserve:WETH:liquidationThreshold=8000,8500", "scenario:gasPriceGwei=10,20,30");

        Assert.Equal(6, grid.CellCount);
        Assert.Equal(
            ["8000/10", "8000/20", "8000/30", "8500/10", "8500/20", "8500/30"],
            grid.Cells().Select(c => $"{c.Values[0]}/{c.Values[1]}"));
        Assert.Equal(Enumerable.Range(0, 6), grid.Cells().Select(c => c.Index));
    }

    [Fact]
    public void Shard_k_of_n_holds_the_cells_whose_index_is_k_minus_1_modulo_n()
    {
        var grid = Grid("scenario:gasPriceGwei=1,2,3,4,5,6,7");

        Assert.Equal([1, 4], grid.Cells(2, 3).Select(c => c.Index));
        Assert.Equal(Enumerable.Range(0, 7), Enumerable.Range(1, 3).SelectMany(k => grid.Cells(k, 3)).Select(c => c.Index).Order());
    }

    [Theory]
    // WETH starts at ltv 8000, threshold 8250, bonus 10500.
    [InlineData("reserve:WETH:liquidationThreshold=7900", "WETH ltv 8000 > liquidationThreshold 7900")]
    [InlineData("reserve:WETH:liquidationBonus=12200", "WETH percentMul(liquidationThreshold 8250; liquidationBonus 12200) = 10065 > 10000")]
    [InlineData("reserve:WETH:liquidationBonus=10000", "WETH liquidationBonus 10000 must exceed 10000 (100%)")]
    [InlineData("reserve:WETH:ltv=8300", "WETH ltv 8300 > liquidationThreshold 8250")]
    public void A_configuration_Aave_refuses_is_flagged_not_run(string vary, string reason)
    {
        var grid = Grid(vary);

        var inputs = CellBuilder.Build(Market, Scenario.Default, grid, grid.Cell(0));

        Assert.Equal(reason, inputs.Invalid);
        Assert.Null(inputs.Snapshot);
    }

    [Fact]
    public void A_cell_on_which_the_scenarios_parameter_change_would_revert_is_flagged_not_run()
    {
        // The scenario raises WETH's threshold to 8500 from block 5. Both cells are valid for the snapshot's 8250
        // (percentMul(8250, 11700) = 9653, (8250, 11800) = 9735), but from block 5 percentMul(8500, 11800) = 10030 > 10000;
        // with bonus 11700 it is 9945.
        var scenario = Scenario.Default with { Mitigations = new DefiCascade.Simulation.Scenarios.Mitigations(null, null) { ParameterChanges = [new ReserveParameterChange("WETH", null, 8500, null, 5)] } };
        var grid = Grid("reserve:WETH:liquidationBonus=11700,11800");

        Assert.Null(CellBuilder.Build(Market, scenario, grid, grid.Cell(0)).Invalid);
        Assert.Equal("mitigations.parameterChanges[0]: WETH in Aave V3 test from block 5: percentMul(liquidationThreshold 8500; liquidationBonus 11800) = 10030 > 10000 (PoolConfigurator.configureReserveAsCollateral would revert)",
            CellBuilder.Build(Market, scenario, grid, grid.Cell(1)).Invalid);
    }

    [Fact]
    public void The_bonus_at_the_percentMul_edge_is_valid_one_above_is_not()
    {
        // percentMul(8250, 12121) = (8250 * 12121 + 5000) / 10000 = 10000 (rounded half up); 12122 gives 10001.
        var grid = Grid("reserve:WETH:liquidationBonus=12121,12122");

        Assert.Null(CellBuilder.Build(Market, Scenario.Default, grid, grid.Cell(0)).Invalid);
        Assert.Contains("= 10001 > 10000", CellBuilder.Build(Market, Scenario.Default, grid, grid.Cell(1)).Invalid, StringComparison.Ordinal);
    }

    [Fact]
    public void An_emode_threshold_not_above_its_reserves_is_flagged()
    {
        var market = Market with
        {
            AaveV3Markets = [Market.AaveV3Markets[0] with
            {
                EModes = [new EModeCategorySnapshot(1, "ETH correlated", 8100, 9300, 10100, null, "test")],
                Reserves = Market.AaveV3Markets[0].Reserves.Select(r => r.Asset == "WETH" ? r with { EModeCategory = 1 } : r).ToList(),
            }],
        };
        var grid = new SweepGrid(GridParser.ParseVary(["emode:1:liquidationThreshold=8250,9500"], GridContext.From(market)));

        Assert.Contains("must exceed its reserve WETH's", CellBuilder.Build(market, Scenario.Default, grid, grid.Cell(0)).Invalid, StringComparison.Ordinal);
        var valid = CellBuilder.Build(market, Scenario.Default, grid, grid.Cell(1));
        Assert.Null(valid.Invalid);
        Assert.Equal(9500, valid.Snapshot!.AaveV3Markets[0].EModes[0].LiquidationThresholdBps);
    }

    [Fact]
    public void A_valid_cell_changes_exactly_its_parameters()
    {
        var grid = Grid("reserve:WETH:liquidationThreshold=8400", "scenario:gasPriceGwei=7", "scenario:WETH:oracleHeartbeatSeconds=600", "scenario:shockPercent=50");
        var scenario = TestScenarios.InstantShock("0.8");

        var inputs = CellBuilder.Build(Market, scenario, grid, grid.Cell(0));

        Assert.Null(inputs.Invalid);
        var weth = inputs.Snapshot!.AaveV3Markets[0].Reserves.Single(r => r.Asset == "WETH");
        Assert.Equal((8000, 8400, 10500), (weth.LtvBps, weth.LiquidationThresholdBps, weth.LiquidationBonusBps));
        Assert.Equal(7800, inputs.Snapshot.AaveV3Markets[0].Reserves.Single(r => r.Asset == "USDC").LiquidationThresholdBps);
        Assert.Equal(7, inputs.Scenario!.Market.GasPriceGwei);
        Assert.Equal(new OracleOverride(null, 600, null), inputs.Scenario.Oracles["WETH"]);
        // The -20% end point scaled to -50%: multiplier 0.5.
        Assert.Equal([Wad.One, Wad.FromDecimal("0.5")], inputs.Scenario.DriverPath.Select(p => p.MultiplierWad));
        Assert.Same(Market.AaveV3Markets[0].Positions, inputs.Snapshot.AaveV3Markets[0].Positions);
        Assert.Equal(8250, Market.AaveV3Markets[0].Reserves.Single(r => r.Asset == "WETH").LiquidationThresholdBps);
    }

    [Fact]
    public void A_supply_cap_below_the_book_shrinks_accounts_posting_the_asset_pro_rata()
    {
        // 4 WETH posted in all; a 2 WETH cap halves both accounts, collateral and debt.
        var grid = Grid("reserve:WETH:supplyCap=2,0");

        var capped = CellBuilder.Build(Market, Scenario.Default, grid, grid.Cell(0)).Snapshot!.AaveV3Markets[0].Positions;
        var uncapped = CellBuilder.Build(Market, Scenario.Default, grid, grid.Cell(1)).Snapshot!.AaveV3Markets[0].Positions;

        Assert.Equal([MarketBuilder.Eth / 2, MarketBuilder.Eth * 3 / 2], capped.Select(p => p.Collateral[0].Amount));
        Assert.Equal([500 * MarketBuilder.Usdc, 2000 * MarketBuilder.Usdc], capped.Select(p => p.Debt[0].Amount));
        Assert.Same(Market.AaveV3Markets[0].Positions, uncapped);
    }
}
