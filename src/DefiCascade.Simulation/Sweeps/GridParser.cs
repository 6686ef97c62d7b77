using System.Globalization;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Sweeps;

/// <summary>What a grid may name: the snapshot's reserves, e-mode categories, tokens and oracle feeds.</summary>
public sealed record GridContext(IReadOnlySet<string> Reserves, IReadOnlySet<string> EModeCategories, IReadOnlySet<string> Assets, IReadOnlySet<string> OracleAssets)
{
    public static GridContext From(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var aave = snapshot.AaveV3Markets;
        return new GridContext(
            aave.SelectMany(m => m.Reserves).Select(r => r.Asset).ToHashSet(StringComparer.Ordinal),
            aave.SelectMany(m => m.EModes).Select(e => e.Id.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal),
            snapshot.Tokens.Select(t => t.Symbol).ToHashSet(StringComparer.Ordinal),
            snapshot.Oracles.Select(o => o.Asset).ToHashSet(StringComparer.Ordinal));
    }
}

/// <summary>
/// Reads a sweep grid: a YAML/JSON file (a list of axes, or a mapping with <c>axes:</c>; each axis
/// <c>{ parameter, asset? | emode?, values: [...] | from, to, step }</c>) or repeatable <c>--vary</c> texts
/// (<c>reserve:WETH:liquidationThreshold=8000,8250</c>, <c>emode:1:liquidationBonus=...</c>,
/// <c>scenario:gasPriceGwei=...</c>, <c>scenario:WETH:offChainDepthUsdPerPercent=...</c>).
/// Errors name the file (or --vary) and the field.
/// </summary>
public static class GridParser
{
    public const int MaxValuesPerAxis = 10_000;
    public const int MaxCells = 1_000_000;

    public static IReadOnlyList<SweepAxis> ParseFile(string text, string source, GridContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = ScenarioNode.LoadDocument(text, source, ": a list of axes");
        var list = root;
        if (root.IsMapping)
        {
            list = root.Required("axes");
            root.RejectUnknownKeys();
        }

        var axes = new List<SweepAxis>();
        foreach (var node in list.Items())
        {
            axes.Add(ReadAxis(node, context));
        }

        return Checked(axes, source, list.Path.Length == 0 ? "axes" : list.Path);
    }

