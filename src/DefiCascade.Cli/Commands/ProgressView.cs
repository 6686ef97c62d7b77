using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>A progress bar on a terminal; a line per 10% elsewhere (CI logs, pipes), always on stderr when stdout carries JSON.</summary>
internal static class ProgressView
{
    public static SimulationResult Run(CliIo io, bool json, CascadeEngine engine)
    {
        var writer = json ? io.Error : io.Out;
        var console = SimulateCommand.Console(writer);
        if (console.Profile.Capabilities.Interactive && !json)
        {
            SimulationResult? result = null;
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("cascade: block 0");
                    result = engine.Run(new InlineProgress(p =>
                    {
                        task.MaxValue = p.MaxBlocks;
                        task.Value = p.Block;
                        task.Description = $"cascade: block {p.Block}, {p.Liquidations:N0} liquidations";
                    }));
                    task.Value = task.MaxValue;
                });
            return result!;
        }

        var lastDecile = -1;
        return engine.Run(new InlineProgress(p =>
        {
            var decile = p.Block * 10 / Math.Max(1, p.MaxBlocks);
            if (decile != lastDecile)
            {
                lastDecile = decile;
                io.Error.WriteLine($"cascade: block {p.Block} of at most {p.MaxBlocks}, {p.Liquidations:N0} liquidations so far");
            }
        }));
    }

    /// <summary>Reports synchronously on the engine's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
