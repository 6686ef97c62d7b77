using System.CommandLine;
using DefiCascade.Cli.Commands;

namespace DefiCascade.Cli;

/// <summary>The defi-cascade command line: a composition root that tests invoke in memory.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIo(stdout, stderr);
        var root = new RootCommand(
            "DefiCascade: simulate DeFi liquidation cascades block by block, with the lending protocols' and AMMs' exact integer math, and measure the bad debt they leave.")
        {
            SimulateCommand.Create(io),
            GenerateMarketCommand.Create(io),
            QuoteCommand.Create(io),
            LiquidationCommand.Create(io),
            SnapshotCommand.Create(io),
            ReportCommand.Create(io),
            SweepCommand.Create(io),
            MergeCommand.Create(io),
            ReplayCommand.Create(io),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run 'defi-cascade --help' (or '<command> --help') to see the options.");
            return BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }
}

/// <summary>The streams a command writes to (the console, or a test's buffers).</summary>
public sealed record CliIo(TextWriter Out, TextWriter Error);
