using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Paths;

/// <summary>
/// Replays recorded prices: a CSV with a header <c>timestamp,asset,price</c> (unix seconds) or
/// <c>block,asset,price</c> (blocks after the scenario start), interpolated linearly to every block
/// of the scenario and given as a multiplier of the price at block 0, so the shape of a past crash
/// can be replayed on today's market. Errors name file:line and the column.
/// </summary>
public static class CsvPriceReplay
{
    private enum Clock
    {
        Timestamp,
        Block,
    }

    private readonly record struct Row(long At, BigInteger PriceWad);

    /// <param name="text">The CSV text.</param>
    /// <param name="fileName">Shown in errors as fileName:line.</param>
    /// <param name="asset">Rows of this asset are replayed; rows of other assets are checked and skipped.</param>
    /// <param name="startTimestamp">Unix time of block 0 (timestamp files only); null = the asset's first row.</param>
    /// <param name="blockSeconds">The scenario's block time.</param>
    /// <param name="durationBlocks">Points are produced for blocks 0..durationBlocks.</param>
    public static IReadOnlyList<PathPoint> ToBlockPath(string text, string fileName, string asset, long? startTimestamp, int blockSeconds, int durationBlocks)
    {
        var (clock, rows) = Read(text, fileName, asset);
        if (clock == Clock.Block && startTimestamp is not null)
        {
            throw new ScenarioFormatException(fileName + ":1", "block", "startTimestamp applies to timestamp files only; block files count from the scenario start");
        }

        var origin = clock == Clock.Timestamp ? startTimestamp ?? rows[0].At : 0;
        var step = clock == Clock.Timestamp ? blockSeconds : 1;
        var reference = At(rows, origin);
        var points = new PathPoint[durationBlocks + 1];
        for (var b = 0; b <= durationBlocks; b++)
        {
            // Rounds toward zero, once per block; the reference block gives exactly one.
            points[b] = new PathPoint(b, At(rows, origin + ((long)b * step)) * WadRayMath.Wad / reference);
        }

        return points;
    }

    private static (Clock Clock, List<Row> Rows) Read(string text, string fileName, string asset)
    {
        var lines = text.Split('\n');
        var header = lines.Select((l, i) => (Text: l.Trim(), Line: i + 1)).FirstOrDefault(l => l.Text.Length > 0 && !l.Text.StartsWith('#'));
        var clock = header.Text?.Replace(" ", string.Empty, StringComparison.Ordinal) switch
        {
            "timestamp,asset,price" => Clock.Timestamp,
            "block,asset,price" => Clock.Block,
            _ => throw new ScenarioFormatException($"{fileName}:{System.Math.Max(header.Line, 1)}", string.Empty,
                "the header must be 'timestamp,asset,price' or 'block,asset,price'"),
        };
        var timeColumn = clock == Clock.Timestamp ? "timestamp" : "block";

        var rows = new List<Row>();
        for (var i = header.Line; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var where = $"{fileName}:{i + 1}";
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != 3)
            {
                throw new ScenarioFormatException(where, string.Empty, $"expected 3 columns ({timeColumn},asset,price), found {cells.Length}");
            }

            if (!long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
            {
                throw new ScenarioFormatException(where, timeColumn, $"'{cells[0]}' is not a whole non-negative number");
            }

            var price = ParsePrice(cells[2], where);
            if (cells[1] != asset)
            {
                continue;
            }

            if (rows.Count > 0 && at <= rows[^1].At)
            {
                throw new ScenarioFormatException(where, timeColumn, $"rows of {asset} must be in increasing time order ({at} after {rows[^1].At})");
            }

            rows.Add(new Row(at, price));
        }

        if (rows.Count == 0)
        {
            throw new ScenarioFormatException(fileName, "asset", $"no rows for asset '{asset}'");
        }

        return (clock, rows);
    }

    private static BigInteger ParsePrice(string text, string where)
    {
        BigInteger price;
        try
        {
            price = Core.Primitives.FixedPoint.Parse(text, 18);
        }
        catch (FormatException)
        {
            throw new ScenarioFormatException(where, "price", $"'{text}' is not a decimal number (at most 18 decimals)");
        }

        // A missing price is an error, never a default of 0 (shared/DESIGN.md).
        return price.Sign > 0 ? price : throw new ScenarioFormatException(where, "price", $"{text} is not a positive price");
    }

    /// <summary>Linear between the rows around <paramref name="at"/>; flat before the first row and after the last.</summary>
    private static BigInteger At(List<Row> rows, long at)
    {
        if (at <= rows[0].At)
        {
            return rows[0].PriceWad;
        }

        if (at >= rows[^1].At)
        {
            return rows[^1].PriceWad;
        }

        var (lo, hi) = (0, rows.Count - 1);
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = rows[mid].At <= at ? (mid, hi) : (lo, mid);
        }

        var (a, b) = (rows[lo], rows[hi]);
        return a.PriceWad + ((b.PriceWad - a.PriceWad) * (at - a.At) / (b.At - a.At));
    }
}
