using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// The warm-up `simulate` runs on a spare core while a large snapshot loads: it runs to its end when left
/// alone, stops when disposed, and a real run beside it gives the same files as a run alone.
/// </summary>
public class EngineWarmUpTests
{
    // A generous bound on a run that takes seconds: it only keeps a broken warm-up from hanging the suite.
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(5);

    [Fact]
    public void Left_alone_it_runs_the_whole_synthetic_cascade()
    {
        using var warmUp = EngineWarmUp.Start();

        Assert.True(warmUp.Wait(Hang));
        Assert.Null(warmUp.Failure);
        Assert.True(warmUp.Finished);
        Assert.Equal(EngineWarmUp.WarmUpScenario.DurationBlocks, warmUp.Blocks);
    }

    [Fact]
    public void Disposed_at_once_it_stops_without_failing()
    {
        var warmUp = EngineWarmUp.Start();

        // Disposing cancels and joins; the 20,000-account book is still being generated, so the cascade never finishes.
        warmUp.Dispose();

        Assert.False(warmUp.Finished);
        Assert.Null(warmUp.Failure);
        Assert.True(warmUp.Blocks < EngineWarmUp.WarmUpScenario.DurationBlocks);
        warmUp.Dispose();
    }

    [Fact]
    public void A_run_beside_a_warm_up_gives_the_files_of_a_run_alone()
    {
        var market = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 5_000 });
        var scenario = Scenario.Default with { DurationBlocks = 120, DriverPath = [new PathPoint(0, Wad.One), new PathPoint(120, Wad.FromDecimal("0.75"))] };
        (string Json, int Liquidations) Run()
        {
            var result = new CascadeEngine(market, scenario, seed: 3).Run();
            return (ResultJson.Serialize(result), result.Liquidations.Count);
        }

        var alone = Run();
        (string Json, int Liquidations) beside;
        using (var warmUp = EngineWarmUp.Start())
        {
            beside = Run();
            Assert.True(warmUp.Wait(Hang));
            Assert.True(warmUp.Finished);
        }

        Assert.True(alone.Liquidations > 0);
        Assert.Equal(alone.Json, beside.Json);
    }
}
