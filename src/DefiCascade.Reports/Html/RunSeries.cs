using System.Globalization;

namespace DefiCascade.Reports.Html;

/// <summary>The per-block series of one run, from blocks.csv and liquidations.csv.</summary>
public static class RunSeries
{
    private const string ExternalPrefix = "external_usd_";

    /// <summary>The assets of blocks.csv, in column order (each has external_usd_, pool_usd_ and oracle_usd_ columns).</summary>
    public static IReadOnlyList<string> Assets(CsvTable blocks) =>
        blocks.Header.Where(h => h.StartsWith(ExternalPrefix, StringComparison.Ordinal) && h.Length > ExternalPrefix.Length)
            .Select(h => h[ExternalPrefix.Length..])
            .ToList();

    public static (IReadOnlyList<long> Blocks, IReadOnlyList<PriceSeries> Prices, ActivitySeries Activity) From(CsvTable blocks, CsvTable liquidations)
    {
        var blockColumn = blocks.Column("block");
        var numbers = new List<long>(blocks.Rows.Count);
        var index = new Dictionary<long, int>();
        foreach (var row in blocks.Rows)
        {
            if (!long.TryParse(row[blockColumn], NumberStyles.Integer, CultureInfo.InvariantCulture, out var block))
            {
                throw new ReportInputException($"{blocks.Name}: block '{row[blockColumn]}' is not a block number");
            }

            index.TryAdd(block, numbers.Count);
            numbers.Add(block);
        }

        var prices = Assets(blocks).Select(asset => new PriceSeries(
                asset,
                Series(blocks, ExternalPrefix + asset),
                Series(blocks, "pool_usd_" + asset),
                Series(blocks, "oracle_usd_" + asset)))
            .ToList();
        var activity = new ActivitySeries(Series(blocks, "bad_debt_usd"), Series(blocks, "liquidations"), ByCollateral(liquidations, index, numbers.Count));
        return (numbers, prices, activity);
    }

    /// <summary>A column as numbers per row; an absent column is all gaps, so an older file still draws.</summary>
    private static double?[] Series(CsvTable table, string column)
    {
        if (!table.Has(column))
        {
            return new double?[table.Rows.Count];
        }

        var c = table.Column(column);
        return table.Rows.Select(row => CsvTable.Number(row, c)).ToArray();
    }

    /// <summary>Debt repaid (USD) per block, one series per collateral asset seized, in order of first appearance.</summary>
    private static IReadOnlyList<CollateralSeries> ByCollateral(CsvTable liquidations, Dictionary<long, int> blockIndex, int blockCount)
    {
        if (liquidations.Rows.Count == 0)
        {
            return [];
        }

        var block = liquidations.Column("block");
        var collateral = liquidations.Column("collateral");
        var repaid = liquidations.Column("debt_repaid_usd");
        var series = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in liquidations.Rows)
        {
            if (!long.TryParse(row[block], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                || !blockIndex.TryGetValue(number, out var i))
            {
                throw new ReportInputException($"{liquidations.Name}: block '{row[block]}' is not a row of blocks.csv");
            }

            var asset = row[collateral];
            if (!series.TryGetValue(asset, out var values))
            {
                values = new double[blockCount];
                series[asset] = values;
                order.Add(asset);
            }

            values[i] += CsvTable.Number(row, repaid) ?? 0;
        }

        return order.Select(a => new CollateralSeries(a, series[a])).ToList();
    }
}
