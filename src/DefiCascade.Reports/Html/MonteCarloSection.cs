using System.Globalization;
using System.Text.Json;

namespace DefiCascade.Reports.Html;

/// <summary>
/// montecarlo.json (schema defi-cascade/montecarlo/v1) for the report: the bad-debt histogram over
/// paths with the VaR95 / EVaR99 marks, and every metric as a table row. Absent file: no section data.
/// </summary>
public sealed record MonteCarloSection(MonteCarloHistogram? Chart, IReadOnlyList<(string Name, string Value)> Facts, string Note)
{
    public const string Schema = "defi-cascade/montecarlo/v1";
    public const string NoRun = "No Monte Carlo run: this folder has no montecarlo.json (simulate --paths N writes one).";
    private const int MaxBins = 40;

    private static readonly (string Metric, string Label)[] MarkMetrics = [("badDebtVaR95Usd", "VaR95"), ("badDebtEVaR99Usd", "EVaR99")];

    public static MonteCarloSection From(ReportInputs inputs)
    {
        if (inputs.MonteCarlo is not { } json)
        {
            return new MonteCarloSection(null, [], NoRun);
        }

        var schema = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("schema", out var s) ? s.ToString() : "(none)";
        if (schema != Schema)
        {
            return new MonteCarloSection(null, [], $"{ReportInputs.MonteCarloFile} has schema '{schema}', not {Schema}: not drawn.");
        }

        var facts = new List<(string, string)>();
        foreach (var p in json.EnumerateObject().Where(p => p.Name != "schema" && Scalar(p.Value)))
        {
            facts.Add((p.Name, Text(p.Value)));
        }

        var marks = new List<ValueMark>();
        if (json.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in metrics.EnumerateObject())
            {
                if (Scalar(p.Value))
                {
                    facts.Add((p.Name, Text(p.Value)));
                }
                else if (p.Value.ValueKind == JsonValueKind.Object)
                {
                    // One level down (criticalShock, branching): its scalars as "group.name".
                    facts.AddRange(p.Value.EnumerateObject().Where(q => Scalar(q.Value)).Select(q => ($"{p.Name}.{q.Name}", Text(q.Value))));
                }
            }

            foreach (var (metric, label) in MarkMetrics)
            {
                if (metrics.TryGetProperty(metric, out var v) && Number(v) is { } usd)
                {
                    marks.Add(new ValueMark(label, usd));
                }
            }
        }

        var badDebt = PerPathBadDebt(json, inputs.Paths);
        var chart = badDebt.Count == 0 ? null : new MonteCarloHistogram(badDebt.Count, Histogram(badDebt, BinCount(badDebt.Count)), marks);
        var note = chart is null
            ? $"{ReportInputs.MonteCarloFile} lists no per-path bad debt (perPath[].badDebtUsd), so there is no distribution to draw."
            : $"Bad debt over {badDebt.Count.ToString(CultureInfo.InvariantCulture)} paths.";
        return new MonteCarloSection(chart, facts, note);
    }

    /// <summary>About the square root of the sample size, at most 40 bins.</summary>
    public static int BinCount(int samples) => Math.Clamp((int)Math.Ceiling(Math.Sqrt(samples)), 1, MaxBins);

    /// <summary>Equal-width bins from the smallest to the largest value; the last bin includes its upper edge.</summary>
    public static IReadOnlyList<HistogramBin> Histogram(IReadOnlyList<double> values, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var min = values.Min();
        var max = values.Max();
        if (max <= min)
        {
            // Every path gave the same bad debt (often zero): one bar of unit width.
            return [new HistogramBin(min, min + 1, values.Count)];
        }

        var width = (max - min) / bins;
        var counts = new int[bins];
        foreach (var v in values)
        {
            counts[Math.Min(bins - 1, (int)Math.Floor((v - min) / width))]++;
        }

        return counts.Select((c, i) => new HistogramBin(min + i * width, i == bins - 1 ? max : min + (i + 1) * width, c)).ToList();
    }

    private static List<double> PerPathBadDebt(JsonElement json, CsvTable? paths)
    {
        var values = new List<double>();
        if (json.TryGetProperty("perPath", out var perPath) && perPath.ValueKind == JsonValueKind.Array)
        {
            foreach (var path in perPath.EnumerateArray())
            {
                if (path.ValueKind == JsonValueKind.Object && path.TryGetProperty("badDebtUsd", out var v) && Number(v) is { } usd)
                {
                    values.Add(usd);
                }
            }
        }

        // paths.csv carries the same per-path figures when montecarlo.json leaves them out.
        if (values.Count == 0 && paths is not null)
        {
            var column = new[] { "bad_debt_usd", "badDebtUsd" }.FirstOrDefault(paths.Has);
            if (column is not null)
            {
                var c = paths.Column(column);
                values.AddRange(paths.Rows.Select(r => CsvTable.Number(r, c)).OfType<double>());
            }
        }

        return values;
    }

    private static bool Scalar(JsonElement e) => e.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    /// <summary>USD figures may be JSON numbers or exact decimal strings.</summary>
    private static double? Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };
}
