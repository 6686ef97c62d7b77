using System.Text.Json;

namespace DefiCascade.Report.BrowserTests;

/// <summary>
/// report.html from a real simulation, opened from disk in headless Chromium: every chart has drawn
/// its data, and the page logged no error and asked for nothing but itself.
/// </summary>
public sealed class ReportInBrowserTests(ReportRun run) : IClassFixture<ReportRun>
{
    // For every chart canvas: its size, how many pixels are painted at all, how many are near the
    // colour of its first dataset (its data, not just axes and grid), and how many data points Chart.js holds.
    private const string MeasureCharts = """
        () => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
          const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          const chart = Chart.getChart(c);
          const first = chart ? chart.data.datasets[0] : null;
          const hex = first && typeof first.backgroundColor === 'string' && first.backgroundColor.startsWith('#') ? first.backgroundColor : null;
          const rgb = hex ? [1, 3, 5].map(i => parseInt(hex.substr(i, 2), 16)) : null;
          let painted = 0, data = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            if (pixels[i + 3] === 0) continue;
            painted++;
            if (rgb && Math.abs(pixels[i] - rgb[0]) + Math.abs(pixels[i + 1] - rgb[1]) + Math.abs(pixels[i + 2] - rgb[2]) < 60) data++;
          }
          const points = chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(p => p !== null && (typeof p !== 'object' || (p.y ?? p.v) !== null)).length, 0) : 0;
          return { id: c.id, kind: c.dataset.chart, width: c.width, height: c.height, painted, data, hasColour: rgb !== null, points };
        })
        """;

    [Fact]
    public async Task Every_chart_of_a_simulation_report_draws_its_data_with_no_error_and_no_request()
    {
        await using var page = await ChromiumPage.StartAsync();
        var charts = await OpenAndMeasureAsync(run.SimulationOnly, page);

        var assets = ReportRun.Assets(run.SimulationOnly);
        Assert.Equal(6, assets);
        Assert.Equal(Enumerable.Range(0, assets).Select(i => $"price-{i}").Append("activity"), charts.Select(c => c.Id));
        AssertDrawn(charts);
        var text = await page.Page.InnerTextAsync("body");
        Assert.Contains("No Monte Carlo run", text, StringComparison.Ordinal);
        Assert.Contains("No sweep", text, StringComparison.Ordinal);
        Assert.Contains("WETH", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monte_Carlo_histogram_and_sweep_heatmaps_draw_from_their_files()
    {
        await using var page = await ChromiumPage.StartAsync();
        var charts = await OpenAndMeasureAsync(run.WithMonteCarloAndSweep, page);

        var assets = ReportRun.Assets(run.WithMonteCarloAndSweep);
        var expected = Enumerable.Range(0, assets).Select(i => $"price-{i}").Concat(["activity", "montecarlo-chart", "sweep-0", "sweep-1"]);
        Assert.Equal(expected, charts.Select(c => c.Id));
        AssertDrawn(charts);

        // Every path lands in exactly one bin, and both VaR marks reach the chart.
        var histogram = await page.Page.EvaluateAsync<JsonElement>("""
            () => { const c = Chart.getChart(document.getElementById('montecarlo-chart'));
                    return { paths: c.data.datasets[0].data.reduce((n, p) => n + p.y, 0), marks: c.options.plugins.markLines.marks.map(m => m.label) }; }
            """);
        Assert.Equal(ReportRun.MonteCarloPaths, histogram.GetProperty("paths").GetInt32());
        Assert.Equal(["VaR95", "EVaR99"], histogram.GetProperty("marks").EnumerateArray().Select(m => m.GetString()));

        // 5 thresholds x 5 shocks; the heatmap fills most of its plot.
        var sweep = charts.Single(c => c.Id == "sweep-0");
        Assert.Equal(25, sweep.Points);
        Assert.True(sweep.Painted > sweep.Width * sweep.Height / 3, $"the heatmap painted only {sweep.Painted} of {sweep.Width * sweep.Height} pixels");
    }

    private static void AssertDrawn(IReadOnlyList<ChartPixels> charts)
    {
        foreach (var c in charts)
        {
            Assert.True(c.Width > 100 && c.Height > 100, $"{c.Id} is {c.Width}x{c.Height} pixels");
            Assert.True(c.Points > 0, $"{c.Id} holds no data points");
            Assert.True(c.Painted > 1000, $"{c.Id} painted only {c.Painted} pixels");
            if (c.HasColour)
            {
                Assert.True(c.Data > 50, $"{c.Id}: only {c.Data} pixels in its first dataset's colour, so its data did not draw");
            }
        }
    }

    private static async Task<IReadOnlyList<ChartPixels>> OpenAndMeasureAsync(string folder, ChromiumPage page)
    {
        var file = new Uri(Path.Combine(folder, "report.html")).AbsoluteUri;
        await page.Page.GotoAsync(file);
        var ready = await page.Page.EvaluateAsync<string?>("() => document.documentElement.dataset.chartsReady ?? null");
        Assert.True(ready is not null, $"report.js did not finish; page errors: {string.Join(" | ", page.PageErrors)}; console errors: {string.Join(" | ", page.ConsoleErrors)}");
        var charts = (await page.Page.EvaluateAsync<JsonElement>(MeasureCharts)).EnumerateArray().Select(ChartPixels.From).ToList();
        Assert.Equal(int.Parse(ready!, System.Globalization.CultureInfo.InvariantCulture), charts.Count);

        Assert.Empty(page.PageErrors);
        Assert.Empty(page.ConsoleErrors);
        Assert.Equal([file], page.Requests);
        return charts;
    }

    private sealed record ChartPixels(string Id, string Kind, int Width, int Height, int Painted, int Data, bool HasColour, int Points)
    {
        public static ChartPixels From(JsonElement e) => new(
            e.GetProperty("id").GetString()!, e.GetProperty("kind").GetString()!, e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32(),
            e.GetProperty("painted").GetInt32(), e.GetProperty("data").GetInt32(), e.GetProperty("hasColour").GetBoolean(), e.GetProperty("points").GetInt32());
    }
}
