using DefiCascade.Reports;
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
}
