using System.Text.Json;

namespace DefiCascade.Reports.Html;

/// <summary>
/// report.html: one self-contained page (data, chart library and code inlined; nothing fetched when
/// it is opened) built from the files a run already wrote. simulate --html and report --from both
/// come through <see cref="WriteToFolder"/>.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    private static readonly JsonSerializerOptions IslandOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// Reads result.json, blocks.csv, liquidations.csv (and montecarlo.json, paths.csv, sweep.csv
    /// when present) from <paramref name="folder"/> and writes the report atomically, by default as
    /// folder/report.html. Returns the path written. A missing required file throws
    /// <see cref="ReportInputException"/> naming it.
    /// </summary>
    public static string WriteToFolder(string folder, string? outputFile = null)
    {
        var html = Render(ReportInputs.Load(folder));
        var target = Path.GetFullPath(outputFile ?? Path.Combine(folder, FileName));
        OutputFolder.WriteAll(Path.GetDirectoryName(target)!, [(Path.GetFileName(target), html)]);
        return target;
    }

    public static string Render(ReportInputs inputs)
    {
        var (blocks, prices, activity) = RunSeries.From(inputs.Blocks, inputs.Liquidations);
        var monteCarlo = MonteCarloSection.From(inputs);
        var (sweep, sweepNote) = SweepSection.From(inputs.Sweep);
        var data = new ReportData(blocks, prices, activity, monteCarlo.Chart, sweep);
        return HtmlPage.Render(inputs.Result, data, monteCarlo, sweepNote);
    }

    /// <summary>
    /// The data island's JSON. The default encoder writes &lt;, &gt;, &amp; and quotes as \u escapes,
    /// so no input text can close the script element that holds it.
    /// </summary>
    public static string Island(ReportData data) => JsonSerializer.Serialize(data, IslandOptions);
}
