using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace DefiCascade.Reports.Html;

/// <summary>
/// The markup of report.html. Every text that comes from an input (names, descriptions, assumption
/// values) passes through <see cref="E"/>; the charts are drawn by report.js from the data island.
/// </summary>
internal static class HtmlPage
{
    public static string Render(JsonElement result, ReportData data, MonteCarloSection monteCarlo, string sweepNote)
    {
        var scenario = Str(result, "run", "scenario");
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<meta name=\"generator\" content=\"DefiCascade report, Chart.js ").Append(E(ReportAssets.ChartJsVersion)).Append("\">\n")
         .Append("<title>DefiCascade report: ").Append(E(scenario)).Append("</title>\n")
         .Append("<style>\n").Append(ReportAssets.ReportCss).Append("</style>\n</head>\n<body>\n");

        h.Append("<header>\n<h1>DefiCascade: ").Append(E(scenario)).Append("</h1>\n")
         .Append("<p>").Append(E(Str(result, "run", "scenarioDescription"))).Append("</p>\n")
         .Append("<p class=\"status\"><strong>").Append(E(Str(result, "status", "outcome"))).Append("</strong>: ")
         .Append(E(Str(result, "status", "explanation"))).Append("</p>\n</header>\n");

        Summary(h, result);
        Mitigations(h, result);
        Prices(h, result, data);
        h.Append("<section id=\"activity\">\n<h2>Liquidations and bad debt per block</h2>\n")
         .Append("<p>Bars: debt repaid by liquidationCalls in the block (USD), by the collateral seized. Line: bad debt so far (USD, right axis).</p>\n");
        Canvas(h, "activity", "activity", 0, "Liquidations and bad debt per block");
        h.Append("</section>\n");
        MonteCarlo(h, monteCarlo);
        Sweep(h, data.Sweep, sweepNote);
        Assumptions(h, result);

