using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine;

public class DeterminismTests
{
    private static MarketBuilder Market() => MarketBuilder.SixtyAccountsOnOnePool();

    [Fact]
    public void Same_seed_gives_the_same_events_and_a_different_seed_with_noise_does_not()
    {
        var scenario = TestScenarios.InstantShock("0.85") with { DurationBlocks = 40, NoiseBpsPerBlock = 40 };
        string Fingerprint(int seed) => string.Join("\n", new CascadeEngine(Market().Build(), scenario, seed).Run().Liquidations
            .Select(e => $"{e.Block} {e.User} {e.DebtRepaid} {e.CollateralToLiquidator} {e.SaleProceeds}"));

        var a = Fingerprint(11);
        Assert.NotEmpty(a);
        Assert.Equal(a, Fingerprint(11));
        Assert.NotEqual(a, Fingerprint(12));
    }
}
