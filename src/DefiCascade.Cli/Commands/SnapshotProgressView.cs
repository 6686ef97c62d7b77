using DefiCascade.Adapters.Snapshots;
using DefiCascade.Simulation.Engine;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>A progress bar per stage on a terminal; elsewhere (CI logs, pipes) a line per stage and per 10% on stderr.</summary>
internal static class SnapshotProgressView
{
    public static async Task<SnapshotBuildResult> RunAsync(CliIo io, bool json, Func<IProgress<SnapshotProgress>, Task<SnapshotBuildResult>> run, RunLog log)
    {
        var console = SimulateCommand.Console(json ? io.Error : io.Out);
        if (console.Profile.Capabilities.Interactive && !json)
        {
            SnapshotBuildResult? result = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                    result = await run(new InlineProgress<SnapshotProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                        {
                            foreach (var other in tasks.Values)
                            {
                                other.Value = other.MaxValue;
                            }

                            task = tasks[p.Stage] = ctx.AddTask(Markup.Escape(p.Detail));
                            log.Write(p.Detail);
                        }

                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Min(p.Done, p.Total);
                        task.Description = Markup.Escape(p.Detail);
                    })).ConfigureAwait(false);
                    foreach (var task in tasks.Values)
                    {
                        task.Value = task.MaxValue;
                    }
                }).ConfigureAwait(false);
            return result!;
        }

        string? stage = null;
        var decile = -1L;
        return await run(new InlineProgress<SnapshotProgress>(p =>
        {
            var d = p.Total <= 0 ? 0 : p.Done * 10 / p.Total;
            if (p.Stage != stage || d != decile)
            {
                stage = p.Stage;
                decile = d;
                io.Error.WriteLine("snapshot: " + p.Detail);
                log.Write(p.Detail);
            }
        })).ConfigureAwait(false);
    }
}
