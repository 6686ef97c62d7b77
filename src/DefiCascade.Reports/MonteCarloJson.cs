using System.Globalization;
using System.Text;
using System.Text.Json;
using DefiCascade.Simulation.MonteCarlo;

namespace DefiCascade.Reports;

/// <summary>
/// montecarlo.json: the risk metrics over N paths and every path's outcome. Nothing in it depends
/// on the thread count or on timing, so the same (snapshot, scenario, seed, paths, options) give
/// the same bytes. USD figures are exact decimal strings, as in result.json.
/// </summary>
public static class MonteCarloJson
{
    public const string Schema = "defi-cascade/montecarlo/v1";

    public const string TooSmall = "too small to rate";

    public const string QuantileMethod = "nearest-rank (Hyndman-Fan type 1): the p-quantile of n sorted outcomes is the ceil(p*n)-th; expected shortfall is the mean of the ceil(0.05*n) largest, rounded down to 1e-8 USD";

    public const string SeedMethod = "path i (from 0) runs with seed = the top 31 bits of output number i plus 1 of SplitMix64 started at the run seed";

    public static string Serialize(MonteCarloResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("scenario", r.Scenario);
            w.WriteNumber("seed", r.Seed);
            w.WriteNumber("paths", r.Paths.Count);
            w.WriteString("pathSeeds", SeedMethod);
            w.WriteNumber("horizonBlocks", r.HorizonBlocks);
            w.WriteNumber("horizonHours", Hours(r.HorizonBlocks, r.BlockSeconds));
            w.WriteNumber("blockSeconds", r.BlockSeconds);
            w.WriteNumber("maxSettleBlocks", r.MaxSettleBlocks);
            w.WriteString("measuredAt", "bad debt at the end of each path: its horizonBlocks, then settling until a quiet block or maxSettleBlocks more");
            w.WriteStartObject("snapshot");
            w.WriteNumber("chainId", r.FirstPath.Header.ChainId);
            w.WriteNumber("block", r.FirstPath.Header.SnapshotBlock);
            w.WriteString("kind", r.FirstPath.Header.SnapshotKind);
            w.WriteEndObject();
            w.WriteBoolean("allPathsIdentical", r.Degenerate);
            WriteMetrics(w, r);
            w.WriteStartArray("perPath");
            foreach (var p in r.Paths)
            {
                w.WriteStartObject();
                w.WriteNumber("path", p.Path);
                w.WriteNumber("seed", p.Seed);
                w.WriteString("badDebtUsd", Usd.Exact(p.BadDebtUsd));
                w.WriteString("liquidationVolumeUsd", Usd.Exact(p.LiquidationVolumeUsd));
                w.WriteNumber("liquidations", p.Liquidations);
                w.WriteNumber("amplificationPp", p.AmplificationPp);
                w.WriteString("outcome", p.Outcome);
                w.WriteNumber("blocksSimulated", p.BlocksSimulated);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>paths.csv: one row per path, in path order.</summary>
    public static string PathsCsv(MonteCarloResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder("path,seed,bad_debt_usd,liquidation_volume_usd,liquidations,amplification_pp,outcome,blocks_simulated\n");
        foreach (var p in r.Paths)
        {
            sb.Append(string.Join(',',
                p.Path.ToString(CultureInfo.InvariantCulture), p.Seed.ToString(CultureInfo.InvariantCulture),
                Usd.Exact(p.BadDebtUsd), Usd.Exact(p.LiquidationVolumeUsd), p.Liquidations.ToString(CultureInfo.InvariantCulture),
                p.AmplificationPp.ToString("R", CultureInfo.InvariantCulture), p.Outcome, p.BlocksSimulated.ToString(CultureInfo.InvariantCulture))).Append('\n');
        }

        return sb.ToString();
    }

    public static double Hours(int blocks, int blockSeconds) => Math.Round(blocks * (double)blockSeconds / 3600.0, 4);

    private static void WriteMetrics(Utf8JsonWriter w, MonteCarloResult r)
    {
        var m = r.Metrics;
        w.WriteStartObject("metrics");
        w.WriteString("quantileMethod", QuantileMethod);
        w.WriteString("badDebtVaR95Usd", Usd.Exact(m.BadDebtVaR95Usd));
        w.WriteString("badDebtEVaR99Usd", Usd.Exact(m.BadDebtEVaR99Usd));
        w.WriteString("badDebtExpectedShortfall95Usd", Usd.Exact(m.BadDebtExpectedShortfall95Usd));
        w.WriteString("badDebtMeanUsd", Usd.Exact(m.BadDebtMeanUsd));
        w.WriteString("liquidationVolumeLaR95Usd", Usd.Exact(m.LiquidationVolumeLaR95Usd));
        w.WriteNumber("pathsWithBadDebt", m.PathsWithBadDebt);
        w.WriteNumber("probabilityOfBadDebt", m.ProbabilityOfBadDebt);
        WriteCriticalShock(w, r.CriticalShock, r.BlockSeconds);
        WriteBranching(w, r.Branching, r.BlockSeconds);
        w.WriteEndObject();
    }

    private static void WriteCriticalShock(Utf8JsonWriter w, CriticalShockResult c, int blockSeconds)
    {
        w.WriteStartObject("criticalShock");
        w.WriteString("driver", c.Driver);
        w.WriteString("thresholdUsd", Usd.Exact(c.ThresholdUsd));
        w.WriteString("method", "bisection over an instant fall of the driver in block 1 (flat after, other assets by beta, no noise); absorbed means bad debt under the threshold");
        WritePercentOrNull(w, "absorbedShockPercent", c.AbsorbedBps);
        WritePercentOrNull(w, "failedShockPercent", c.FailedBps);
        w.WriteNumber("toleranceBps", c.ToleranceBps);
        w.WriteNumber("horizonBlocks", c.HorizonBlocks);
        w.WriteNumber("horizonHours", Hours(c.HorizonBlocks, blockSeconds));
        w.WriteStartArray("trials");
        foreach (var t in c.Trials)
        {
            w.WriteStartObject();
            w.WriteNumber("shockPercent", t.ShockBps / 100.0);
            w.WriteString("badDebtUsd", Usd.Exact(t.BadDebtUsd));
            w.WriteBoolean("absorbed", t.Absorbed);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteBranching(Utf8JsonWriter w, BranchingResult b, int blockSeconds)
    {
        w.WriteStartObject("branchingRatio");
        w.WriteString("definition", "R0(b) = collateral sold from the accounts that the sales of block b pushed below HF 1 / collateral sold in block b, on an instant fall of the driver (see README, Monte Carlo)");
        w.WriteNumber("shockPercent", b.ShockBps / 100.0);
        w.WriteString("materialityFloorUsd", Usd.Exact(b.FloorUsd));
        WriteR0(w, "overallR0", b.OverallR0);
        w.WriteString("shockGenerationSoldUsd", Usd.Exact(b.ShockGenerationUsd));
        w.WriteNumber("horizonBlocks", b.HorizonBlocks);
        w.WriteNumber("horizonHours", Hours(b.HorizonBlocks, blockSeconds));
        w.WriteStartArray("perBlock");
        foreach (var x in b.Blocks)
        {
            w.WriteStartObject();
            w.WriteNumber("block", x.Block);
            w.WriteString("soldUsd", Usd.Exact(x.SoldUsd));
            w.WriteString("triggeredUsd", Usd.Exact(x.TriggeredUsd));
            WriteR0(w, "r0", x.R0);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteR0(Utf8JsonWriter w, string name, double? r0)
    {
        if (r0 is { } value)
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
            w.WriteString(name + "Rating", TooSmall);
        }
    }

    private static void WritePercentOrNull(Utf8JsonWriter w, string name, int? bps)
    {
        if (bps is { } value)
        {
            w.WriteNumber(name, value / 100.0);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
