using System.Xml.Linq;

namespace DefiCascade.Cli.Tests;

/// <summary>One direction of dependency (shared/DESIGN.md): a project may reference only layers below it.</summary>
public class LayeringTests
{
    private static readonly string[] Layers =
    [
        "DefiCascade.Core", "DefiCascade.Ethereum", "DefiCascade.Lending", "DefiCascade.Amm",
        "DefiCascade.Adapters", "DefiCascade.Simulation", "DefiCascade.Reports", "DefiCascade.Replay", "DefiCascade.Cli",
    ];

    // Amm and Lending know nothing of each other or of the chain; Adapters know nothing of the simulation.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["DefiCascade.Core"] = [],
        ["DefiCascade.Ethereum"] = ["DefiCascade.Core"],
        ["DefiCascade.Amm"] = ["DefiCascade.Core"],
        ["DefiCascade.Lending"] = ["DefiCascade.Core"],
        ["DefiCascade.Adapters"] = ["DefiCascade.Core", "DefiCascade.Ethereum", "DefiCascade.Amm", "DefiCascade.Lending"],
        ["DefiCascade.Simulation"] = ["DefiCascade.Core", "DefiCascade.Amm", "DefiCascade.Lending"],
        ["DefiCascade.Reports"] = ["DefiCascade.Core", "DefiCascade.Amm", "DefiCascade.Lending", "DefiCascade.Simulation"],
        // the chain replay acts the engine's decisions out on a node: above both the readers and the simulation.
        ["DefiCascade.Replay"] = ["DefiCascade.Core", "DefiCascade.Ethereum", "DefiCascade.Amm", "DefiCascade.Lending", "DefiCascade.Adapters", "DefiCascade.Simulation"],
        ["DefiCascade.Cli"] = Layers,
    };

    [Fact]
    public void No_source_project_references_a_layer_above_it()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var projects = Directory.GetDirectories(src).Select(Path.GetFileName).ToList();
        Assert.Contains("DefiCascade.Simulation", projects);
        foreach (var project in projects)
        {
            Assert.True(Allowed.ContainsKey(project!), $"{project} is not placed in the layer table of this test");
            var csproj = XDocument.Load(Path.Combine(src, project!, project + ".csproj"));
            var references = csproj.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value));
            foreach (var reference in references)
            {
                Assert.True(Allowed[project!].Contains(reference), $"{project} must not reference {reference} (a layer above it or beside it)");
            }
        }
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DefiCascade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DefiCascade.sln not found above the test folder");
    }
}
