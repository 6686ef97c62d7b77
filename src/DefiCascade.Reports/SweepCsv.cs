using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Reports.Html;
using DefiCascade.Simulation.Sweeps;

namespace DefiCascade.Reports;

/// <summary>A shard file that cannot be merged, with the file named.</summary>
public sealed class SweepFileException(string message) : Exception(message);

/// <summary>
/// A sweep's files. sweep.csv: one row per cell in cell order; the first two columns are the first two axes (the
/// report's heatmap x and y; a one-axis grid gets a constant "none" column), then the six metrics the report draws,
/// then the rest. A shard file is the same header and rows behind two comment lines carrying the sweep's id and
/// manifest. sweep.csv, frontier.csv and sweep.json are built from (manifest, rows) only, so a merge of shards and
/// an unsharded run go through the same code and write the same bytes.
/// </summary>
public static class SweepCsv
{
    public const string Schema = "defi-cascade/sweep/v1";
    public const string ManifestSchema = "defi-cascade/sweep-manifest/v1";
    public const string NoSecondAxis = "none";

    private static readonly string[] Metrics =
    [
        "bad_debt_var99_usd", "bad_debt_var95_usd", "bad_debt_es95_usd", "probability_of_bad_debt", "liquidation_volume_lar95_usd", "bad_debt_mean_usd",
        "liquidation_volume_mean_usd", "liquidations_mean", "paths_with_bad_debt", "paths", "truncated_paths",
    ];

    public static string ShardFileName(int shard, int shards) => $"sweep.shard-{shard}-of-{shards}.csv";

    public static string Header(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return string.Join(',', new[] { axes[0].Id, axes.Count > 1 ? axes[1].Id : NoSecondAxis }
            .Concat(Metrics).Concat(axes.Skip(2).Select(a => a.Id)).Append("cell").Append("status"));
    }

    public static string Row(CellResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var v = r.Cell.Values.Select(SweepAxis.Format).ToList();
        var m = r.Metrics;
        string[] metrics = m is null
            ? Metrics.Select(_ => string.Empty).ToArray()
            :
            [
                Usd.Exact(m.BadDebtEVaR99Usd), Usd.Exact(m.BadDebtVaR95Usd), Usd.Exact(m.BadDebtExpectedShortfall95Usd),
                Ratio(m.PathsWithBadDebt, r.Paths), Usd.Exact(m.LiquidationVolumeLaR95Usd), Usd.Exact(m.BadDebtMeanUsd),
                Usd.Exact(r.LiquidationVolumeMeanUsd), Ratio(r.Liquidations, r.Paths), Int(m.PathsWithBadDebt), Int(r.Paths), Int(r.TruncatedPaths),
            ];
        var cells = new[] { v[0], v.Count > 1 ? v[1] : "0" }.Concat(metrics).Concat(v.Skip(2))
            .Append(Int(r.Cell.Index)).Append(Quote(r.Invalid is null ? "ok" : "invalid: " + r.Invalid));
        return string.Join(',', cells);
    }

    /// <summary>sweep.shard-k-of-N.csv: "#sweep ID shard k of N", "#manifest {json}", then sweep.csv's header and this shard's rows.</summary>
    public static string Shard(SweepManifest manifest, int shard, int shards, IEnumerable<string> rows)
    {
        var json = ManifestJson(manifest);
        return $"#sweep {Id(json)} shard {shard} of {shards}\n#manifest {json}\n{Header(manifest.Axes)}\n" + string.Concat(rows.Select(r => r + "\n"));
    }

