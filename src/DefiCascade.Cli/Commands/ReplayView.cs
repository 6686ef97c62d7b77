using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefiCascade.Replay;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>The replay's output: model and chain side by side, the divergence, where the histories part, disclosures and times.</summary>
internal static class ReplayView
{
    private const int ListedDisagreements = 50;

    public static JsonObject Json(ReplayOutcome o, DevChainVerdict verdict, double? maxDivergence)
    {
        var c = o.Comparison;
        var first = c.First;
        return new JsonObject
        {
            ["command"] = "replay",
            ["devChain"] = new JsonObject
            {
                ["chainId"] = verdict.ChainId,
                ["anvil"] = verdict.AnvilAnswered,
                ["forkBlock"] = verdict.ForkBlock,
                ["isDevChain"] = verdict.IsDevChain,
                ["verdict"] = verdict.Describe(),
            },
            ["startBlock"] = o.Snapshot.BlockNumber,
            ["startTimestamp"] = o.Snapshot.BlockTimestamp,
            ["blocks"] = o.Chain.Count,
            ["transactions"] = o.Transactions,
            ["users"] = o.End.Users,
            ["model"] = Side(c, m => m.Model),
            ["chain"] = Side(c, m => m.Chain),
            ["metrics"] = new JsonArray(c.Metrics.Select(m => (JsonNode)new JsonObject
            {
                ["metric"] = m.Metric,
                ["unit"] = m.Unit == "usd" ? "usd (8 decimals)" : m.Unit,
                ["model"] = Text(m.Model),
                ["chain"] = Text(m.Chain),
                ["difference"] = Text(m.Difference),
                ["divergencePercent"] = m.DivergencePercent,
            }).ToArray()),
            ["divergencePercent"] = c.MaxDivergencePercent,
            ["maxDivergencePercent"] = maxDivergence,
            ["exceeded"] = maxDivergence is { } max && c.MaxDivergencePercent > max,
            ["liquidationsIdenticalToTheWei"] = c.LiquidationsIdentical,
            ["liquidationsByPair"] = new JsonObject(c.LiquidationsByPair.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["swapsIdenticalToTheWei"] = c.SwapsIdentical,
            ["poolPricesCompared"] = c.PoolPricesCompared,
            ["poolPricesIdentical"] = c.PoolPricesIdentical,
            ["poolPriceDisagreements"] = new JsonArray(c.PoolPriceDisagreements.Take(ListedDisagreements).Select(d => (JsonNode)new JsonObject
            {
                ["block"] = d.Block,
                ["pool"] = d.Pool.Hex,
                ["modelSqrtPriceX96"] = Text(d.ModelSqrtPriceX96),
                ["chainSqrtPriceX96"] = Text(d.ChainSqrtPriceX96),
                ["modelTick"] = d.ModelTick,
                ["chainTick"] = d.ChainTick,
            }).ToArray()),
            ["accountsIdenticalAtTheEnd"] = o.End.Users - c.AccountDisagreements.Count,
            ["accountDisagreements"] = new JsonArray(c.AccountDisagreements.Take(ListedDisagreements).Select(d => (JsonNode)new JsonObject
            {
                ["user"] = d.User.Hex,
                ["model"] = d.Model.ToString(),
                ["chain"] = d.Chain.ToString(),
            }).ToArray()),
            ["firstDisagreement"] = first is null ? null : Disagreement(first),
            ["disagreements"] = new JsonArray(c.Disagreements.Take(ListedDisagreements).Select(d => (JsonNode)Disagreement(d)).ToArray()),
            ["disagreementsTotal"] = c.Disagreements.Count,
            ["times"] = new JsonObject
            {
                ["snapshotSeconds"] = Math.Round(o.SnapshotTime.TotalSeconds, 3),
                ["modelSeconds"] = Math.Round(o.ModelTime.TotalSeconds, 3),
                ["chainSeconds"] = Math.Round(o.ChainTime.TotalSeconds, 3),
                ["modelOverChain"] = Math.Round(o.TimeRatio, 4),
            },
            ["disclosures"] = new JsonArray(o.Disclosures.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
        };
    }

    public static void Render(CliIo io, bool json, ReplayOutcome o, DevChainVerdict verdict, JsonObject document, double? maxDivergence)
    {
        if (json)
        {
            io.Out.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return;
        }

        var c = o.Comparison;
        var console = SimulateCommand.Console(io.Out);
        console.WriteLine($"Replay from block {o.Snapshot.BlockNumber} ({verdict.Describe()}): {o.Chain.Count} blocks, {o.Transactions} transactions, {o.End.Users} accounts");
        var table = new Table().AddColumn("Metric").AddColumn(new TableColumn("Model").RightAligned()).AddColumn(new TableColumn("Chain").RightAligned())
            .AddColumn(new TableColumn("Difference").RightAligned()).AddColumn(new TableColumn("Divergence").RightAligned());
        foreach (var m in c.Metrics)
        {
            table.AddRow(Markup.Escape(m.Metric), Value(m.Model, m.Unit), Value(m.Chain, m.Unit), Value(m.Difference, m.Unit), $"{m.DivergencePercent.ToString("0.####", CultureInfo.InvariantCulture)}%");
        }

        console.Write(table);
        console.WriteLine($"Liquidations identical to the wei: {c.LiquidationsIdentical}; swaps identical to the wei: {c.SwapsIdentical}; pool prices equal after each block: {c.PoolPricesIdentical} of {c.PoolPricesCompared}");
        console.WriteLine(c.First is { } f
            ? $"First disagreement: block {f.Block}, action {f.Index} ({f.Kind}{(f.User is null ? string.Empty : ", user " + f.User)}): model {f.Model}; chain {f.Chain}"
            : "No action disagreement: every liquidation and swap did on chain what the model said, to the wei.");
        console.WriteLine(c.AccountDisagreements.Count == 0
            ? $"Every account's getUserAccountData after the last block equals the model's ({o.End.Users} accounts)."
            : $"{c.AccountDisagreements.Count} of {o.End.Users} accounts differ after the last block; first {c.AccountDisagreements[0].User.Hex}: model {c.AccountDisagreements[0].Model}, chain {c.AccountDisagreements[0].Chain}");
        if (c.PoolPriceDisagreements.Count > 0)
        {
            var p = c.PoolPriceDisagreements[0];
            console.WriteLine($"First pool price disagreement: block {p.Block}, pool {p.Pool.Hex}: model tick {p.ModelTick} (sqrtPriceX96 {p.ModelSqrtPriceX96}), chain tick {p.ChainTick} (sqrtPriceX96 {p.ChainSqrtPriceX96}); {c.PoolPriceDisagreements.Count} (block, pool) pairs differ");
        }
        console.WriteLine($"Divergence: {c.MaxDivergencePercent.ToString("0.####", CultureInfo.InvariantCulture)}% (largest over the metrics)"
            + (maxDivergence is { } max ? $"; --max-divergence {max.ToString(CultureInfo.InvariantCulture)}%: {(c.MaxDivergencePercent > max ? "EXCEEDED" : "within")}" : string.Empty));
        console.WriteLine($"Time: model {o.ModelTime.TotalSeconds:0.000} s, chain {o.ChainTime.TotalSeconds:0.000} s, ratio model/chain {o.TimeRatio:0.0000} (snapshot read {o.SnapshotTime.TotalSeconds:0.0} s)");
        console.WriteLine("Disclosed (what the replay did to the chain beyond normal transactions):");
        foreach (var d in o.Disclosures)
        {
            console.WriteLine("  - " + d);
        }
    }

    private static JsonObject Side(ReplayComparison c, Func<MetricRow, BigInteger> pick)
    {
        MetricRow Row(string name) => c.Metrics.First(m => m.Metric == name);
        return new JsonObject
        {
            ["liquidations"] = (long)pick(Row("liquidations")),
            ["debtRepaidUsd"] = Usd(pick(Row("debt repaid"))),
            ["collateralSeizedUsd"] = Usd(pick(Row("collateral seized"))),
            ["protocolFeesUsd"] = Usd(pick(Row("protocol fees"))),
            ["badDebtUsd"] = Usd(pick(Row("bad debt at the end"))),
            ["arbitrageSwaps"] = (long)pick(Row("arbitrage swaps")),
            ["saleSwaps"] = (long)pick(Row("collateral sale swaps")),
            ["accountsBelowHfOne"] = (long)pick(Row("accounts below HF 1 at the end")),
        };
    }

    private static JsonObject Disagreement(ActionDisagreement d) => new()
    {
        ["block"] = d.Block,
        ["index"] = d.Index,
        ["kind"] = d.Kind,
        ["user"] = d.User,
        ["action"] = d.Action,
        ["model"] = d.Model,
        ["chain"] = d.Chain,
    };

    private static string Value(BigInteger v, string unit) => unit == "usd" ? "$" + Usd(v) : v.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>USD with 8 decimals as a decimal string ("1234.56789012"), exact.</summary>
    private static string Usd(BigInteger v)
    {
        var sign = v.Sign < 0 ? "-" : string.Empty;
        var a = BigInteger.Abs(v);
        return $"{sign}{(a / 100_000_000).ToString(CultureInfo.InvariantCulture)}.{(a % 100_000_000).ToString("D8", CultureInfo.InvariantCulture)}";
    }

    private static string Text(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
}
