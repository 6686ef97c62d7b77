using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// The floating-point health-factor screen decides which accounts the exact model examines.
/// It must never miss a liquidatable account; its error against the exact integer HF is measured here.
/// </summary>
public class ScreeningTests
{
    [Fact]
    public void Screen_never_misses_an_account_below_hf_one_and_its_error_is_bounded()
    {
        const int seed = 4242;
        var random = new Random(seed);
        var market = MarketBuilder.AMarket().WithV2Pool(100_000_000, 50_000);
        for (var i = 0; i < 5_000; i++)
        {
            // Sizes from $10 to $10M; HF spread around 1 at $2,000 so that a move to $1,900 puts many just under 1.
            var weth = Math.Round((decimal)Math.Pow(10, random.NextDouble() * 4 - 2.3), 6);
            var hf = 0.9 + random.NextDouble() * 0.3;
            var usdc = Math.Round(weth * 2000m * 0.825m / (decimal)hf, 6);
            market.WithPosition(weth, Math.Max(usdc, 0.000001m));
        }

        var state = new MarketState(market.Build(), TestScenarios.InstantShock("0.95"));
        var book = state.Books[0];
        book.Oracle.Prices[0] = 1900_00000000;
        book.RescreenAll();

        var (missed, worst, below) = (0, 0.0, 0);
        for (var i = 0; i < book.Accounts.Length; i++)
        {
            var exact = book.AccountData(i).HealthFactor;
            var screen = book.ScreenHealthFactor(i);
            if (exact < WadRayMath.Wad)
            {
                below++;
                missed += screen < 1.0 + 1e-6 ? 0 : 1;
            }

            worst = Math.Max(worst, Math.Abs(screen - (double)exact / 1e18) / ((double)exact / 1e18));
        }

        Assert.True(below > 500, $"seed {seed}: the case should put many accounts below 1, got {below}");
        Assert.Equal(0, missed);
        Assert.True(worst < 1e-6, $"seed {seed}: worst relative screen error {worst:E3} exceeds the 1e-6 margin");
    }
}
