using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Golden;

/// <summary>
/// A scenario as data with its expected statistics (Lean's regression-algorithm habit): the run's
/// status, totals, per-reserve bad debt, price outcomes and reasons must equal the approved file,
/// and must satisfy the accounting identities below whatever the approved numbers are.
/// </summary>
public class GoldenScenarioTests
{
    [Fact]
    public void Golden_crash_matches_its_expected_statistics()
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 2_000, Seed = 77 });
        var known = snapshot.Tokens.Select(t => t.Symbol).ToHashSet();
        var scenario = ScenarioLoader.Parse(File.ReadAllText(Support.Golden.PathOf("golden-crash.yaml")), "golden-crash.yaml", known);
        var result = new CascadeEngine(snapshot, scenario, seed: 3).Run();

        // Identities that hold for any correct run.
        var t = result.Totals;
        Assert.Equal("converged", result.Status.Outcome);
        Assert.True(t.LiquidationEvents > 0);
        Assert.True(t.AccountsLiquidated <= t.LiquidationEvents);
        Assert.Equal(t.DebtRepaidUsd, result.Liquidations.Aggregate(BigInteger.Zero, (s, e) => s + e.DebtRepaidUsd));
        Assert.True(t.BadDebtUsd <= t.InitialDebtUsd);
        Assert.True(t.RealizedBadDebtUsd <= t.BadDebtUsd);
        Assert.Equal(t.BadDebtUsd, result.BadDebtAccounts.Aggregate(BigInteger.Zero, (s, a) => s + a.ShortfallUsd));
        var byReserve = result.Reserves.Aggregate(BigInteger.Zero, (s, r) => s + r.BadDebtUsd);
        Assert.True(byReserve <= t.BadDebtUsd && t.BadDebtUsd - byReserve <= result.Reserves.Count * result.BadDebtAccounts.Count,
            "per-reserve attribution adds up to the total (within one base unit per share)");
        Assert.All(result.Liquidations, e => Assert.True(e.ProfitUsd >= 0, "bots only act when it pays"));

        Support.Golden.Verify("golden-crash.expected.json", ExpectedStatistics(result));
    }

    private static string ExpectedStatistics(Results.SimulationResult result)
    {
        var full = JsonNode.Parse(ResultJson.Serialize(result))!.AsObject();
        var stats = new JsonObject();
        foreach (var key in new[] { "status", "totals", "reserves", "prices", "unliquidatable" })
        {
            stats[key] = full[key]!.DeepClone();
        }

        return stats.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
