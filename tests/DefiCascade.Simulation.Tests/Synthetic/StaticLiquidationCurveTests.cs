using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Synthetic;
using Xunit.Abstractions;

namespace DefiCascade.Simulation.Tests.Synthetic;

/// <summary>
/// The default book's fragility against public liquidation volumes (fixtures/README.md, "Static
/// liquidatable-debt curve"): exact integer HF at shocked oracle prices, no cascade.
/// </summary>
public class StaticLiquidationCurveTests(ITestOutputHelper output)
{
    private static readonly Lazy<MarketSnapshot> Default = new(() => DefaultMarketGenerator.Generate(new MarketGeneratorOptions()));

    private static readonly Lazy<IReadOnlyList<CurvePoint>> Curve = new(() => StaticLiquidationCurve.Of(Default.Value));

    private static AaveV3MarketSnapshot Market => Default.Value.AaveV3Markets[0];

    [Fact]
    public void Every_point_of_the_curve_lies_in_its_documented_band()
    {
        Assert.Equal(StaticLiquidationCurve.EthMovesBps, StaticLiquidationCurve.Targets.Select(t => t.EthMoveBps));
        foreach (var (point, target) in Curve.Value.Zip(StaticLiquidationCurve.Targets))
        {
            output.WriteLine($"ETH {point.EthMoveBps / 100}%: {point.DebtShare:P2} of debt (target {target.Share:P2}, band {target.Low:P2}-{target.High:P2}), {point.AccountShare:P2} of accounts");
            Assert.InRange(point.DebtShare, target.Low, target.High);
        }
    }

    [Fact]
    public void Curve_rises_with_the_move_and_small_moves_still_liquidate_someone()
    {
        var shares = Curve.Value.Select(p => p.DebtShare).ToList();
        Assert.Equal(shares.Order(), shares);
        Assert.True(Curve.Value[0].AccountShare > 0.002, "a -10% move should still liquidate a few accounts (the near-1 tail)");
    }

    [Fact]
    public void Targets_rest_on_the_composition_they_assume()
    {
        // The README converts event volumes with the book's stablecoin share of debt (0.422) and adds the
        // whale's step (1.85%); a book far from these would make the targets themselves wrong.
        var v = new AccountValuation(Default.Value, Market);
        var total = Market.Positions.Sum(p => (double)v.DebtBase(p.Debt));
        var stable = Market.Positions.SelectMany(p => p.Debt).Where(d => d.Asset is "USDC" or "USDT" or "DAI").Sum(d => (double)v.ValueUp(d.Asset, d.Amount));
        Assert.InRange(stable / total, 0.38, 0.46);
        var whale = Market.Positions[0];
        Assert.InRange((double)v.DebtBase(whale.Debt) / total, 0.016, 0.021);
    }

    [Fact]
    public void Trend_whale_sits_at_a_realistic_health_factor_and_crosses_between_minus_17_and_minus_20()
    {
        var v = new AccountValuation(Default.Value, Market);
        var whale = Market.Positions[0];
        Assert.Equal(60_100m, (decimal)whale.Collateral.Single(c => c.Asset == "WETH").Amount / 1e18m);
        Assert.InRange((double)v.HealthFactorWad(whale)!.Value / 1e18, 1.15, 1.25);
        var alone = Default.Value with { AaveV3Markets = [Market with { Positions = [whale] }] };
        var curve = StaticLiquidationCurve.Of(alone, [-1_700, -2_000]);
        Assert.Equal(0.0, curve[0].AccountShare);
        Assert.Equal(1.0, curve[1].AccountShare);
    }

    [Fact]
    public void E_mode_loops_do_not_move_with_eth_usd()
    {
        var loops = Default.Value with { AaveV3Markets = [Market with { Positions = Market.Positions.Where(p => p.EMode == 1).ToList() }] };
        Assert.NotEmpty(loops.AaveV3Markets[0].Positions);
        Assert.All(StaticLiquidationCurve.Of(loops), p => Assert.Equal(0.0, p.DebtShare));
    }
}
