namespace DefiCascade.Simulation.Scenarios;

/// <summary>A scenario file that cannot be used, with the file and field that are wrong.</summary>
public sealed class ScenarioFormatException(string source, string field, string problem)
    : Exception($"{source}: {(field.Length == 0 ? "" : field + ": ")}{problem}")
{
    public string FileName { get; } = source;

    public string Field { get; } = field;
}
