using System.Diagnostics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Synthetic;
using Xunit.Abstractions;

namespace DefiCascade.Simulation.Tests.Synthetic;

/// <summary>
/// Golden file: fixtures/default-market.json is the generator's output for the default options.
/// Set DEFI_CASCADE_APPROVE=1 to rewrite it after an intended change (and review the diff).
/// </summary>
public class DefaultMarketFixtureTests(ITestOutputHelper output)
{
    private static readonly string FixturePath = Path.Combine(RepoRoot.Find(), "fixtures", "default-market.json");

    [Fact]
    public void Committed_fixture_equals_the_generator_output_byte_for_byte()
    {
        var watch = Stopwatch.StartNew();
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions());
        output.WriteLine($"generated {snapshot.AaveV3Markets[0].Positions.Count} positions in {watch.ElapsedMilliseconds} ms");
        var text = SnapshotJson.Serialize(snapshot);
        output.WriteLine(MarketSummary.Of(snapshot).ToMarkdown());

        if (Environment.GetEnvironmentVariable("DEFI_CASCADE_APPROVE") == "1")
        {
            File.WriteAllText(FixturePath, text);
            output.WriteLine($"approved: rewrote {FixturePath}");
            return;
        }

        Assert.True(File.Exists(FixturePath), $"{FixturePath} is missing: run with DEFI_CASCADE_APPROVE=1 to create it");
        var committed = File.ReadAllText(FixturePath);
        // Assert.Equal on 4 MB strings prints both; report the first difference instead.
        var firstDiff = Enumerable.Range(0, Math.Min(text.Length, committed.Length)).FirstOrDefault(i => text[i] != committed[i], -1);
        Assert.True(
            text == committed,
            $"fixtures/default-market.json differs from the generator (first difference at char {firstDiff}, lengths {committed.Length} vs {text.Length}); "
            + "if intended, re-approve with DEFI_CASCADE_APPROVE=1");
    }

    [Fact]
    public void Committed_fixture_parses()
    {
        var snapshot = SnapshotJson.Parse(File.ReadAllText(FixturePath), "fixtures/default-market.json");
        Assert.Equal("synthetic", snapshot.Origin.Kind);
        Assert.True(snapshot.AaveV3Markets[0].Positions.Count >= 20_000);
    }

    /// <summary>Timing of the 1,000,000-account book; opt in with DEFI_CASCADE_BENCH=1 (takes seconds and memory).</summary>
    [Fact]
    public void One_million_positions_timing()
    {
        if (Environment.GetEnvironmentVariable("DEFI_CASCADE_BENCH") != "1")
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions(Positions: 1_000_000));
        output.WriteLine($"generated {snapshot.AaveV3Markets[0].Positions.Count} positions in {watch.ElapsedMilliseconds} ms");
        watch.Restart();
        var text = SnapshotJson.Serialize(snapshot);
        output.WriteLine($"serialized {text.Length / 1_000_000} MB in {watch.ElapsedMilliseconds} ms");
        watch.Restart();
        SnapshotJson.Parse(text, "1m.json");
        output.WriteLine($"parsed in {watch.ElapsedMilliseconds} ms");
    }
}
