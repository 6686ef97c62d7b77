using System.Numerics;
using DefiCascade.Simulation.Paths;

namespace DefiCascade.Simulation.Scenarios;

/// <summary>A path as read: piecewise points (every kind has them) and the seeded diffusion that multiplies them, if any.</summary>
internal sealed record PathRead(IReadOnlyList<PathPoint> Points, JumpDiffusionSpec? Diffusion);

/// <summary>
/// Reads a price path: a list of points (piecewise-linear, the original form) or a mapping with
/// a <c>kind</c>: piecewise, shock, csv or gbm. See README "Writing a scenario".
/// </summary>
internal sealed class PathReader(int blockSeconds, int duration)
{
    public const string Kinds = "piecewise, shock, csv, gbm";

    /// <param name="node">The path node.</param>
    /// <param name="asset">The asset the path prices; a CSV replays its rows unless the path names another.</param>
    /// <param name="allowDiffusion">False where only a deterministic path makes sense (a depeg ratio).</param>
    public PathRead Read(ScenarioNode node, string asset, bool allowDiffusion)
    {
        if (node.IsList)
        {
            return new PathRead(ReadPoints(node), null);
        }

        if (!node.IsMapping)
        {
            throw node.Error($"must be a list of points or a mapping with a 'kind' ({Kinds})");
        }

        var kindNode = node.Required("kind");
        var kind = kindNode.AsString();
        var result = kind switch
        {
            "piecewise" => new PathRead(ReadPoints(node.Required("points")), null),
            "shock" => new PathRead(ReadShock(node), null),
            "csv" => new PathRead(ReadCsv(node, asset), null),
            "gbm" when allowDiffusion => ReadGbm(node),
            "gbm" => throw kindNode.Error("a depeg ratio is deterministic: use piecewise, shock or csv (put the noise on the peg asset)"),
            _ => throw kindNode.Error($"'{kind}' is not a path kind ({Kinds})"),
        };
        node.RejectUnknownKeys();
        return result;
    }

    public List<PathPoint> ReadPoints(ScenarioNode node)
    {
        var points = new List<PathPoint>();
        foreach (var item in node.Items())
        {
            var at = ReadTime(item, min: 0);
            var multiplier = item.Required("multiplier").AsWad("0.000001", "100");
            item.RejectUnknownKeys();
            if (points.Count > 0 && at <= points[^1].Block)
            {
                throw item.Error($"points must be in increasing time order (block {at} after block {points[^1].Block})");
            }

            points.Add(new PathPoint(at, multiplier));
        }

        if (points.Count == 0)
        {
            throw node.Error("needs at least one point");
        }

        if (points[0].Block != 0)
        {
            points.Insert(0, new PathPoint(0, Wad.One));
        }

        return points;
    }

    public static int HoursToBlocks(BigInteger hoursWad, int blockSeconds, ScenarioNode node, string field)
    {
        var blocks = hoursWad * 3600 / (blockSeconds * Wad.One);
        if (blocks < 1 && hoursWad > 0)
        {
            throw node.Error("is shorter than one block", field);
        }

        return (int)blocks;
    }

    /// <summary>Exactly one of 'hours' or 'block', inside the scenario.</summary>
    private int ReadTime(ScenarioNode item, int min)
    {
        var hours = item.Optional("hours")?.AsWad("0", "10000");
        var block = item.Optional("block")?.AsInt(0, 10_000_000);
        if ((hours is null) == (block is null))
        {
            throw item.Error("each point needs exactly one of 'hours' or 'block'");
        }

        var field = block is null ? "hours" : "block";
        var at = block ?? (hours!.Value.IsZero ? 0 : HoursToBlocks(hours.Value, blockSeconds, item, "hours"));
        if (at > duration)
        {
            throw item.Error($"lies after the scenario's end (block {at} > duration {duration} blocks)");
        }

        return at >= min ? at : throw item.Error($"must be at block {min} or later (block 0 is the start price)", field);
    }

    /// <summary>The price jumps to the multiplier at one block and stays: flat before, a step, flat after.</summary>
    private List<PathPoint> ReadShock(ScenarioNode node)
    {
        var at = ReadTime(node, min: 1);
        var multiplier = node.Required("multiplier").AsWad("0.000001", "100");
        var points = new List<PathPoint> { new(0, Wad.One) };
        if (at > 1)
        {
            points.Add(new PathPoint(at - 1, Wad.One));
        }

        points.Add(new PathPoint(at, multiplier));
        return points;
    }

    private IReadOnlyList<PathPoint> ReadCsv(ScenarioNode node, string asset)
    {
        var fileNode = node.Required("file");
        var file = fileNode.AsString();
        var csvAsset = node.Optional("asset")?.AsString() ?? asset;
        var start = node.Optional("startTimestamp")?.AsInteger(0, long.MaxValue);

        // Relative to the scenario file, so a scenario and its data move together.
        var path = Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(node.Source) ?? string.Empty, file);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw fileNode.Error($"cannot read '{path}': {e.Message}");
        }

        return CsvPriceReplay.ToBlockPath(text, path, csvAsset, start, blockSeconds, duration);
    }

    private PathRead ReadGbm(ScenarioNode node)
    {
        var spec = new JumpDiffusionSpec(
            DriftAnnualWad: node.Optional("driftAnnual")?.AsWad("-100", "100") ?? BigInteger.Zero,
            VolAnnualWad: node.Optional("volAnnual")?.AsWad("0", "10") ?? BigInteger.Zero,
            JumpsPerYearWad: node.Optional("jumpsPerYear")?.AsWad("0", "10000") ?? BigInteger.Zero,
            JumpMeanWad: node.Optional("jumpMean")?.AsWad("-5", "5") ?? BigInteger.Zero,
            JumpStdWad: node.Optional("jumpStd")?.AsWad("0", "5") ?? BigInteger.Zero);
        var trend = node.Optional("trend") is { } trendNode ? ReadPoints(trendNode) : [new PathPoint(0, Wad.One)];
        return new PathRead(trend, spec);
    }
}
