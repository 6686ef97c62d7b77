using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefiCascade.Adapters.Snapshots;
using DefiCascade.Core.Snapshot;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>The coverage report of a snapshot run: what share of each protocol the file holds, and what the reading cost.</summary>
internal static class SnapshotReportView
{
    public static void Render(CliIo io, bool json, string outName, SnapshotBuildResult result, RpcStats stats)
    {
        if (json)
        {
            io.Out.WriteLine(Json(outName, result, stats).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return;
        }

        var c = result.Coverage;
        var console = SimulateCommand.Console(io.Out);
        var table = new Table().AddColumn("Snapshot").AddColumn("Coverage");
        table.AddRow("File", Markup.Escape(outName));
        table.AddRow("Chain / block", Markup.Escape($"chain {c.ChainId}, block {c.Block} (timestamp {c.BlockTimestamp})"));
        if (c.Aave is { } a)
        {
            table.AddRow("Aave V3 users", Markup.Escape($"{a.UsersDiscovered:N0} discovered, {a.UsersRead:N0} read, {a.UsersWithDebt:N0} with debt kept ({a.DroppedSupplyOnly:N0} supply-only and {a.DroppedEmpty:N0} empty dropped)"));
            table.AddRow("Aave V3 debt captured", Markup.Escape($"{Share(a.DebtCapturedBase, a.BorrowedBase)} of all borrows ({Usd(a.DebtCapturedBase, a.BaseCurrencyDecimals)} of {Usd(a.BorrowedBase, a.BaseCurrencyDecimals)})"));
            table.AddRow("Aave V3 collateral captured", Markup.Escape($"{Share(a.CollateralCapturedBase, a.SuppliedBase)} of all supplied ({Usd(a.CollateralCapturedBase, a.BaseCurrencyDecimals)} of {Usd(a.SuppliedBase, a.BaseCurrencyDecimals)}): suppliers without debt are not positions"));
            table.AddRow("Health factors", Markup.Escape($"{c.AaveCrossChecked:N0} equal getUserAccountData exactly"));
        }

        if (c.Morpho is { } m)
        {
            var complete = m.Coverage.Count(x => x.AllBorrowersFound);
            table.AddRow("Morpho Blue", Markup.Escape($"{m.Markets.Count} markets ({m.Skipped.Count} idle skipped), {m.PositionsKept:N0} positions of {m.PairsRead:N0} read; all borrowers found in {complete} of {m.Coverage.Count} markets"));
        }

        if (c.Pools.Count > 0)
        {
            var ticks = c.Pools.Sum(p => p.Snapshot is UniswapV3PoolSnapshot v3 ? v3.Ticks.Count : 0);
            var bounded = c.Pools.Count(p => p.Snapshot is UniswapV3PoolSnapshot { TickBookLower: not null });
            table.AddRow("Pools", Markup.Escape($"{c.Pools.Count} ({c.Pools.Count(p => p.Snapshot is UniswapV3PoolSnapshot)} V3, {c.Pools.Count(p => p.Snapshot is UniswapV2PoolSnapshot)} V2), {ticks:N0} initialized ticks read" + (bounded > 0 ? $", {bounded} books windowed" : ", whole books")));
        }

        foreach (var note in c.DerivedPrices)
        {
            table.AddRow("Price from a pool", Markup.Escape(note));
        }

        table.AddRow("RPC", Markup.Escape($"{stats.RoundTrips:N0} round trips, {stats.Retries:N0} retries, {stats.Bytes / 1024.0:N0} KiB, {stats.Elapsed.TotalSeconds:0.0} s; batching: {(stats.Multicall ? "Multicall3 aggregate3 in JSON-RPC batches" : "JSON-RPC batches of eth_call")}"));
        if (c.Resumed)
        {
            table.AddRow("Resumed", "yes: stages read before the interruption came from the checkpoint");
        }

        console.Write(table);
        io.Out.WriteLine($"Coverage, as recorded in the file: {result.Snapshot.Origin.Coverage}");
    }

    private static JsonObject Json(string outName, SnapshotBuildResult result, RpcStats stats)
    {
        var c = result.Coverage;
        var o = new JsonObject
        {
            ["out"] = outName,
            ["chainId"] = c.ChainId,
            ["block"] = c.Block,
            ["blockTimestamp"] = c.BlockTimestamp,
            ["resumed"] = c.Resumed,
            ["rpcRoundTrips"] = stats.RoundTrips,
            ["rpcRetries"] = stats.Retries,
            ["seconds"] = Math.Round(stats.Elapsed.TotalSeconds, 3),
            ["multicall"] = stats.Multicall,
        };
        if (c.Aave is { } a)
        {
            o["aave"] = new JsonObject
            {
                ["usersDiscovered"] = a.UsersDiscovered,
                ["usersRead"] = a.UsersRead,
                ["usersWithDebt"] = a.UsersWithDebt,
                ["debtCapturedBase"] = a.DebtCapturedBase.ToString(CultureInfo.InvariantCulture),
                ["borrowedBase"] = a.BorrowedBase.ToString(CultureInfo.InvariantCulture),
                ["collateralCapturedBase"] = a.CollateralCapturedBase.ToString(CultureInfo.InvariantCulture),
                ["suppliedBase"] = a.SuppliedBase.ToString(CultureInfo.InvariantCulture),
                ["baseCurrencyDecimals"] = a.BaseCurrencyDecimals,
                ["healthFactorsCrossChecked"] = c.AaveCrossChecked,
            };
        }

        if (c.Morpho is { } m)
        {
            o["morpho"] = new JsonObject
            {
                ["markets"] = m.Markets.Count,
                ["positionsKept"] = m.PositionsKept,
                ["pairsRead"] = m.PairsRead,
                ["marketsComplete"] = m.Coverage.Count(x => x.AllBorrowersFound),
            };
        }

        o["pools"] = c.Pools.Count;
        o["ticks"] = c.Pools.Sum(p => p.Snapshot is UniswapV3PoolSnapshot v3 ? v3.Ticks.Count : 0);
        return o;
    }

    private static string Share(BigInteger part, BigInteger whole) =>
        whole.IsZero ? "n/a" : ((double)(part * 1_000_000 / whole) / 10_000).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Usd(BigInteger baseAmount, int decimals) =>
        "$" + ((double)baseAmount / Math.Pow(10, decimals)).ToString("N0", CultureInfo.InvariantCulture);
}
