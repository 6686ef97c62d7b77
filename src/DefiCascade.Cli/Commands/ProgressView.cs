using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;
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
                    result = engine.Run(new InlineProgress<RunProgress>(p =>
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
        return engine.Run(new InlineProgress<RunProgress>(p =>
        {
            var decile = p.Block * 10 / Math.Max(1, p.MaxBlocks);
            if (decile != lastDecile)
            {
                lastDecile = decile;
                io.Error.WriteLine($"cascade: block {p.Block} of at most {p.MaxBlocks}, {p.Liquidations:N0} liquidations so far");
            }
        }));
    }

    /// <summary>
    /// Monte Carlo progress: a bar of finished jobs (paths, the critical-shock bisection, the R0 run)
    /// on a terminal; elsewhere a line per finished job, thinned to about a hundred lines for large N.
    /// Jobs finish on worker threads in any order, so every write takes a lock.
    /// </summary>
    public static MonteCarloResult RunMonteCarlo(CliIo io, bool json, MarketSnapshot snapshot, Scenario scenario, int seed, MonteCarloOptions options)
    {
        var writer = json ? io.Error : io.Out;
        var console = SimulateCommand.Console(writer);
        var gate = new object();
        if (console.Profile.Capabilities.Interactive && !json)
        {
            MonteCarloResult? result = null;
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"Monte Carlo: 0 of {options.Paths:N0} paths", maxValue: options.Paths + 2);
                    result = MonteCarloRunner.Run(snapshot, scenario, seed, options, new InlineProgress<MonteCarloProgress>(p =>
                    {
                        lock (gate)
                        {
                            task.Value = p.Done;
                            task.Description = $"Monte Carlo: {Markup.Escape(p.Finished)}";
                        }
                    }));
                });
            return result!;
        }

        var every = Math.Max(1, (options.Paths + 2) / 100);
        return MonteCarloRunner.Run(snapshot, scenario, seed, options, new InlineProgress<MonteCarloProgress>(p =>
        {
            if (p.Done % every == 0 || p.Done == p.Total)
            {
                lock (gate)
                {
                    io.Error.WriteLine($"monte carlo: {p.Done} of {p.Total} jobs done (paths, critical shock, R0); {p.Finished}");
                }
            }
        }));
    }
}
