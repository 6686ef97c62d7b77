using System.CommandLine;
using System.Diagnostics;
using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Scenarios;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary><c>defi-cascade simulate</c>: one scenario on one snapshot, block by block; with --paths N, N seeded paths and their risk metrics.</summary>
public static class SimulateCommand
{
    private const int MaxPaths = 1_000_000;
    private const int MaxThreads = 1_024;

    public static Command Create(CliIo io)
    {
        var snapshot = new Option<string?>("--snapshot")
        {
            Description = "Market snapshot JSON (lending positions, reserves, oracle feeds, pool books at one block; schema in fixtures/SNAPSHOT-SCHEMA.md). Default: the embedded synthetic market of fixtures/default-market.json (20,000 Aave V3 accounts, Uniswap V2/V3 pools), which needs no RPC.",
            HelpName = "FILE",
        };
        var scenario = new Option<string?>("--scenario")
        {
            Description = "Stress scenario, YAML or JSON: the external price path (driver asset, waypoints, betas), gas, off-chain depth, oracle settings. Default: ETH -35% in a straight line over 6 hours, wstETH beta 1, WBTC beta 0.7, stablecoins pegged.",
            HelpName = "FILE",
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for result.json (summary), blocks.csv (per-block prices and activity) and liquidations.csv (every liquidationCall). Files are written complete or not at all.",
            HelpName = "DIR",
            DefaultValueFactory = _ => "./out",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of every random draw (price noise, when the scenario asks for it). The same snapshot, scenario and seed give byte-identical result.json.",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print result.json to stdout instead of the summary tables (progress goes to stderr).",
        };
        var paths = new Option<int>("--paths")
        {
            Description = "Monte Carlo: run N paths of the scenario, path i with a seed derived from --seed and i (SplitMix64), and write montecarlo.json and paths.csv (bad debt VaR95/EVaR99, expected shortfall, LaR95, probability of bad debt, critical shock, branching ratio R0) besides path 0's result.json. 1 (default): one run, as without the option.",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Worker threads (default: all cores). With --paths, paths run in parallel; a single run splits its passes over a large book's accounts among them. Changes only the speed: the files are byte-identical for any thread count.",
            HelpName = "T",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var threshold = new Option<string>("--bad-debt-threshold")
        {
            Description = "With --paths: the critical shock is the largest instant fall of the scenario's driver that leaves bad debt under this many USD.",
            HelpName = "USD",
            DefaultValueFactory = _ => "1000000",
        };
        var floor = new Option<string>("--r0-floor")
        {
            Description = "With --paths: the branching ratio R0 of a block is rated only when the block's liquidators sold at least this many USD of collateral; below it reads \"too small to rate\".",
            HelpName = "USD",
            DefaultValueFactory = _ => "100000",
        };
        var html = new Option<bool>("--html")
        {
            Description = "Also write report.html into --out: one self-contained file (charts inlined, opens offline) with price paths, liquidations and bad debt per block, the Monte Carlo distribution and the assumptions. 'report --from DIR' rebuilds it.",
        };
        var noWarmUp = new Option<bool>("--no-warm-up")
        {
            Description = "Single runs on a large --snapshot (32 MiB and up, ~200k positions) compile the engine's code on a spare core while the file loads, by running a small synthetic cascade and discarding it, so the real run starts on optimized code. On a two-core machine the load then takes about as much longer as the cascade gains (measured; machines with more cores were not). This turns that off. Results are identical either way.",
        };
        var command = new Command("simulate", "Replay a price shock through oracles, arbitrage and liquidation bots on a market snapshot, and report liquidations and bad debt (protocol insolvency).")
        {
            snapshot, scenario, output, seed, json, paths, threads, threshold, floor, html, noWarmUp,
        };
        command.SetAction(parse =>
        {
            var inputs = new Inputs(parse.GetValue(snapshot), parse.GetValue(scenario), parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(json), parse.GetValue(html), parse.GetValue(noWarmUp));
            // Checked before the snapshot is read, so a typo costs nothing.
            if (CountError(parse.GetValue(paths), parse.GetValue(threads)) is { } error)
            {
                io.Error.WriteLine($"error: {error}");
                return CliApp.BadInput;
            }

            return parse.GetValue(paths) == 1
                ? Run(io, inputs, parse.GetValue(threads))
                : RunMonteCarlo(io, inputs, parse.GetValue(paths), parse.GetValue(threads), parse.GetValue(threshold)!, parse.GetValue(floor)!);
        });
        return command;
    }

    private sealed record Inputs(string? SnapshotPath, string? ScenarioPath, string OutDir, int Seed, bool Json, bool Html, bool NoWarmUp);

    /// <summary>report.html from the files just written (the same entry point as 'report --from').</summary>
    private static void WriteHtml(CliIo io, Inputs inputs)
    {
        if (inputs.Html)
        {
            try
            {
                io.Error.WriteLine($"wrote {DefiCascade.Reports.Html.HtmlReport.WriteToFolder(inputs.OutDir)}");
            }
            catch (DefiCascade.Reports.Html.ReportInputException e)
            {
                throw new BadInputException("--html: " + e.Message);
            }
        }
    }

    private static int Run(CliIo io, Inputs inputs, int threads) => Guarded(io, () =>
    {
        var (snapshotPath, scenarioPath, outDir, seed, json, _, noWarmUp) = inputs;
        // Only with a core to spare: on one core the warm-up would slow the load by what it saves.
        var warmUp = !noWarmUp && Environment.ProcessorCount > 1 && InputLoader.SnapshotBytes(snapshotPath) >= InputLoader.WarmUpFromBytes ? EngineWarmUp.Start() : null;
        CascadeEngine engine;
        Phases phases;
        try
        {
            var clock = Stopwatch.StartNew();
            var (snapshot, snapshotName) = InputLoader.LoadSnapshot(snapshotPath);
            var scenario = InputLoader.LoadScenario(scenarioPath, snapshot);
            var read = clock.Elapsed;
            try
            {
                engine = new CascadeEngine(snapshot, scenario, seed, new CascadeOptions { Workers = threads });
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or OverflowException)
            {
                throw new BadInputException($"{snapshotName}: the snapshot is inconsistent: {e.Message}");
            }

            phases = new Phases(snapshotName, read, clock.Elapsed - read);
        }
        finally
        {
            // Stopped before the real run, so that it has every core; it never fails the command.
            warmUp?.Dispose();
        }

        var stopwatch = Stopwatch.StartNew();
        var result = ProgressView.Run(io, json, engine);
        stopwatch.Stop();
        phases = phases with { Cascade = stopwatch.Elapsed, WarmUp = warmUp };

        var assets = engine.State.Tokens.Select(t => t.Symbol).ToList();
        var resultJson = ResultJson.Serialize(result);
        var replaced = OutputFolder.WriteAll(outDir,
        [
            ("result.json", resultJson),
            ("blocks.csv", CsvReports.Blocks(result, assets)),
            ("liquidations.csv", CsvReports.Liquidations(result)),
        ]);
        WriteHtml(io, inputs);

        if (json)
        {
            io.Out.Write(resultJson);
            io.Error.WriteLine(phases.ToString());
        }
        else
        {
            SummaryView.Render(Console(io.Out), result, phases.SnapshotName);
            io.Out.WriteLine($"Wrote {Path.Combine(outDir, "result.json")}, blocks.csv and liquidations.csv. {phases}");
        }

        NoteReplaced(io, replaced, outDir);
        return CliApp.Ok;
    });

    private static int RunMonteCarlo(CliIo io, Inputs inputs, int paths, int threads, string thresholdText, string floorText) => Guarded(io, () =>
    {
        var (snapshotPath, scenarioPath, outDir, seed, json, _, _) = inputs;
        var options = new MonteCarloOptions(paths, threads, UsdOption("--bad-debt-threshold", thresholdText), UsdOption("--r0-floor", floorText));
        var (snapshot, snapshotName) = InputLoader.LoadSnapshot(snapshotPath);
        var scenario = InputLoader.LoadScenario(scenarioPath, snapshot);
        CheckEngineAccepts(snapshot, scenario, snapshotName);

        var stopwatch = Stopwatch.StartNew();
        var result = ProgressView.RunMonteCarlo(io, json, snapshot, scenario, seed, options);
        stopwatch.Stop();

        var first = result.FirstPath;
        var assets = snapshot.Tokens.Select(t => t.Symbol).ToList();
        var monteCarloJson = MonteCarloJson.Serialize(result);
        var replaced = OutputFolder.WriteAll(outDir,
        [
            ("montecarlo.json", monteCarloJson),
            ("paths.csv", MonteCarloJson.PathsCsv(result)),
            ("result.json", ResultJson.Serialize(first)),
            ("blocks.csv", CsvReports.Blocks(first, assets)),
            ("liquidations.csv", CsvReports.Liquidations(first)),
        ]);
        WriteHtml(io, inputs);

        if (json)
        {
            io.Out.Write(monteCarloJson);
        }
        else
        {
            SummaryView.RenderMonteCarlo(Console(io.Out), result, snapshotName);
            var minutes = stopwatch.Elapsed.TotalMinutes;
            io.Out.WriteLine($"Wrote {Path.Combine(outDir, "montecarlo.json")}, paths.csv and path 0's result.json, blocks.csv, liquidations.csv in {stopwatch.Elapsed.TotalSeconds:0.0} s " +
                $"({paths / Math.Max(minutes, 1e-9):0.#} paths per minute on {threads} thread{(threads == 1 ? "" : "s")}, critical-shock and R0 runs included).");
        }

        NoteReplaced(io, replaced, outDir);
        return CliApp.Ok;
    });

    /// <summary>Where a single run's time went, printed under its summary.</summary>
    private sealed record Phases(string SnapshotName, TimeSpan Read, TimeSpan Build)
    {
        public TimeSpan Cascade { get; init; }

        public EngineWarmUp? WarmUp { get; init; }

        public override string ToString()
        {
            var warm = WarmUp is null ? string.Empty
                : $" The engine warmed up on a spare core meanwhile ({WarmUp.Blocks} blocks of a {EngineWarmUp.Positions:N0}-account synthetic cascade{(WarmUp.Failure is null ? string.Empty : $", stopped by {WarmUp.Failure.GetType().Name}")}; --no-warm-up turns it off).";
            return $"Reading the snapshot and scenario took {Read.TotalSeconds:0.0} s, building the engine's state {Build.TotalSeconds:0.0} s, the cascade {Cascade.TotalSeconds:0.00} s.{warm}";
        }
    }

    /// <summary>What the user gave us that does not work, and output that cannot be written: exit 2 with the reason.</summary>
    private static int Guarded(CliIo io, Func<int> run)
    {
        try
        {
            return run();
        }
        catch (BadInputException e)
        {
            io.Error.WriteLine($"error: {e.Message}");
            return CliApp.BadInput;
        }
        catch (IOException e)
        {
            io.Error.WriteLine($"error: cannot write the output: {e.Message}");
            return CliApp.BadInput;
        }
    }

    private static void NoteReplaced(CliIo io, IReadOnlyList<string> replaced, string outDir)
    {
        if (replaced.Count > 0)
        {
            io.Error.WriteLine($"note: replaced {string.Join(", ", replaced)} from an earlier run in {outDir}");
        }
    }

    /// <summary>Builds one engine up front so a broken snapshot is reported once, not once per worker thread.</summary>
    private static void CheckEngineAccepts(MarketSnapshot snapshot, Scenario scenario, string snapshotName)
    {
        try
        {
            _ = new CascadeEngine(snapshot, scenario, 0);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or OverflowException)
        {
            throw new BadInputException($"{snapshotName}: the snapshot is inconsistent: {e.Message}");
        }
    }

    private static string? CountError(int paths, int threads) =>
        paths is < 1 or > MaxPaths ? $"--paths must be a whole number from 1 to {MaxPaths:N0} (got {paths})"
        : threads is < 1 or > MaxThreads ? $"--threads must be a whole number from 1 to {MaxThreads:N0} (got {threads})"
        : null;

    private static BigInteger UsdOption(string option, string text)
    {
        try
        {
            var usd = FixedPoint.Parse(text, Usd.Decimals);
            Require(usd.Sign >= 0, $"{option} must not be negative (got {text})");
            return usd;
        }
        catch (FormatException e)
        {
            throw new BadInputException($"{option} must be a USD amount such as 1000000 or 2500.50: {e.Message}");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new BadInputException(message);
        }
    }

    /// <summary>
    /// A Spectre console on the given writer: colours and live progress only on a real terminal;
    /// plain text, 160 columns wide, when the output goes to a file, a pipe or a test buffer.
    /// </summary>
    internal static IAnsiConsole Console(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected
            || ReferenceEquals(writer, System.Console.Error) && !System.Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
