using System.CommandLine;
using System.Diagnostics;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary><c>defi-cascade simulate</c>: one scenario on one snapshot, block by block.</summary>
public static class SimulateCommand
{
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
        var command = new Command("simulate", "Replay a price shock through oracles, arbitrage and liquidation bots on a market snapshot, and report liquidations and bad debt (protocol insolvency).")
        {
            snapshot, scenario, output, seed, json,
        };
        command.SetAction(parse => Run(io, parse.GetValue(snapshot), parse.GetValue(scenario), parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliIo io, string? snapshotPath, string? scenarioPath, string outDir, int seed, bool json)
    {
        try
        {
            var (snapshot, snapshotName) = InputLoader.LoadSnapshot(snapshotPath);
            var scenario = InputLoader.LoadScenario(scenarioPath, snapshot);
            CascadeEngine engine;
            try
            {
                engine = new CascadeEngine(snapshot, scenario, seed);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or OverflowException)
            {
                throw new BadInputException($"{snapshotName}: the snapshot is inconsistent: {e.Message}");
            }

            var stopwatch = Stopwatch.StartNew();
            var result = ProgressView.Run(io, json, engine);
            stopwatch.Stop();

            var assets = engine.State.Tokens.Select(t => t.Symbol).ToList();
            var resultJson = ResultJson.Serialize(result);
            var replaced = OutputFolder.WriteAll(outDir,
            [
                ("result.json", resultJson),
                ("blocks.csv", CsvReports.Blocks(result, assets)),
                ("liquidations.csv", CsvReports.Liquidations(result)),
            ]);

            if (json)
            {
                io.Out.Write(resultJson);
            }
            else
            {
                SummaryView.Render(Console(io.Out), result, snapshotName);
                io.Out.WriteLine($"Wrote {Path.Combine(outDir, "result.json")}, blocks.csv and liquidations.csv in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
            }

            if (replaced.Count > 0)
            {
                io.Error.WriteLine($"note: replaced {string.Join(", ", replaced)} from an earlier run in {outDir}");
            }

            return CliApp.Ok;
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
