using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Tests.Synthetic;

namespace DefiCascade.Simulation.Tests.Scenarios;

/// <summary>Every scenario shipped in fixtures/scenarios loads against the embedded default market's assets.</summary>
public class ShippedScenarioTests
{
    private static readonly string Folder = Path.Combine(RepoRoot.Find(), "fixtures", "scenarios");

    private static List<string> Names() => Directory.EnumerateFiles(Folder, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Files() => new(Names());

    [Fact]
    public void The_five_scenarios_the_readme_explains_are_shipped()
    {
        Assert.Subset(Names().ToHashSet(),
            new HashSet<string> { "sharp-crash.yaml", "slow-bleed.yaml", "lst-depeg.yaml", "usdc-depeg.yaml", "stable-debt-squeeze.yaml" });
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Shipped_scenario_loads_on_the_default_market(string file)
    {
        var market = SnapshotJson.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "fixtures", "default-market.json")), "default-market.json");
        var path = Path.Combine(Folder, file);

        var scenario = ScenarioLoader.Parse(File.ReadAllText(path), path, market);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
        Assert.Equal(0, scenario.DriverPath[0].Block);
    }
}
