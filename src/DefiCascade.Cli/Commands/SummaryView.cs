using System.Globalization;
using DefiCascade.Reports;
using DefiCascade.Simulation.MonteCarlo;
using DefiCascade.Simulation.Results;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>The summary tables printed after a run: what happened, how bad, why, under which assumptions.</summary>
internal static class SummaryView
{
    private const int ListedAccounts = 10;

    public static void Render(IAnsiConsole console, SimulationResult r, string snapshotName)
    {
        var h = r.Header;
        var t = r.Totals;
        console.Write(new Rule($"[bold]DefiCascade[/] · {Markup.Escape(h.ScenarioName)}").LeftJustified());
        console.MarkupLine($"Snapshot: {Markup.Escape(snapshotName)} (chain {h.ChainId}, block {h.SnapshotBlock:N0}, {Markup.Escape(h.SnapshotKind)})");
        console.MarkupLine($"Coverage: {Markup.Escape(h.SnapshotCoverage)}");
        console.MarkupLine($"Scenario: {Markup.Escape(h.ScenarioDescription)}");
        console.MarkupLine($"Model: {Markup.Escape(h.LendingModel)}; seed {h.Seed}");
        var horizon = TimeSpan.FromSeconds((double)r.Status.BlocksSimulated * h.BlockSeconds);
        console.MarkupLine($"Run: [bold]{Markup.Escape(r.Status.Outcome)}[/] after {r.Status.BlocksSimulated:N0} blocks ({horizon.TotalHours:0.##} h at {h.BlockSeconds} s): {Markup.Escape(r.Status.Explanation)}");
        console.WriteLine();

        var totals = new Table().Title($"Outcome over {horizon.TotalHours:0.##} h (USD at oracle prices)").AddColumns("Measure", "Value");
        totals.AddRow("Bad debt (protocol insolvency)", $"[bold]{Usd.Human(t.BadDebtUsd)}[/] = {Usd.Percent(t.BadDebtPercentOfBorrows)}% of {Usd.Human(t.InitialDebtUsd)} borrowed");
        totals.AddRow("  of which realized (no collateral left)", Usd.Human(t.RealizedBadDebtUsd));
        totals.AddRow("Accounts with bad debt / left below HF 1", $"{t.AccountsWithBadDebt:N0} / {t.AccountsLeftBelowHfOne:N0}");
        totals.AddRow("Liquidation events / accounts liquidated", $"{t.LiquidationEvents:N0} / {t.AccountsLiquidated:N0} of {t.AccountsWithDebt:N0} borrowers");
        totals.AddRow("Debt repaid / collateral seized", $"{Usd.Human(t.DebtRepaidUsd)} / {Usd.Human(t.CollateralSeizedUsd)}");
        totals.AddRow("Protocol fees", Usd.Human(t.ProtocolFeesUsd));
        totals.AddRow("Liquidator profit / gas", $"{Usd.Human(t.LiquidatorProfitUsd)} / {Usd.Human(t.GasUsd)} ({t.GasUsed:N0} gas)");
        totals.AddRow("Arbitrage trades / oracle updates", $"{t.ArbitrageTrades:N0} / {t.OracleUpdates:N0}");
        console.Write(totals);

        var prices = new Table().Title("External price: exogenous shock vs realized (cascade amplification)")
            .AddColumns("Asset", "Start", "Exogenous end", "Realized end", "Low", "Oracle end", "Pool end", "Amplification (pp)");
        foreach (var p in r.Prices)
        {
            prices.AddRow(p.Asset, Usd.Human(p.Start), $"{Usd.Human(p.ExogenousEnd)} ({Usd.Percent(p.ExogenousMovePercent)}%)",
                $"{Usd.Human(p.RealizedEnd)} ({Usd.Percent(p.RealizedMovePercent)}%)", Usd.Human(p.RealizedLow),
                Usd.Human(p.OracleEnd), p.PoolEnd.IsZero ? "-" : Usd.Human(p.PoolEnd), Usd.Percent(p.AmplificationPoints));
        }

        console.Write(prices);
        if (r.PoolsOutOfLiquidity.Count > 0)
        {
            var drained = new Table().Title("Pools whose liquidity ran out before the external price (edge: where their liquidity ends; a V3 pool's price walks on past it for nothing)")
                .AddColumns("Pool", "Fee", "Ran out of", "Edge price", "Blocks stopped by the edge", "Why");
            foreach (var p in r.PoolsOutOfLiquidity)
            {
                drained.AddRow($"{p.Token0}/{p.Token1} {p.Pool.Hex[..6]}…{p.Pool.Hex[^4..]}", $"{p.FeePips / 10_000.0:0.##}%", p.RanOutOf,
                    $"{p.EdgePrice.ToString("G6", CultureInfo.InvariantCulture)} {p.Token1}/{p.Token0}",
                    $"{p.Blocks:N0} (from block {p.FirstBlock:N0})",
                    p.Stop == DefiCascade.Amm.SwapStop.DataExhausted ? "the snapshot did not read the book further" : "no liquidity beyond the edge");
            }

            console.Write(drained);
        }

        var reserves = new Table().Title("Debt reserves").AddColumns("Reserve", "Borrowed at start", "Repaid by liquidators", "Bad debt", "% of borrows");
        foreach (var x in r.Reserves)
        {
            reserves.AddRow(x.Asset, Usd.Human(x.InitialDebtUsd), Usd.Human(x.DebtRepaidUsd), Usd.Human(x.BadDebtUsd), Usd.Percent(x.BadDebtPercentOfBorrows));
        }

        console.Write(reserves);

        if (r.Unliquidatable.Count > 0)
        {
            var why = new Table().Title("Positions left below HF 1, and why no bot took them").AddColumns("Reason", "Accounts", "Debt", "Collateral", "Meaning");
            foreach (var u in r.Unliquidatable)
            {
                why.AddRow(ResultJson.Name(u.Reason), u.Accounts.ToString("N0"), Usd.Human(u.DebtUsd), Usd.Human(u.CollateralUsd), Markup.Escape(u.Explanation));
            }

            console.Write(why);
        }

        var insolvent = r.BadDebtAccounts.Where(a => a.ShortfallUsd > 0).Take(ListedAccounts).ToList();
        if (insolvent.Count > 0)
        {
            var top = new Table().Title($"Largest bad-debt positions (top {insolvent.Count}; all in result.json)")
                .AddColumns("Account", "e-mode", "Collateral", "Debt", "Collateral USD", "Debt USD", "Bad debt", "HF", "Why");
            foreach (var a in insolvent)
            {
                top.AddRow(a.User.Hex, a.EMode.ToString(), string.Join("+", a.CollateralAssets), string.Join("+", a.DebtAssets),
                    Usd.Human(a.CollateralUsd), Usd.Human(a.DebtUsd), Usd.Human(a.ShortfallUsd), Usd.HealthFactor(a.HealthFactor), ResultJson.Name(a.Reason));
            }

            console.Write(top);
        }

        var assumptions = new Table().Title("Assumptions (each one moves the result; change them in the scenario file)").AddColumns("Assumption", "Value", "Basis");
        foreach (var a in h.Assumptions)
        {
            assumptions.AddRow(Markup.Escape(a.Name), Markup.Escape(a.Value), Markup.Escape(a.Basis));
        }

        console.Write(assumptions);
    }

