using DefiCascade.Core.Math;

namespace DefiCascade.Simulation.Engine;

public sealed partial class LiquidationBot
{
    /// <summary>
    /// How the bot prices an account on the current state, for auditors: each (collateral, debt)
    /// pair at the full close-factor slice, with what it seizes, what the sale yields, gas and
    /// profit, then the decision.
    /// </summary>
    public IReadOnlyList<string> Explain(int b, int i)
    {
        var book = _state.Books[b];
        var data = book.AccountData(i);
        _healthFactor = data.HealthFactor;
        var lines = new List<string>
        {
            $"account {book.Accounts[i].User}: HF {data.HealthFactor} (wad), collateral {data.TotalCollateralBase}, debt {data.TotalDebtBase} (USD, 8 decimals)",
        };
        foreach (var (c, d) in Pairs(book, i))
        {
            var pair = $"{book.Market.Reserves[c].Token.Symbol}->{book.Market.Reserves[d].Token.Symbol}";
            var full = Evaluate(book, i, c, d, UInt256.Max, out var why);
            lines.Add(full is null
                ? $"{pair}: full slice cannot be sold ({why})"
                : $"{pair}: full slice repays {full.Quote.DebtRepaid}, seizes {full.Quote.CollateralToLiquidator} (+{full.Quote.ProtocolFee} fee), sells for {full.Proceeds}, gas {full.Gas}, profit {full.ProfitUsd} (USD, 8 decimals)");
        }

        var decision = Decide(book, i, data);
        lines.Add(decision.Plan is { } plan
            ? $"decision: liquidate {(plan.Partial ? "a slice of " : string.Empty)}{plan.Quote.DebtRepaid} {book.Market.Reserves[plan.Debt].Token.Symbol} against {book.Market.Reserves[plan.Collateral].Token.Symbol}, profit {plan.ProfitUsd}"
            : $"decision: leave it ({decision.Reason})");
        return lines;
    }
}
