using System.Reflection;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Cli.Commands;

/// <summary>A problem with what the user gave us: reported with the file and field, exit code 2.</summary>
public sealed class BadInputException(string message) : Exception(message);

/// <summary>Loads snapshots (a file, or the embedded default market) and scenarios, turning every failure into a <see cref="BadInputException"/>.</summary>
public static class InputLoader
{
    public const string EmbeddedName = "default-market.json";

    public static (MarketSnapshot Snapshot, string Name) LoadSnapshot(string? path)
    {
        string text;
        string name;
        if (path is null)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
                ?? throw new InvalidOperationException("the embedded default market is missing from this build");
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
            name = $"embedded fixtures/{EmbeddedName}";
        }
        else
        {
            text = ReadFile(path, "--snapshot");
            name = path;
        }

        try
        {
            return (SnapshotJson.Parse(text, name), name);
        }
        catch (SnapshotFormatException e)
        {
            throw new BadInputException(e.Message);
        }
    }

    public static Scenario LoadScenario(string? path, MarketSnapshot snapshot)
    {
        var known = snapshot.Tokens.Select(t => t.Symbol).ToHashSet(StringComparer.Ordinal);
        if (path is null)
        {
            var missing = Scenario.Default.BetasWad.Keys.Append(Scenario.Default.Driver).Where(a => !known.Contains(a)).Distinct().ToList();
            if (missing.Contains(Scenario.Default.Driver))
            {
                throw new BadInputException($"the default scenario drives {Scenario.Default.Driver}, which the snapshot does not hold; pass --scenario");
            }

            return Scenario.Default with { BetasWad = Scenario.Default.BetasWad.Where(kv => known.Contains(kv.Key)).ToDictionary() };
        }

        try
        {
            return ScenarioLoader.Parse(ReadFile(path, "--scenario"), path, snapshot);
        }
        catch (ScenarioFormatException e)
        {
            throw new BadInputException(e.Message);
        }
    }

    private static string ReadFile(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot read the {option} file: {e.Message}");
        }
    }
}