    /// <summary>Merges shard files (name, text) into one manifest and the rows of every cell, refusing shards of different sweeps.</summary>
    public static (SweepManifest Manifest, IReadOnlyList<string> Rows) Merge(IReadOnlyList<(string Name, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new SweepFileException("no shard files to merge (expected sweep.shard-K-of-N.csv files or folders holding them)");
        }

        var parsed = files.Select(f => ParseShard(f.Name, f.Text)).ToList();
        var first = parsed[0];
        var seen = new Dictionary<int, string>();
        foreach (var p in parsed)
        {
            if (p.Id != first.Id || p.ManifestJson != first.ManifestJson)
            {
                throw new SweepFileException($"{p.Name}: belongs to a different sweep (id {p.Id}) than {first.Name} (id {first.Id}): grid, seed, paths, budget, snapshot or scenario differ");
            }

            if (p.Shards != first.Shards)
            {
                throw new SweepFileException($"{p.Name}: is shard {p.Shard} of {p.Shards}, but {first.Name} is one of {first.Shards}");
            }

            if (!seen.TryAdd(p.Shard, p.Name))
            {
                throw new SweepFileException($"{p.Name}: shard {p.Shard} of {p.Shards} is given twice (also {seen[p.Shard]})");
            }
        }

        var missing = Enumerable.Range(1, first.Shards).Where(k => !seen.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new SweepFileException($"shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} of {first.Shards} missing (given: {string.Join(", ", parsed.Select(p => p.Name))})");
        }

        var manifest = ReadManifest(first.Name, first.ManifestJson);
        var cells = manifest.Axes.Aggregate(1, (n, a) => n * a.Values.Count);
        foreach (var p in parsed)
        {
            var expected = Enumerable.Range(0, cells).Where(i => i % p.Shards == p.Shard - 1).ToList();
            if (!p.Rows.Select(r => r.Cell).SequenceEqual(expected))
            {
                throw new SweepFileException($"{p.Name}: holds cells {Span(p.Rows.Select(r => r.Cell))}, expected {Span(expected)}: the file is incomplete or edited");
            }
        }

        return (manifest, parsed.SelectMany(p => p.Rows).OrderBy(r => r.Cell).Select(r => r.Text).ToList());
    }

    /// <summary>sweep.csv, frontier.csv and sweep.json from the manifest and every cell's row (in cell order).</summary>
    public static (string Sweep, string Frontier, string Json) Build(SweepManifest manifest, IReadOnlyList<string> rows)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(rows);
        var header = Header(manifest.Axes);
        var sweep = header + "\n" + string.Concat(rows.Select(r => r + "\n"));
        var table = CsvTable.Parse("sweep.csv", sweep);
        var (var99, cell, status) = (table.Column(Metrics[0]), table.Column("cell"), table.Column("status"));
        var axisColumns = manifest.Axes.Select(a => table.Column(a.Id)).ToList();
        var cells = table.Rows.Select(r => new FrontierCell(
            int.Parse(r[cell], CultureInfo.InvariantCulture),
            axisColumns.Select(c => decimal.Parse(r[c], CultureInfo.InvariantCulture)).ToList(),
            r[status] == "ok" ? FixedPoint.Parse(r[var99], Usd.Decimals) : null)).ToList();
        var frontier = SafeFrontier.Find(manifest.Axes, manifest.Bases, manifest.BudgetUsd, cells);
        var invalid = table.Rows.Where(r => r[status] != "ok").Select(r => (Cell: r[cell], Reason: r[status]["invalid: ".Length..])).ToList();

        var csv = new StringBuilder("asset,liquidation_bonus_bps,bonus_swept,safe_liquidation_threshold_bps,safe_bad_debt_var99_usd,failing_liquidation_threshold_bps,failing_bad_debt_var99_usd,budget_usd,non_monotone,recommended\n");
        foreach (var p in frontier)
        {
            csv.Append(string.Join(',', p.Asset, SweepAxis.Format(p.BonusBps), Bool(p.BonusSwept),
                p.SafeThresholdBps is { } s ? SweepAxis.Format(s) : string.Empty, p.SafeVaR99Usd is { } sv ? Usd.Exact(sv) : string.Empty,
                p.FailingThresholdBps is { } f ? SweepAxis.Format(f) : string.Empty, p.FailingVaR99Usd is { } fv ? Usd.Exact(fv) : string.Empty,
                Usd.Exact(manifest.BudgetUsd), Bool(p.NonMonotone), Bool(p.Recommended))).Append('\n');
        }

