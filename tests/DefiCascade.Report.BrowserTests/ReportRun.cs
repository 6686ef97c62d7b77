using System.Globalization;
using System.Text;
using DefiCascade.Cli;

namespace DefiCascade.Report.BrowserTests;

/// <summary>
/// One real run for the browser tests: a 500-account generated market, a 40% crash over 60 blocks,
/// simulated and reported through the CLI in memory. <see cref="WithMonteCarloAndSweep"/> is a copy of
/// the run folder with a montecarlo.json and a sweep.csv written by hand to their documented shapes.
/// </summary>
public sealed class ReportRun : IDisposable
{
    public const int MonteCarloPaths = 120;

    private const string Scenario = """
        name: browser-test-crash
        description: ETH -40% over 60 blocks on 500 accounts
        durationBlocks: 60
        path:
          - { block: 60, multiplier: 0.6 }
        maxSettleBlocks: 40
        """;

    public ReportRun()
    {
        Root = Path.Combine(Path.GetTempPath(), "defi-cascade-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        var market = Path.Combine(Root, "market.json");
        var scenario = Path.Combine(Root, "crash.yaml");
        File.WriteAllText(scenario, Scenario);
        SimulationOnly = Path.Combine(Root, "run");
        Cli("generate-market", "--positions", "500", "--seed", "11", "--out", market);
        Cli("simulate", "--snapshot", market, "--scenario", scenario, "--out", SimulationOnly);
        Cli("report", "--from", SimulationOnly);

        WithMonteCarloAndSweep = Path.Combine(Root, "run-mc");
        Directory.CreateDirectory(WithMonteCarloAndSweep);
        foreach (var file in Directory.GetFiles(SimulationOnly))
        {
            File.Copy(file, Path.Combine(WithMonteCarloAndSweep, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(WithMonteCarloAndSweep, "montecarlo.json"), MonteCarloJson());
        File.WriteAllText(Path.Combine(WithMonteCarloAndSweep, "sweep.csv"), SweepCsv());
        Cli("report", "--from", WithMonteCarloAndSweep);
    }

    public string Root { get; }

    public string SimulationOnly { get; }

    public string WithMonteCarloAndSweep { get; }

    public static int Assets(string folder) =>
        File.ReadLines(Path.Combine(folder, "blocks.csv")).First().Split(',').Count(h => h.StartsWith("external_usd_", StringComparison.Ordinal));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never mask a test's own failure.
        }
    }

    private static void Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        Assert.True(exit == CliApp.Ok, $"defi-cascade {string.Join(' ', args)} exited {exit}: {stderr}");
    }

    /// <summary>Bad debt rising linearly over the paths (0, 1000, ..., 119,000 USD), as exact decimal strings.</summary>
    private static string MonteCarloJson()
    {
        var paths = string.Join(",\n", Enumerable.Range(0, MonteCarloPaths).Select(i =>
            $$"""    { "path": {{i}}, "seed": {{1000 + i}}, "badDebtUsd": "{{(i * 1000).ToString(CultureInfo.InvariantCulture)}}", "liquidationVolumeUsd": "5000000", "liquidations": 40, "amplificationPp": -2.5 }"""));
        return $$"""
            {
              "schema": "defi-cascade/montecarlo/v1",
              "paths": {{MonteCarloPaths}},
              "metrics": { "badDebtVaR95Usd": "113050", "badDebtEVaR99Usd": "117810", "probabilityOfBadDebt": 0.9917 },
              "perPath": [
            {{paths}}
              ]
            }
            """;
    }

    private static string SweepCsv()
    {
        var csv = new StringBuilder("liquidation_threshold_bps,shock_percent,bad_debt_var99_usd,liquidations\n");
        for (var lt = 7500; lt <= 8500; lt += 250)
        {
            for (var shock = 10; shock <= 50; shock += 10)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{lt},{shock},{(lt - 7000) * shock * 3},{lt / 100 + shock}\n");
            }
        }

        return csv.ToString();
    }
}