    public static IReadOnlyList<SweepAxis> ParseVary(IReadOnlyList<string> texts, GridContext context)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(context);
        var axes = texts.Select(t => ParseVary(t, context)).ToList();
        return Checked(axes, "--vary", string.Join(" ", texts));
    }

    private static SweepAxis ParseVary(string text, GridContext context)
    {
        ScenarioFormatException Error(string problem) => new("--vary", text, problem);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw Error("expected KIND:[SUBJECT:]PARAMETER=V1,V2,... such as reserve:WETH:liquidationThreshold=8000,8250,8500");
        }

        var name = text[..eq].Split(':');
        var target = name[0] switch
        {
            "reserve" => SweepTarget.Reserve,
            "emode" => SweepTarget.EMode,
            "scenario" => SweepTarget.Scenario,
            _ => throw Error($"'{name[0]}' is not a kind of parameter: use reserve, emode or scenario"),
        };
        var (subject, parameterName) = name.Length switch
        {
            2 => ((string?)null, name[1]),
            3 => (name[1], name[2]),
            _ => throw Error("expected KIND:[SUBJECT:]PARAMETER before '='"),
        };
        var parameter = Resolve(target, parameterName, subject, context, Error, Error);
        var values = text[(eq + 1)..].Split(',').Select(v => Value(v.Trim(), parameter, Error)).ToList();
        return new SweepAxis(parameter, subject, values);
    }

    private static SweepAxis ReadAxis(ScenarioNode node, GridContext context)
    {
        var name = node.Required("parameter").AsString();
        var asset = node.Optional("asset")?.AsString();
        var emode = node.Optional("emode")?.AsString();
        if (asset is not null && emode is not null)
        {
            throw node.Error("give asset (a reserve) or emode (a category id), not both", "emode");
        }

        var target = emode is not null ? SweepTarget.EMode
            : SweepParameter.Find(SweepTarget.Scenario, name) is not null ? SweepTarget.Scenario
            : SweepTarget.Reserve;
        var parameter = Resolve(target, name, emode ?? asset, context,
            p => node.Error(p, "parameter"), p => node.Error(p, target == SweepTarget.EMode ? "emode" : "asset"));

        var valuesNode = node.Optional("values");
        var from = node.Optional("from");
        List<decimal> values;
        if (valuesNode is not null)
        {
            if (from is not null)
            {
                throw node.Error("give values or from/to/step, not both", "from");
            }

            values = valuesNode.Items().Select(v => Value(v.AsString(), parameter, p => v.Error(p))).ToList();
        }
        else if (from is not null)
        {
            values = Range(node, from, parameter);
        }
        else
        {
            throw node.Error("is required (or from, to and step)", "values");
        }

        node.RejectUnknownKeys();
        return new SweepAxis(parameter, emode ?? asset, values);
    }

    private static List<decimal> Range(ScenarioNode node, ScenarioNode fromNode, SweepParameter parameter)
    {
        var from = Value(fromNode.AsString(), parameter, p => fromNode.Error(p));
        var toNode = node.Required("to");
        var to = Value(toNode.AsString(), parameter, p => toNode.Error(p));
        var stepNode = node.Required("step");
        var step = Number(stepNode.AsString(), p => stepNode.Error(p));
        if (step <= 0)
        {
            throw stepNode.Error("must be above zero");
        }

        if (to < from)
        {
            throw toNode.Error($"must not be below from ({SweepAxis.Format(from)})");
        }

        if ((to - from) / step >= MaxValuesPerAxis)
        {
            throw stepNode.Error($"gives more than {MaxValuesPerAxis:N0} values");
        }

        var values = new List<decimal>();
        // decimal arithmetic is exact for these steps, so 0.1 steps land on the end point.
        for (var v = from; v <= to; v += step)
        {
            values.Add(Value(SweepAxis.Format(v), parameter, p => stepNode.Error(p)));
        }

        return values;
    }

    private static SweepParameter Resolve(
        SweepTarget target, string name, string? subject, GridContext context, Func<string, ScenarioFormatException> nameError, Func<string, ScenarioFormatException> error)
    {
        if (name == "closeFactor")
        {
            throw nameError(SweepParameter.CloseFactorRefusal);
        }

        var parameter = SweepParameter.Find(target, name)
            ?? throw nameError($"'{name}' is not a {target.ToString().ToLowerInvariant()} parameter (known: {SweepParameter.Names(target)})");
        switch (parameter.Subject)
        {
            case SweepSubject.None when subject is not null:
                throw error($"{name} applies to the whole scenario: give no asset");
            case SweepSubject.Asset when subject is null:
                throw error($"{name} needs an asset");
            case SweepSubject.EModeCategory when subject is null:
                throw error($"{name} needs an e-mode category id");
        }

        var (known, what) = (target, parameter.Subject) switch
        {
            (SweepTarget.Reserve, _) => (context.Reserves, "a reserve of the snapshot's Aave market"),
            (SweepTarget.EMode, _) => (context.EModeCategories, "an e-mode category of the snapshot"),
            (_, SweepSubject.Asset) when name.StartsWith("oracle", StringComparison.Ordinal) => (context.OracleAssets, "an asset with an oracle feed in the snapshot"),
            (_, SweepSubject.Asset) => (context.Assets, "an asset of the snapshot"),
            _ => (null, string.Empty),
        };
        if (known is not null && !known.Contains(subject!))
        {
            throw error($"'{subject}' is not {what} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        }

        return parameter;
    }

    private static decimal Value(string text, SweepParameter parameter, Func<string, ScenarioFormatException> error)
    {
        var value = Number(text, error);
        if (parameter.WholeNumber && decimal.Truncate(value) != value)
        {
            throw error($"'{text}' must be a whole number of {parameter.Unit}");
        }

        if (value < parameter.Min || value > parameter.Max)
        {
            throw error($"{text} is out of range for {parameter.Name} ({SweepAxis.Format(parameter.Min)}..{SweepAxis.Format(parameter.Max)} {parameter.Unit})");
        }

        return value;
    }

    private static decimal Number(string text, Func<string, ScenarioFormatException> error) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw error($"'{text}' is not a number");

    private static List<SweepAxis> Checked(List<SweepAxis> axes, string source, string field)
    {
        if (axes.Count == 0)
        {
            throw new ScenarioFormatException(source, field, "has no axes: give at least one parameter to sweep");
        }

        foreach (var group in axes.GroupBy(a => a.Id).Where(g => g.Count() > 1))
        {
            throw new ScenarioFormatException(source, field, $"{group.Key} is swept twice");
        }

        foreach (var axis in axes)
        {
            if (axis.Values.Count == 0 || axis.Values.Count > MaxValuesPerAxis)
            {
                throw new ScenarioFormatException(source, field, $"{axis.Id} needs 1 to {MaxValuesPerAxis:N0} values");
            }

            if (axis.Values.Distinct().Count() != axis.Values.Count)
            {
                throw new ScenarioFormatException(source, field, $"{axis.Id} lists a value twice");
            }
        }

        if (axes.Aggregate(1L, (n, a) => Math.Min(n * a.Values.Count, long.MaxValue / MaxValuesPerAxis)) > MaxCells)
        {
            throw new ScenarioFormatException(source, field, $"the grid has more than {MaxCells:N0} cells");
        }

        return axes;
    }
}