    /// <summary>The Monte Carlo table: each metric with its horizon, then the critical shock and R0 with theirs.</summary>
    public static void RenderMonteCarlo(IAnsiConsole console, MonteCarloResult r, string snapshotName)
    {
        var h = r.FirstPath.Header;
        var m = r.Metrics;
        var hours = MonteCarloJson.Hours(r.HorizonBlocks, r.BlockSeconds);
        console.Write(new Rule($"[bold]DefiCascade Monte Carlo[/] · {Markup.Escape(r.Scenario)} · {r.Paths.Count:N0} paths").LeftJustified());
        console.MarkupLine($"Snapshot: {Markup.Escape(snapshotName)} (chain {h.ChainId}, block {h.SnapshotBlock:N0}, {Markup.Escape(h.SnapshotKind)})");
        console.MarkupLine($"Seed {r.Seed}; {Markup.Escape(MonteCarloJson.SeedMethod)}.");
        var horizon = $"{r.HorizonBlocks:N0} blocks ({hours:0.##} h) + settle ≤ {r.MaxSettleBlocks:N0}";
        console.MarkupLine($"Horizon: the scenario's {r.HorizonBlocks:N0}-block path ({hours:0.##} h at {r.BlockSeconds} s), then settling until a quiet block or {r.MaxSettleBlocks:N0} more blocks; bad debt at each path's end.");
        if (r.Degenerate)
        {
            console.MarkupLine("[yellow]All paths ended the same: the scenario has no random component (set noiseBpsPerBlock or a random path), so the tail metrics equal the single run.[/]");
        }

        console.WriteLine();
        var table = new Table().Title($"Over {r.Paths.Count:N0} paths (USD at oracle prices; quantiles nearest-rank)").AddColumns("Metric", "Value", "Horizon");
        table.AddRow("Bad debt VaR95 (95th percentile)", $"[bold]{Usd.Human(m.BadDebtVaR95Usd)}[/]", horizon);
        table.AddRow("Bad debt EVaR99 (99th percentile)", Usd.Human(m.BadDebtEVaR99Usd), horizon);
        table.AddRow("Bad debt expected shortfall (mean of worst 5%)", Usd.Human(m.BadDebtExpectedShortfall95Usd), horizon);
        table.AddRow("Bad debt mean", Usd.Human(m.BadDebtMeanUsd), horizon);
        table.AddRow("Probability of any bad debt", $"{m.ProbabilityOfBadDebt.ToString("0.####", CultureInfo.InvariantCulture)} ({m.PathsWithBadDebt:N0} of {r.Paths.Count:N0} paths)", horizon);
        table.AddRow("Liquidation volume LaR95 (95th percentile, debt repaid)", Usd.Human(m.LiquidationVolumeLaR95Usd), horizon);

        var c = r.CriticalShock;
        var critical = (c.AbsorbedBps, c.FailedBps) switch
        {
            (null, _) => "none: bad debt reaches the threshold with no shock",
            (var lo, null) => $"≥ {lo / 100.0:0.##}% (a 99% fall stays under the threshold)",
            var (lo, hi) => $"[bold]{lo / 100.0:0.##}%[/] absorbed, {hi / 100.0:0.##}% not ({c.Trials.Count} runs)",
        };
        table.AddRow($"Critical shock: instant {Markup.Escape(c.Driver)} fall with bad debt < {Usd.Human(c.ThresholdUsd)}", critical,
            $"1 block + settle ({c.HorizonBlocks:N0} blocks at most, {MonteCarloJson.Hours(c.HorizonBlocks, r.BlockSeconds):0.##} h)");
        var b = r.Branching;
        var overall = b.OverallR0 is { } r0 ? r0.ToString("0.###", CultureInfo.InvariantCulture) : MonteCarloJson.TooSmall;
        table.AddRow($"Branching ratio R0 (instant {b.ShockBps / 100.0:0.##}% fall; floor {Usd.Human(b.FloorUsd)} sold)", overall,
            $"{b.HorizonBlocks:N0} blocks ({MonteCarloJson.Hours(b.HorizonBlocks, r.BlockSeconds):0.##} h)");
        console.Write(table);

        if (b.Blocks.Count > 0)
        {
            var blocks = new Table().Title("R0 per block (first 12 blocks with sales; all in montecarlo.json)").AddColumns("Block", "Collateral sold", "Sold by accounts it pushed below HF 1", "R0");
            foreach (var x in b.Blocks.Take(12))
            {
                blocks.AddRow(x.Block.ToString("N0", CultureInfo.InvariantCulture), Usd.Human(x.SoldUsd), Usd.Human(x.TriggeredUsd),
                    x.R0 is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : MonteCarloJson.TooSmall);
            }

            console.Write(blocks);
        }

        var worst = r.Paths.OrderByDescending(p => p.BadDebtUsd).ThenBy(p => p.Path).Take(5).ToList();
        var tail = new Table().Title("Worst paths by bad debt (all in paths.csv)").AddColumns("Path", "Seed", "Bad debt", "Liquidation volume", "Liquidations", "Amplification (pp)", "Run");
        foreach (var p in worst)
        {
            tail.AddRow(p.Path.ToString(CultureInfo.InvariantCulture), p.Seed.ToString(CultureInfo.InvariantCulture), Usd.Human(p.BadDebtUsd), Usd.Human(p.LiquidationVolumeUsd),
                p.Liquidations.ToString("N0", CultureInfo.InvariantCulture), Usd.Percent(p.AmplificationPp), $"{p.Outcome}, {p.BlocksSimulated:N0} blocks");
        }

        console.Write(tail);
        console.MarkupLine("Path 0 in detail: result.json, blocks.csv, liquidations.csv (simulate --seed <its seed> reproduces any path alone).");
    }
}
