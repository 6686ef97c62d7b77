namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Reports synchronously on the reporting thread. <see cref="Progress{T}"/> would post each report to the
/// thread pool, so a per-block probe would read the state after the block it asked about, and a progress bar
/// would lag behind the run.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