        h.Append("<script type=\"application/json\" id=\"report-data\">").Append(HtmlReport.Island(data)).Append("</script>\n")
         .Append("<script>\n").Append(ReportAssets.ChartJs).Append("\n</script>\n")
         .Append("<script>\n").Append(ReportAssets.MatrixJs).Append("\n</script>\n")
         .Append("<script>\n").Append(ReportAssets.ReportJs).Append("\n</script>\n")
         .Append("</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>HTML-escapes text from an input (&lt; &gt; &amp; " ').</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static void Summary(StringBuilder h, JsonElement r)
    {
        var blockSeconds = Num(r, "run", "blockSeconds");
        var blocks = Num(r, "status", "blocksSimulated");
        var horizon = blockSeconds is { } s && blocks is { } b ? $" ({(s * b / 3600).ToString("0.##", CultureInfo.InvariantCulture)} h)" : string.Empty;
        Table(h, "summary", "Summary", ["Figure", "Value"],
        [
            ["Horizon", $"{Str(r, "status", "blocksSimulated")} blocks{horizon}: {Str(r, "status", "pathBlocks")} on the price path, {Str(r, "status", "settleBlocks")} settling"],
            ["Bad debt (protocol insolvency)", $"{Money(Str(r, "totals", "badDebtUsd"))} ({Str(r, "totals", "badDebtPercentOfBorrows")}% of the debt borrowed at the start, {Money(Str(r, "totals", "initialDebtUsd"))})"],
            ["Realized bad debt (no collateral left)", Money(Str(r, "totals", "realizedBadDebtUsd"))],
            ["Accounts with bad debt", Str(r, "totals", "accountsWithBadDebt")],
            ["Liquidations", $"{Str(r, "totals", "liquidationEvents")} liquidationCalls on {Str(r, "totals", "accountsLiquidated")} accounts"],
            ["Debt repaid / collateral seized", $"{Money(Str(r, "totals", "debtRepaidUsd"))} / {Money(Str(r, "totals", "collateralSeizedUsd"))}"],
            ["Liquidator profit / gas", $"{Money(Str(r, "totals", "liquidatorProfitUsd"))} / {Money(Str(r, "totals", "gasUsd"))}"],
            ["Accounts left below HF 1", Str(r, "totals", "accountsLeftBelowHfOne")],
        ]);
    }

    private static void Prices(StringBuilder h, JsonElement r, ReportData data)
    {
        h.Append("<section id=\"prices\">\n<h2>Price paths per asset</h2>\n")
         .Append("<p>USD price per block: external (off-chain market, with the liquidators' impact), pool (best AMM pool) and oracle (what the lending protocol sees). A gap: the asset has no pool or no oracle.</p>\n");
        for (var i = 0; i < data.Prices.Count; i++)
        {
            Canvas(h, "price-" + i.ToString(CultureInfo.InvariantCulture), "price", i, data.Prices[i].Asset);
        }

        var rows = Array(r, "prices").Select(p => new[]
        {
            Str(p, "asset"), Str(p, "startUsd"), Str(p, "exogenousEndUsd"), Str(p, "realizedEndUsd"), Str(p, "realizedLowUsd"),
            Str(p, "oracleEndUsd"), Str(p, "amplificationPoints"),
        }).ToList();
        Table(h, null, "Start and end", ["Asset", "Start", "Scenario end", "Realized end", "Realized low", "Oracle end", "Amplification (pp)"], rows);
        h.Append("</section>\n");
    }

    private static void MonteCarlo(StringBuilder h, MonteCarloSection mc)
    {
        h.Append("<section id=\"montecarlo\">\n<h2>Bad debt over Monte Carlo paths</h2>\n<p class=\"note\">").Append(E(mc.Note)).Append("</p>\n");
        if (mc.Chart is not null)
        {
            Canvas(h, "montecarlo-chart", "montecarlo", 0, "Bad debt distribution (paths per bin), VaR marks");
        }

        if (mc.Facts.Count > 0)
        {
            Table(h, null, "Metrics", ["Metric", "Value"], mc.Facts.Select(f => new[] { f.Name, f.Value }).ToList());
        }

        h.Append("</section>\n");
    }

    private static void Sweep(StringBuilder h, SweepHeatmaps? sweep, string note)
    {
        h.Append("<section id=\"sweep\">\n<h2>Parameter sweep</h2>\n<p class=\"note\">").Append(E(note)).Append("</p>\n");
        for (var i = 0; sweep is not null && i < sweep.Maps.Count; i++)
        {
            Canvas(h, "sweep-" + i.ToString(CultureInfo.InvariantCulture), "sweep", i, sweep.Maps[i].Metric);
        }

        h.Append("</section>\n");
    }

    /// <summary>A scenario's mitigations against the same snapshot, scenario and seed run without them (result.json "mitigations").</summary>
    private static void Mitigations(StringBuilder h, JsonElement r)
    {
        if (Find(r, "mitigations") is not { } m)
        {
            return;
        }

        List<string[]> rows =
        [
            ["Blocks where the liquidation cap bound", Blocks(Str(m, "liquidationCapBoundBlocks")), string.Empty],
            ["Blocks paused by the circuit breaker", Blocks(Str(m, "pausedBlocks")), string.Empty],
        ];
        if (Find(m, "mitigationEffect") is { } e)
        {
            rows.Add(["Bad debt", Money(Str(e, "badDebtUsd")), Money(Str(e, "badDebtUsdWithout"))]);
            rows.Add(["Debt repaid by liquidations", Money(Str(e, "debtRepaidUsd")), Money(Str(e, "debtRepaidUsdWithout"))]);
            rows.Add(["Liquidation events", Str(e, "liquidationEvents"), Str(e, "liquidationEventsWithout")]);
            rows.Add(["Blocks simulated", Str(e, "blocksSimulated"), Str(e, "blocksSimulatedWithout")]);
        }

        var changes = Array(m, "reserveChanges").ToList();
        if (Find(m, "reserveChanges") is not null)
        {
            rows.Insert(2, ["Reserve parameters set (parameterChanges, dynamicThreshold)", changes.Count.ToString(CultureInfo.InvariantCulture), "the snapshot's"]);
            rows.InsertRange(3, changes.GroupBy(c => Str(c, "asset"), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.MinBy(c => Num(c, "liquidationThresholdBps") ?? double.MaxValue))
                .Select(low => new[] { $"Lowest {Str(low, "asset")} liquidation threshold set (bps)", $"{Str(low, "liquidationThresholdBps")} (block {Str(low, "block")})", string.Empty }));
        }

        Table(h, "mitigations", "Mitigations: this run against the same run without them", ["Figure", "With the mitigations", "Without"], rows);
        if (changes.Count > 0)
        {
            const int Shown = 100;
            var list = changes.Take(Shown).Select(c => new[]
            {
                Str(c, "block"), Str(c, "market"), Str(c, "asset"), Str(c, "ltvBps"), Str(c, "liquidationThresholdBps"), Str(c, "liquidationBonusBps"),
                Find(c, "annualizedVolatilityBps") is null ? string.Empty : Str(c, "annualizedVolatilityBps"), Str(c, "cause"),
            }).ToList();
            if (changes.Count > Shown)
            {
                list.Add([$"… {changes.Count - Shown} more in result.json", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty]);
            }

            Table(h, "reserve-parameters", "Reserve parameters set during the run (in force from the block shown)",
                ["Block", "Market", "Asset", "LTV (bps)", "Liq. threshold (bps)", "Liq. bonus (bps)", "Annualized oracle volatility (bps)", "Cause"], list);
        }
    }

    private static string Blocks(string list) => list.Length == 0 ? "none" : list.Split(',').Length + " (" + (list.Length > 200 ? list[..200] + "…" : list) + ")";

    private static void Assumptions(StringBuilder h, JsonElement r)
    {
        List<string[]> rows =
        [
            ["engine", Str(r, "run", "engine"), string.Empty],
            ["lending model", Str(r, "run", "lendingModel"), string.Empty],
            ["seed", Str(r, "run", "seed"), string.Empty],
            ["block time (s)", Str(r, "run", "blockSeconds"), string.Empty],
            ["snapshot", $"chain {Str(r, "run", "snapshot", "chainId")}, block {Str(r, "run", "snapshot", "block")}, timestamp {Str(r, "run", "snapshot", "timestamp")}", Str(r, "run", "snapshot", "kind")],
            ["snapshot coverage", Str(r, "run", "snapshot", "coverage"), string.Empty],
        ];
        if (Find(r, "run") is { } run)
        {
            rows.AddRange(Array(run, "assumptions").Select(a => new[] { Str(a, "name"), Str(a, "value"), Str(a, "basis") }));
        }

        Table(h, "assumptions", "Assumptions", ["Assumption", "Value", "Basis"], rows);
    }

    private static void Canvas(StringBuilder h, string id, string kind, int index, string caption) =>
        h.Append("<figure>\n<figcaption>").Append(E(caption)).Append("</figcaption>\n<div class=\"chart\"><canvas id=\"").Append(id)
         .Append("\" data-chart=\"").Append(kind).Append("\" data-index=\"").Append(index.ToString(CultureInfo.InvariantCulture))
         .Append("\" role=\"img\" aria-label=\"").Append(E(caption)).Append("\"></canvas></div>\n</figure>\n");

    /// <summary>A table; with an id it is its own section, without one it sits in the current section.</summary>
    private static void Table(StringBuilder h, string? id, string title, string[] header, IReadOnlyList<string[]> rows)
    {
        h.Append(id is null ? "<h3>" + E(title) + "</h3>\n" : $"<section id=\"{id}\">\n<h2>{E(title)}</h2>\n").Append("<table>\n<thead><tr>");
        foreach (var column in header)
        {
            h.Append("<th>").Append(E(column)).Append("</th>");
        }

        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            h.Append("<tr>");
            foreach (var cell in row)
            {
                h.Append("<td>").Append(E(cell)).Append("</td>");
            }

            h.Append("</tr>\n");
        }

        h.Append("</tbody>\n</table>\n").Append(id is null ? string.Empty : "</section>\n");
    }

    /// <summary>An exact USD decimal string for people: "$1,234,567"; what does not parse is shown as it is.</summary>
    private static string Money(string exact) =>
        decimal.TryParse(exact, NumberStyles.Number, CultureInfo.InvariantCulture, out var usd)
            ? usd.ToString(Math.Abs(usd) >= 1000 ? "$#,##0;-$#,##0" : "$#,##0.00;-$#,##0.00", CultureInfo.InvariantCulture)
            : exact;

    private static JsonElement? Find(JsonElement e, params string[] path)
    {
        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }

        return e;
    }

    /// <summary>A value of result.json as text; absent reads "n/a" (an older result.json still renders).</summary>
    private static string Str(JsonElement e, params string[] path) => Find(e, path) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => "n/a",
    };

    private static double? Num(JsonElement e, params string[] path) =>
        Find(e, path) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        Find(e, name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];
}
