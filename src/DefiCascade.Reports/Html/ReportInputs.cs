using System.Text.Json;

namespace DefiCascade.Reports.Html;

/// <summary>
/// The files of a finished run that the report is built from. result.json, blocks.csv and
/// liquidations.csv are required; montecarlo.json, paths.csv and sweep.csv are drawn when present.
/// </summary>
public sealed record ReportInputs(
    JsonElement Result,
    CsvTable Blocks,
    CsvTable Liquidations,
    JsonElement? MonteCarlo,
    CsvTable? Paths,
    CsvTable? Sweep)
{
    public const string ResultFile = "result.json";
    public const string BlocksFile = "blocks.csv";
    public const string LiquidationsFile = "liquidations.csv";
    public const string MonteCarloFile = "montecarlo.json";
    public const string PathsFile = "paths.csv";
    public const string SweepFile = "sweep.csv";

    /// <summary>Reads a run folder; a missing or unreadable required file throws, naming it.</summary>
    public static ReportInputs Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ReportInputException($"'{folder}' is not a folder (expected the --out folder of a finished run)");
        }

        return new ReportInputs(
            Json(Required(folder, ResultFile))!.Value,
            CsvTable.Parse(BlocksFile, File.ReadAllText(Required(folder, BlocksFile))),
            CsvTable.Parse(LiquidationsFile, File.ReadAllText(Required(folder, LiquidationsFile))),
            Json(Optional(folder, MonteCarloFile)),
            Optional(folder, PathsFile) is { } paths ? CsvTable.Parse(PathsFile, File.ReadAllText(paths)) : null,
            Optional(folder, SweepFile) is { } sweep ? CsvTable.Parse(SweepFile, File.ReadAllText(sweep)) : null);
    }

    private static string Required(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path)
            ? path
            : throw new ReportInputException($"{path} is missing: a report needs {ResultFile}, {BlocksFile} and {LiquidationsFile} from a finished simulate run");
    }

    private static string? Optional(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    private static JsonElement? Json(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ReportInputException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
