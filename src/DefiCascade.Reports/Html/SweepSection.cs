using System.Globalization;

namespace DefiCascade.Reports.Html;

/// <summary>
/// sweep.csv as heatmaps. The contract (README, "The HTML report"): one row per grid cell; the first
/// two columns are the swept parameters (x, y); every further column with a number in it is a metric
/// drawn as one heatmap (the first six). Rows that share an (x, y) cell show the largest value (the
/// worst case over any further dimension).
/// </summary>
public static class SweepSection
{
    public const string NoSweep = "No sweep: this folder has no sweep.csv.";
    private const int MaxMaps = 6;

    public static (SweepHeatmaps? Chart, string Note) From(CsvTable? sweep)
    {
        if (sweep is null)
        {
            return (null, NoSweep);
        }

        if (sweep.Header.Count < 3)
        {
            return (null, $"{sweep.Name} needs two parameter columns and at least one metric column; it has {sweep.Header.Count.ToString(CultureInfo.InvariantCulture)} columns.");
        }

        var rows = sweep.Rows
            .Select(r => (X: CsvTable.Number(r, 0), Y: CsvTable.Number(r, 1), Row: r))
            .Where(r => r.X is not null && r.Y is not null)
            .ToList();
        var maps = new List<Heatmap>();
        for (var c = 2; c < sweep.Header.Count && maps.Count < MaxMaps; c++)
        {
            var cells = new Dictionary<(double, double), double>();
            foreach (var (x, y, row) in rows)
            {
                if (CsvTable.Number(row, c) is { } v)
                {
                    var key = (x!.Value, y!.Value);
                    cells[key] = cells.TryGetValue(key, out var old) ? Math.Max(old, v) : v;
                }
            }

            if (cells.Count > 0)
            {
                maps.Add(new Heatmap(sweep.Header[c], cells.OrderBy(k => k.Key.Item2).ThenBy(k => k.Key.Item1)
                    .Select(k => new HeatCell(k.Key.Item1, k.Key.Item2, k.Value)).ToList()));
            }
        }

        if (maps.Count == 0)
        {
            return (null, $"{sweep.Name} has no numeric grid cells to draw.");
        }

        var xs = rows.Select(r => r.X!.Value).Distinct().Order().ToList();
        var ys = rows.Select(r => r.Y!.Value).Distinct().Order().ToList();
        var note = $"{xs.Count.ToString(CultureInfo.InvariantCulture)} × {ys.Count.ToString(CultureInfo.InvariantCulture)} grid of {sweep.Header[0]} × {sweep.Header[1]}.";
        return (new SweepHeatmaps(sweep.Header[0], sweep.Header[1], xs, ys, maps), note);
    }
}
