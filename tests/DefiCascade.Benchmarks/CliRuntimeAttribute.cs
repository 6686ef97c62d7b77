using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace DefiCascade.Benchmarks;

/// <summary>
/// Runs a benchmark's jobs with the runtime settings of the <c>defi-cascade</c> executable
/// (DefiCascade.Cli.csproj): the server GC, and tier-up without the 100 ms call-counting delay
/// (System.Runtime.TieredCompilation.CallCountingDelayMs = 0, here as the equivalent environment
/// variable, since BenchmarkDotNet builds its own host project). A mutator: it changes the jobs the
/// class declares, it adds none.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CliRuntimeAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddJob(
        Job.Default.WithGcServer(true).WithEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0").AsMutator());
}
