using System.Reflection;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Cli.Commands;

/// <summary>A problem with what the user gave us: reported with the file and field, exit code 2.</summary>
public sealed class BadInputException(string message) : Exception(message);

/// <summary>Loads snapshots (a file, or the embedded default market) and scenarios, turning every failure into a <see cref="BadInputException"/>.</summary>
public static class InputLoader
{
    public const string EmbeddedName = "default-market.json";

    /// <summary>Snapshots at least this large (~200k positions) are worth warming the engine up for while they load (<see cref="EngineWarmUp"/>).</summary>
    public const long WarmUpFromBytes = 32L << 20;

    public static (MarketSnapshot Snapshot, string Name) LoadSnapshot(string? path)
    {
        byte[] utf8;
        string name;
        if (path is null)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
                ?? throw new InvalidOperationException("the embedded default market is missing from this build");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            utf8 = copy.ToArray();
            name = $"embedded fixtures/{EmbeddedName}";
        }
        else
        {
            // Bytes, not text: the parser reads UTF-8 directly (a 1M-position file is ~155 MB; as a string, twice that).
            utf8 = ReadFile(path, "--snapshot", File.ReadAllBytes);
            name = path;
        }

        try
        {
            return (SnapshotJson.Parse(utf8, name), name);
        }
        catch (SnapshotFormatException e)
        {
            throw new BadInputException(e.Message);
        }
    }

    /// <summary>The size of the --snapshot file, or 0 when there is none (the embedded market) or it cannot be read (loading reports that).</summary>
    public static long SnapshotBytes(string? path)
    {
        try
        {
            return path is null ? 0 : new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return 0;
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
            return ScenarioLoader.Parse(ReadFile(path, "--scenario", File.ReadAllText), path, snapshot);
        }
        catch (ScenarioFormatException e)
        {
            throw new BadInputException(e.Message);
        }
    }

    private static T ReadFile<T>(string path, string option, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot read the {option} file: {e.Message}");
        }
    }
}
