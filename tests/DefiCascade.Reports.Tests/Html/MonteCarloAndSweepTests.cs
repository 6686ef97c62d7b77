using DefiCascade.Reports.Html;

namespace DefiCascade.Reports.Tests.Html;

public class MonteCarloAndSweepTests
{
    [Fact]
    public void Histogram_of_0_to_9_in_four_bins_counts_by_hand()
    {
        var bins = MonteCarloSection.Histogram([.. Enumerable.Range(0, 10).Select(i => (double)i)], 4);

        // Width 2.25: [0, 2.25) holds 0 1 2; [2.25, 4.5) 3 4; [4.5, 6.75) 5 6; [6.75, 9] 7 8 9.
        Assert.Equal([3, 2, 2, 3], bins.Select(b => b.Count));
        Assert.Equal([0, 2.25, 4.5, 6.75], bins.Select(b => b.From));
        Assert.Equal(9, bins[^1].To);
    }

    [Fact]
    public void Identical_values_make_one_bar_and_bin_count_grows_as_the_square_root()
    {
        var bins = MonteCarloSection.Histogram([0, 0, 0], 2);

        Assert.Equal([new HistogramBin(0, 1, 3)], bins);
        Assert.Equal(4, MonteCarloSection.BinCount(10));
        Assert.Equal(10, MonteCarloSection.BinCount(100));
        Assert.Equal(40, MonteCarloSection.BinCount(100_000));
    }

    [Fact]
    public void Montecarlo_json_gives_the_distribution_the_var_marks_and_every_metric()
    {
        using var run = new RunFolder().WithRun().Write("montecarlo.json", """
            { "schema": "defi-cascade/montecarlo/v1", "horizonBlocks": 1800,
              "metrics": { "badDebtVaR95Usd": "300.5", "badDebtEVaR99Usd": 390, "probabilityOfBadDebt": 0.75,
                           "criticalShock": { "absorbedShockPercent": 22.5, "trials": [] } },
              "perPath": [ { "path": 0, "badDebtUsd": "0" }, { "path": 1, "badDebtUsd": 100 }, { "path": 2, "badDebtUsd": "300" }, { "path": 3, "badDebtUsd": "400" } ] }
            """);

        var mc = MonteCarloSection.From(ReportInputs.Load(run.Path));

        Assert.NotNull(mc.Chart);
        Assert.Equal(4, mc.Chart.Paths);
        // Two bins (the square root of 4) of width 200: 0 and 100, then 300 and 400.
        Assert.Equal([2, 2], mc.Chart.Bins.Select(b => b.Count));
        Assert.Equal([new ValueMark("VaR95", 300.5), new ValueMark("EVaR99", 390)], mc.Chart.Marks);
        Assert.Contains(("horizonBlocks", "1800"), mc.Facts);
        Assert.Contains(("probabilityOfBadDebt", "0.75"), mc.Facts);
        Assert.Contains(("criticalShock.absorbedShockPercent", "22.5"), mc.Facts);
        Assert.Contains("Bad debt over 4 paths", HtmlReport.Render(ReportInputs.Load(run.Path)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_montecarlo_json_of_another_schema_is_named_not_drawn()
    {
        using var run = new RunFolder().WithRun().Write("montecarlo.json", """{ "schema": "defi-cascade/montecarlo/v9" }""");

        var mc = MonteCarloSection.From(ReportInputs.Load(run.Path));

        Assert.Null(mc.Chart);
        Assert.Contains("defi-cascade/montecarlo/v9", mc.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_csv_becomes_one_heatmap_per_numeric_metric_with_the_worst_value_per_cell()
    {
        var sweep = CsvTable.Parse("sweep.csv", """
            threshold_bps,shock_pct,bad_debt_var99_usd,note
            8000,10,5,a
            8000,10,9,b
            8500,10,7,c
            8000,20,1,d

            """);

        var (chart, note) = SweepSection.From(sweep);

        Assert.NotNull(chart);
        Assert.Equal(("threshold_bps", "shock_pct"), (chart.X, chart.Y));
        Assert.Equal([8000.0, 8500.0], chart.XValues);
        Assert.Equal([10.0, 20.0], chart.YValues);
        var map = Assert.Single(chart.Maps);
        Assert.Equal("bad_debt_var99_usd", map.Metric);
        Assert.Equal([new HeatCell(8000, 10, 9), new HeatCell(8500, 10, 7), new HeatCell(8000, 20, 1)], map.Cells);
        Assert.Equal("2 × 2 grid of threshold_bps × shock_pct.", note);
    }

    [Fact]
    public void Without_sweep_csv_the_section_says_so()
    {
        Assert.Equal((null, SweepSection.NoSweep), SweepSection.From(null));
    }
}
