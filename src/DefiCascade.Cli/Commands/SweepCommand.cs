using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Sweeps;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// <c>defi-cascade sweep</c>: a grid of reserve and scenario parameters, N Monte Carlo paths per cell with the same
/// path seeds in every cell, sweep.csv of every cell and the safe frontier per asset; or one shard of it.
/// </summary>
public static class SweepCommand
{
    private const int MaxPaths = 1_000_000;
    private const int MaxThreads = 1_024;
    private const int MaxShards = 100_000;

    public static Command Create(CliIo io)
    {
        var output = new Option<string>("--out") { Description = "Folder for sweep.csv (one row per cell), frontier.csv, sweep.json and the base run's result.json, blocks.csv, liquidations.csv; with --shard, sweep.shard-K-of-N.csv.", HelpName = "DIR", Required = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "Market snapshot JSON. Default: the embedded synthetic market (fixtures/default-market.json).", HelpName = "FILE" };
        var scenario = new Option<string?>("--scenario") { Description = "Stress scenario, YAML or JSON (see 'Writing a scenario'). Default: ETH -35% over 6 hours.", HelpName = "FILE" };
        var grid = new Option<string?>("--grid") { Description = "Grid file, YAML or JSON: a list of axes { parameter, asset? | emode?, values: [...] | from, to, step }.", HelpName = "FILE" };
        var vary = new Option<string[]>("--vary")
        {
            Description = "One axis, repeatable: reserve:ASSET:{ltv|liquidationThreshold|liquidationBonus|supplyCap|borrowCap}=V1,V2,..., emode:ID:{ltv|liquidationThreshold|liquidationBonus}=..., scenario:{shockPercent|gasPriceGwei}=..., scenario:ASSET:{offChainDepthUsdPerPercent|oracleDeviationBps|oracleHeartbeatSeconds|oracleDelayBlocks}=....",
            HelpName = "AXIS",
            DefaultValueFactory = _ => [],
        };
        var paths = new Option<int>("--paths") { Description = "Monte Carlo paths per cell; path i has the same seed in every cell.", HelpName = "N", DefaultValueFactory = _ => 100 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores); the files are byte-identical for any count.", HelpName = "T", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<int>("--seed") { Description = "Seed the path seeds derive from (as simulate --paths).", HelpName = "S", DefaultValueFactory = _ => 1 };
        var shard = new Option<string?>("--shard") { Description = "Run only cells with index % N == K-1 and write sweep.shard-K-of-N.csv; 'merge' combines the N shards into the single run's files.", HelpName = "K/N" };
        var budget = new Option<string>("--budget-usd") { Description = "Bad-debt budget: the frontier is the highest liquidation threshold whose bad-debt VaR99 stays at most this many USD.", HelpName = "USD", DefaultValueFactory = _ => "1000000" };
        var html = new Option<bool>("--html") { Description = "Also write report.html (sweep heatmaps beside the base run). Not with --shard: use 'merge --html'." };
        var command = new Command("sweep", "Sweep reserve and scenario parameters over a grid, N Monte Carlo paths per cell, and recommend the safe frontier: per asset, the highest liquidation threshold (and its bonus) whose bad-debt VaR99 stays within a budget.")
        {
            output, snapshot, scenario, grid, vary, paths, threads, seed, shard, budget, html,
        };
        command.SetAction(parse =>
        {
            try
            {
                var (k, n) = Shard(parse.GetValue(shard));
                var request = new Request(parse.GetValue(output)!, parse.GetValue(snapshot), parse.GetValue(scenario), parse.GetValue(grid), parse.GetValue(vary) ?? [],
                    Count("--paths", parse.GetValue(paths), MaxPaths), Count("--threads", parse.GetValue(threads), MaxThreads), parse.GetValue(seed), k, n,
                    Budget(parse.GetValue(budget)!), parse.GetValue(html));
                Require(!(request.Html && n > 1), "--html needs the whole sweep; with --shard, run 'merge --html' on the shards");
                Require(request.GridFile is null || request.Vary.Length == 0, "give --grid FILE or --vary, not both");
                Require(request.GridFile is not null || request.Vary.Length > 0, "give the grid: --grid FILE or at least one --vary KIND:[SUBJECT:]PARAMETER=V1,V2");
                return Run(io, request);
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
        });
        return command;
    }

    private sealed record Request(string OutDir, string? SnapshotPath, string? ScenarioPath, string? GridFile, string[] Vary, int Paths, int Threads, int Seed, int Shard, int Shards, BigInteger BudgetUsd, bool Html);

    private static int Run(CliIo io, Request q)
    {
        var (snapshot, snapshotName) = InputLoader.LoadSnapshot(q.SnapshotPath);
        var scenario = InputLoader.LoadScenario(q.ScenarioPath, snapshot);
        var context = GridContext.From(snapshot);
        IReadOnlyList<SweepAxis> axes;
        try
        {
            axes = q.GridFile is { } file ? GridParser.ParseFile(ReadGrid(file), file, context) : GridParser.ParseVary(q.Vary, context);
        }
        catch (ScenarioFormatException e)
        {
            throw new BadInputException(e.Message);
        }

        try
        {
            _ = new CascadeEngine(snapshot, scenario, 0);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or OverflowException)
        {
            throw new BadInputException($"{snapshotName}: the snapshot is inconsistent: {e.Message}");
        }

        var sweepGrid = new SweepGrid(axes);
        var manifest = new SweepManifest(scenario.Name, Sha256(q.ScenarioPath is null ? "(built-in default scenario)" : File.ReadAllText(q.ScenarioPath)),
            Sha256(SnapshotJson.Serialize(snapshot)), snapshot.ChainId, snapshot.BlockNumber, snapshot.Origin.Kind, q.Seed, q.Paths,
            scenario.BlockSeconds, scenario.DurationBlocks, scenario.MaxSettleBlocks, q.BudgetUsd, axes, SweepManifest.BasesFor(snapshot, axes));

        var shardCells = sweepGrid.Cells(q.Shard, q.Shards).Count();
        io.Error.WriteLine($"sweep: {sweepGrid.CellCount:N0} cells ({string.Join(" x ", axes.Select(a => $"{a.Values.Count} {a.Id}"))}), {q.Paths:N0} paths each on {snapshotName}"
            + (q.Shards > 1 ? $"; shard {q.Shard} of {q.Shards}: {shardCells:N0} cells" : string.Empty));
        var stopwatch = Stopwatch.StartNew();
        var gate = new object();
        var run = SweepRunner.Run(snapshot, scenario, sweepGrid, new SweepOptions(q.Paths, q.Threads, q.Seed, q.Shard, q.Shards, RunBase: q.Shard == 1),
            new InlineProgress<SweepProgress>(p =>
            {
                lock (gate)
                {
                    io.Error.WriteLine($"sweep: cell {p.Result.Cell.Index} done ({p.Done} of {p.Total}, {stopwatch.Elapsed.TotalSeconds:0.0} s): {p.Cell}: "
                        + (p.Result.Metrics is { } m ? $"bad debt VaR99 {Usd.Human(m.BadDebtEVaR99Usd)}, P(bad debt) {m.ProbabilityOfBadDebt:0.###}" : $"invalid: {p.Result.Invalid}"));
                }
            }));
        stopwatch.Stop();

        var rows = run.Cells.Select(SweepCsv.Row).ToList();
        var files = new List<(string, string)>();
        if (run.Base is { } baseRun)
        {
            var assets = snapshot.Tokens.Select(t => t.Symbol).ToList();
            files.Add(("result.json", ResultJson.Serialize(baseRun)));
            files.Add(("blocks.csv", CsvReports.Blocks(baseRun, assets)));
            files.Add(("liquidations.csv", CsvReports.Liquidations(baseRun)));
        }

        if (q.Shards > 1)
        {
            files.Add((SweepCsv.ShardFileName(q.Shard, q.Shards), SweepCsv.Shard(manifest, q.Shard, q.Shards, rows)));
            OutputFolder.WriteAll(q.OutDir, files);
            io.Out.WriteLine($"Wrote {Path.Combine(q.OutDir, SweepCsv.ShardFileName(q.Shard, q.Shards))} ({rows.Count:N0} cells{(run.Base is null ? "" : ", and the base run's result.json, blocks.csv, liquidations.csv")}) in {stopwatch.Elapsed.TotalSeconds:0.0} s. Combine the shards with 'defi-cascade merge --out DIR <shard folders or files>'.");
            return CliApp.Ok;
        }

        var (sweep, frontier, json) = SweepCsv.Build(manifest, rows);
        files.AddRange([("sweep.csv", sweep), ("frontier.csv", frontier), ("sweep.json", json)]);
        OutputFolder.WriteAll(q.OutDir, files);
        WriteHtml(io, q.OutDir, q.Html);
        Summarize(io, q.OutDir, frontier, run.Cells.Count(c => c.Invalid is not null), rows.Count);
        io.Out.WriteLine($"Ran {rows.Count:N0} cells x {q.Paths:N0} paths (plus the base run) in {stopwatch.Elapsed.TotalSeconds:0.0} s on {q.Threads} thread{(q.Threads == 1 ? "" : "s")}.");
        return CliApp.Ok;
    }

    /// <summary>The recommended points of frontier.csv and the files written, for people.</summary>
    internal static void Summarize(CliIo io, string outDir, string frontierCsv, int invalidCells, int cells)
    {
        io.Out.WriteLine($"Wrote {Path.Combine(outDir, "sweep.csv")} ({cells:N0} cells, {invalidCells:N0} invalid: Aave would refuse their configuration), frontier.csv and sweep.json.");
        var lines = frontierCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        if (lines.Count == 0)
        {
            io.Out.WriteLine("No safe frontier: the grid sweeps no reserve liquidationThreshold.");
        }

        foreach (var asset in lines.Select(l => l[0]).Distinct())
        {
            var best = lines.FirstOrDefault(l => l[0] == asset && l[9] == "true");
            io.Out.WriteLine(best is null
                ? $"Safe frontier {asset}: no swept liquidation threshold keeps bad-debt VaR99 within the budget."
                : $"Safe frontier {asset}: liquidation threshold {best[3]} bps with bonus {best[1]} bps (bad-debt VaR99 ${best[4]} <= budget ${best[7]}).");
        }
    }

    internal static void WriteHtml(CliIo io, string outDir, bool html)
    {
        if (html)
        {
            try
            {
                io.Error.WriteLine($"wrote {DefiCascade.Reports.Html.HtmlReport.WriteToFolder(outDir)}");
            }
            catch (DefiCascade.Reports.Html.ReportInputException e)
            {
                throw new BadInputException("--html: " + e.Message);
            }
        }
    }

    private static string ReadGrid(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot read the --grid file: {e.Message}");
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static (int Shard, int Shards) Shard(string? text)
    {
        if (text is null)
        {
            return (1, 1);
        }

        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxShards && k >= 1 && k <= n)
        {
            return (k, n);
        }

        throw new BadInputException($"--shard must be K/N with 1 <= K <= N <= {MaxShards:N0}, such as 1/4 (got '{text}')");
    }

    private static int Count(string option, int value, int max) =>
        value >= 1 && value <= max ? value : throw new BadInputException($"{option} must be a whole number from 1 to {max:N0} (got {value})");

    private static BigInteger Budget(string text)
    {
        try
        {
            var usd = FixedPoint.Parse(text, Usd.Decimals);
            return usd.Sign >= 0 ? usd : throw new BadInputException($"--budget-usd must not be negative (got {text})");
        }
        catch (FormatException e)
        {
            throw new BadInputException($"--budget-usd must be a USD amount such as 1000000 or 2500.50: {e.Message}");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new BadInputException(message);
        }
    }
}