        return (sweep, csv.ToString(), Json(manifest, cells.Count, invalid, frontier));
    }

    public static string ManifestJson(SweepManifest m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return Write(false, w =>
        {
            w.WriteString("schema", ManifestSchema);
            WriteManifestFields(w, m);
        });
    }

    /// <summary>The sweep's id: the first 16 hex digits of SHA-256 over its manifest JSON.</summary>
    public static string Id(string manifestJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifestJson)))[..16];

    private static void WriteManifestFields(Utf8JsonWriter w, SweepManifest m)
    {
        w.WriteString("scenario", m.Scenario);
        w.WriteString("scenarioSha256", m.ScenarioSha256);
        w.WriteString("snapshotSha256", m.SnapshotSha256);
        w.WriteNumber("chainId", m.ChainId);
        w.WriteNumber("snapshotBlock", m.SnapshotBlock);
        w.WriteString("snapshotKind", m.SnapshotKind);
        w.WriteNumber("seed", m.Seed);
        w.WriteNumber("paths", m.Paths);
        w.WriteNumber("blockSeconds", m.BlockSeconds);
        w.WriteNumber("horizonBlocks", m.HorizonBlocks);
        w.WriteNumber("maxSettleBlocks", m.MaxSettleBlocks);
        w.WriteString("budgetUsd", Usd.Exact(m.BudgetUsd));
        w.WriteStartArray("axes");
        foreach (var a in m.Axes)
        {
            w.WriteStartObject();
            w.WriteString("id", a.Id);
            w.WriteStartArray("values");
            foreach (var v in a.Values)
            {
                w.WriteStringValue(SweepAxis.Format(v));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("bases");
        foreach (var b in m.Bases)
        {
            w.WriteStartObject();
            w.WriteString("asset", b.Asset);
            w.WriteNumber("liquidationThresholdBps", b.LiquidationThresholdBps);
            w.WriteNumber("liquidationBonusBps", b.LiquidationBonusBps);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Json(SweepManifest m, int cells, List<(string Cell, string Reason)> invalid, IReadOnlyList<FrontierPoint> frontier) => Write(true, w =>
    {
        w.WriteString("schema", Schema);
        w.WriteString("sweepId", Id(ManifestJson(m)));
        WriteManifestFields(w, m);
        w.WriteNumber("horizonHours", Math.Round(m.HorizonBlocks * (double)m.BlockSeconds / 3600, 4));
        w.WriteString("measuredAt", "bad debt at the end of each path: its horizonBlocks, then settling until a quiet block or maxSettleBlocks more");
        w.WriteString("pathSeeds", MonteCarloJson.SeedMethod + "; the same seeds in every cell (common random numbers)");
        w.WriteString("quantiles", MonteCarloJson.QuantileMethod);
        w.WriteString("cellOrder", "row-major over axes in the order given: the first axis changes slowest; cell = the row's index");
        w.WriteString("frontierRule", "per asset and bonus: the highest swept liquidation threshold whose bad-debt VaR99 (worst over every other axis) is at most budgetUsd, every lower swept threshold also within it; recommended: the highest such threshold, ties to the lowest bonus");
        w.WriteNumber("cells", cells);
        w.WriteNumber("validCells", cells - invalid.Count);
        w.WriteStartArray("invalidCells");
        foreach (var (cell, reason) in invalid)
        {
            w.WriteStartObject();
            w.WriteNumber("cell", int.Parse(cell, CultureInfo.InvariantCulture));
            w.WriteString("reason", reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("frontier");
        foreach (var p in frontier)
        {
            w.WriteStartObject();
            w.WriteString("asset", p.Asset);
            w.WriteNumber("liquidationBonusBps", p.BonusBps);
            w.WriteBoolean("bonusSwept", p.BonusSwept);
            Nullable(w, "safeLiquidationThresholdBps", p.SafeThresholdBps);
            w.WriteString("safeBadDebtVaR99Usd", p.SafeVaR99Usd is { } s ? Usd.Exact(s) : null);
            Nullable(w, "failingLiquidationThresholdBps", p.FailingThresholdBps);
            w.WriteString("failingBadDebtVaR99Usd", p.FailingVaR99Usd is { } f ? Usd.Exact(f) : null);
            w.WriteBoolean("nonMonotone", p.NonMonotone);
            w.WriteBoolean("recommended", p.Recommended);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static SweepManifest ReadManifest(string name, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var r = document.RootElement;
            var axes = r.GetProperty("axes").EnumerateArray().Select(a => AxisFromId(a.GetProperty("id").GetString()!,
                a.GetProperty("values").EnumerateArray().Select(v => decimal.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToList())).ToList();
            var bases = r.GetProperty("bases").EnumerateArray().Select(b => new FrontierBase(b.GetProperty("asset").GetString()!,
                b.GetProperty("liquidationThresholdBps").GetInt32(), b.GetProperty("liquidationBonusBps").GetInt32())).ToList();
            string S(string p) => r.GetProperty(p).GetString()!;
            int I(string p) => r.GetProperty(p).GetInt32();
            var manifest = new SweepManifest(S("scenario"), S("scenarioSha256"), S("snapshotSha256"), r.GetProperty("chainId").GetInt64(),
                r.GetProperty("snapshotBlock").GetInt64(), S("snapshotKind"), I("seed"), I("paths"), I("blockSeconds"), I("horizonBlocks"),
                I("maxSettleBlocks"), FixedPoint.Parse(S("budgetUsd"), Usd.Decimals), axes, bases);
            // Re-serializing must give the same text, or something in the file was edited by hand.
            return ManifestJson(manifest) == json ? manifest : throw new SweepFileException($"{name}: the #manifest line is not one this version writes");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new SweepFileException($"{name}: the #manifest line is not a sweep manifest: {e.Message}");
        }
    }

    private static SweepAxis AxisFromId(string id, IReadOnlyList<decimal> values)
    {
        var parts = id.Split(':');
        var target = parts[0] switch { "reserve" => SweepTarget.Reserve, "emode" => SweepTarget.EMode, "scenario" => SweepTarget.Scenario, _ => throw new FormatException($"unknown axis {id}") };
        var parameter = SweepParameter.Find(target, parts[^1]) ?? throw new FormatException($"unknown axis {id}");
        return new SweepAxis(parameter, parts.Length == 3 ? parts[1] : null, values);
    }

    private sealed record ShardFile(string Name, string Id, int Shard, int Shards, string ManifestJson, IReadOnlyList<(int Cell, string Text)> Rows);

    private static ShardFile ParseShard(string name, string text)
    {
        var lines = text.Split('\n');
        var head = lines[0].Split(' ');
        if (lines.Length < 3 || head.Length != 6 || head[0] != "#sweep" || head[2] != "shard" || head[4] != "of"
            || !int.TryParse(head[3], CultureInfo.InvariantCulture, out var shard) || !int.TryParse(head[5], CultureInfo.InvariantCulture, out var shards)
            || !lines[1].StartsWith("#manifest ", StringComparison.Ordinal))
        {
            throw new SweepFileException($"{name}: not a sweep shard file (its first lines must be '#sweep ID shard K of N' and '#manifest {{...}}', as 'sweep --shard' writes them)");
        }

        var json = lines[1]["#manifest ".Length..];
        if (Id(json) != head[1])
        {
            throw new SweepFileException($"{name}: its sweep id {head[1]} does not match its manifest (the file was edited)");
        }

        var manifest = ReadManifest(name, json);
        if (lines[2] != Header(manifest.Axes))
        {
            throw new SweepFileException($"{name}: its header does not match its manifest's axes");
        }

        var cell = lines[2].Split(',').Length - 2;
        var rows = lines.Skip(3).Where(l => l.Length > 0)
            .Select(l => (int.TryParse(CsvTable.Parse(name, lines[2] + "\n" + l).Rows[0][cell], CultureInfo.InvariantCulture, out var c) ? c : -1, l)).ToList();
        return new ShardFile(name, head[1], shard, shards, json, rows);
    }

    private static string Write(bool indented, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal);
        return indented ? text + "\n" : text;
    }

    private static void Nullable(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Span(IEnumerable<int> cells)
    {
        var list = cells.ToList();
        return list.Count <= 8 ? $"[{string.Join(", ", list)}]" : $"[{string.Join(", ", list.Take(8))}, ... {list.Count} in all]";
    }

    private static string Ratio(long part, int whole) => Math.Round((decimal)part / whole, 6).ToString(CultureInfo.InvariantCulture);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
