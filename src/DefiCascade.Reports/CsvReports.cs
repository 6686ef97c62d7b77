using System.Globalization;
using System.Numerics;
using System.Text;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Reports;

/// <summary>
/// blocks.csv (one row per block: prices per asset and activity) and liquidations.csv (one row
/// per liquidationCall). USD columns are exact decimals; raw amounts are base units.
/// </summary>
public static class CsvReports
{
    public static string Blocks(SimulationResult result, IReadOnlyList<string> assets)
    {
        var sb = new StringBuilder();
        var header = new List<string> { "block", "timestamp" };
        foreach (var a in assets)
        {
            header.Add($"external_usd_{a}");
            header.Add($"pool_usd_{a}");
            header.Add($"oracle_usd_{a}");
        }

        header.AddRange(["liquidations", "accounts_liquidated", "debt_repaid_usd", "collateral_seized_usd", "liquidator_profit_usd",
            "gas_usd", "gas_used", "gas_budget_bound", "arbitrage_trades", "oracle_updates", "accounts_below_hf1", "bad_debt_usd"]);
        // only a scenario with mitigations gets their columns: every other blocks.csv stays as it was.
        var mitigated = result.Mitigation is not null;
        if (mitigated)
        {
            header.AddRange(["liquidation_cap_bound", "liquidations_paused"]);
        }

        sb.Append(string.Join(',', header)).Append('\n');
        foreach (var b in result.Blocks)
        {
            var row = new List<string> { Int(b.Block), Int(b.Timestamp) };
            for (var a = 0; a < assets.Count; a++)
            {
                row.Add(Usd.Exact(b.External[a]));
                row.Add(b.Pool[a].IsZero ? string.Empty : Usd.Exact(b.Pool[a]));
                row.Add(b.Oracle[a].IsZero ? string.Empty : Usd.Exact(b.Oracle[a]));
            }

            row.AddRange([Int(b.Liquidations), Int(b.AccountsLiquidated), Usd.Exact(b.DebtRepaidUsd), Usd.Exact(b.CollateralSeizedUsd),
                Usd.Exact(b.LiquidatorProfitUsd), Usd.Exact(b.GasUsd), Int(b.GasUsed), b.GasBudgetBound ? "1" : "0",
                Int(b.ArbitrageTrades), Int(b.OracleUpdates), Int(b.AccountsBelowHfOne), Usd.Exact(b.BadDebtUsd)]);
            if (mitigated)
            {
                row.AddRange([b.LiquidationCapBound ? "1" : "0", b.LiquidationsPaused ? "1" : "0"]);
            }

            sb.Append(string.Join(',', row)).Append('\n');
        }

        return sb.ToString();
    }

    public static string Liquidations(SimulationResult result)
    {
        var sb = new StringBuilder();
        sb.Append("block,market,user,collateral,debt,debt_repaid,collateral_to_liquidator,protocol_fee,sale_proceeds,")
          .Append("hf_before_wad,hf_after_wad,close_factor_bps,collateral_cap_binding,partial_slice,")
          .Append("debt_repaid_usd,collateral_seized_usd,protocol_fee_usd,profit_usd,gas_usd,gas_used\n");
        foreach (var e in result.Liquidations)
        {
            sb.Append(string.Join(',',
                Int(e.Block), Quote(e.Market), e.User.Hex, e.CollateralAsset, e.DebtAsset,
                Raw(e.DebtRepaid), Raw(e.CollateralToLiquidator), Raw(e.ProtocolFee), Raw(e.SaleProceeds),
                Raw(e.HealthFactorBefore), Raw(e.HealthFactorAfter), Int(e.CloseFactorBps),
                e.CollateralCapBinding ? "1" : "0", e.PartialSlice ? "1" : "0",
                Usd.Exact(e.DebtRepaidUsd), Usd.Exact(e.CollateralSeizedUsd), Usd.Exact(e.ProtocolFeeUsd),
                Usd.Exact(e.ProfitUsd), Usd.Exact(e.GasUsd), Int(e.GasUsed))).Append('\n');
        }

        return sb.ToString();
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Raw(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
}
