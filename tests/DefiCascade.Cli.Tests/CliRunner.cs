using System.Text.Json.Nodes;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Cli.Tests;

/// <summary>Runs the CLI in memory and provides small inputs in a temporary folder.</summary>
public sealed class CliRunner : IDisposable
{
    private static readonly Lazy<string> SmallSnapshotText = new(() =>
        SnapshotJson.Serialize(DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 300, Seed = 5 })));

    public CliRunner()
    {
        Root = Path.Combine(Path.GetTempPath(), "defi-cascade-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        OutDir = Path.Combine(Root, "out");
        Directory.CreateDirectory(OutDir);
    }

    public string Root { get; }

    public string OutDir { get; }

    /// <summary>A short crash on the 300-account market: fast enough for many test runs.</summary>
    public const string ShortScenario = """
        name: short-crash
        durationBlocks: 60
        path:
          - { block: 60, multiplier: 0.7 }
        maxSettleBlocks: 40
        """;

    public static string SmallSnapshot => SmallSnapshotText.Value;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The small snapshot with one edit applied to its JSON tree.</summary>
    public string WriteSnapshot(string name, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(SmallSnapshot)!;
        edit(node);
        return Write(name, node.ToJsonString());
    }

    public (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never mask a test's own failure.
        }
    }
}
