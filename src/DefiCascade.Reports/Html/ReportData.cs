namespace DefiCascade.Reports.Html;

/// <summary>
/// Everything the charts draw, serialized as the page's JSON data island (id "report-data").
/// Per-block arrays are aligned with <see cref="Blocks"/>; null is a gap (no pool, no oracle).
/// </summary>
public sealed record ReportData(
    IReadOnlyList<long> Blocks,
    IReadOnlyList<PriceSeries> Prices,
    ActivitySeries Activity,
    MonteCarloHistogram? MonteCarlo,
    SweepHeatmaps? Sweep);

/// <summary>One asset's USD price per block: external (off-chain), pool (AMM) and oracle.</summary>
public sealed record PriceSeries(string Asset, double?[] External, double?[] Pool, double?[] Oracle);

/// <summary>Per block: bad debt so far, liquidationCalls, and debt repaid split by the collateral seized.</summary>
public sealed record ActivitySeries(double?[] BadDebtUsd, double?[] Liquidations, IReadOnlyList<CollateralSeries> DebtRepaidUsdByCollateral);

public sealed record CollateralSeries(string Asset, double[] DebtRepaidUsd);

/// <summary>Bad debt over Monte Carlo paths, binned, with the VaR marks drawn as vertical lines.</summary>
public sealed record MonteCarloHistogram(int Paths, IReadOnlyList<HistogramBin> Bins, IReadOnlyList<ValueMark> Marks);

/// <summary>Paths whose bad debt is in [From, To); the last bin also holds its upper edge.</summary>
public sealed record HistogramBin(double From, double To, int Count);

public sealed record ValueMark(string Label, double Usd);

/// <summary>sweep.csv as heatmaps: the first two columns are the grid, each further numeric column one map.</summary>
public sealed record SweepHeatmaps(string X, string Y, IReadOnlyList<double> XValues, IReadOnlyList<double> YValues, IReadOnlyList<Heatmap> Maps);

public sealed record Heatmap(string Metric, IReadOnlyList<HeatCell> Cells);

public sealed record HeatCell(double X, double Y, double V);
