using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>Pricing and sizing of one liquidation: which pair, how large a slice.</summary>
public sealed partial class LiquidationBot
{
    private const int HalvingSteps = 20;

    /// <summary>Profit, cost and route of one candidate liquidation, priced exactly on current state.</summary>
    private sealed record Plan(int Collateral, int Debt, BigInteger DebtToCover, LiquidationQuote Quote, Route? Route, long Gas, BigInteger Proceeds, BigInteger ProfitUsd, bool Partial);

    private readonly record struct Decision(Plan? Plan, UnliquidatableReason Reason);

    /// <summary>Either a plan with non-negative profit, or the reason none exists.</summary>
    private Decision Decide(LendingBook book, int i, UserAccountData data)
    {
        var pairs = Pairs(book, i);
        if (pairs.Count == 0)
        {
            return new Decision(null, UnliquidatableReason.NoCollateral);
        }

        Plan? best = null;
        var reason = UnliquidatableReason.Unprofitable;
        foreach (var (c, d) in pairs)
        {
            var plan = Evaluate(book, i, c, d, UInt256.Max, out var why);
            if (plan is null)
            {
                reason = Worse(reason, why);
                continue;
            }

            if (best is null || plan.ProfitUsd > best.ProfitUsd)
            {
                best = plan;
            }
        }

        if (best is { ProfitUsd.Sign: >= 0 })
        {
            return new Decision(best, UnliquidatableReason.None);
        }

        if (IsDust(data))
        {
            return new Decision(null, UnliquidatableReason.Dust);
        }

        // Nothing pays at full size: the largest slice that pays, on each pair.
        Plan? slice = null;
        foreach (var (c, d) in pairs)
        {
            var candidate = LargestPayingSlice(book, i, c, d, ref reason);
            if (candidate is not null && (slice is null || candidate.Quote.DebtRepaid * book.Oracle.Prices[d] / book.Market.Reserves[d].Token.Unit
                    > slice.Quote.DebtRepaid * book.Oracle.Prices[slice.Debt] / book.Market.Reserves[slice.Debt].Token.Unit))
            {
                slice = candidate;
            }
        }

        if (slice is not null)
        {
            return new Decision(slice, UnliquidatableReason.None);
        }

        return new Decision(null, reason);
    }

    private Plan? BestAtMax(LendingBook book, int i)
    {
        Plan? best = null;
        foreach (var (c, d) in Pairs(book, i))
        {
            var plan = Evaluate(book, i, c, d, UInt256.Max, out _);
            if (plan is not null && (best is null || plan.ProfitUsd > best.ProfitUsd))
            {
                best = plan;
            }
        }

        return best;
    }

    private Plan? LargestPayingSlice(LendingBook book, int i, int c, int d, ref UnliquidatableReason reason)
    {
        var full = Evaluate(book, i, c, d, UInt256.Max, out var why);
        var max = full?.Quote.DebtRepaid ?? book.Accounts[i].DebtBalance(book.Market, d);
        if (full is not null && NoSliceCanPay(book, i, c, d, full, max, ref reason))
        {
            return null;
        }

        Plan? paying = null;
        var failingAbove = max;
        for (var k = 1; k <= HalvingSteps && paying is null; k++)
        {
            var size = max >> k;
            if (size.IsZero)
            {
                break;
            }

            var plan = Evaluate(book, i, c, d, size, out why);
            if (plan is { ProfitUsd.Sign: >= 0 })
            {
                paying = plan;
            }
            else
            {
                reason = plan is null ? Worse(reason, why) : reason;
                failingAbove = size;
            }
        }

        if (paying is null)
        {
            return null;
        }

        // Bisect between the paying slice and the smallest failing size above it (to 0.1%).
        var lo = paying.DebtToCover;
        var hi = failingAbove;
        while (hi - lo > BigInteger.Max(1, lo / 1000))
        {
            var mid = (lo + hi) / 2;
            var plan = Evaluate(book, i, c, d, mid, out _);
            if (plan is { ProfitUsd.Sign: >= 0 })
            {
                paying = plan;
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return paying with { Partial = true };
    }

    /// <summary>
    /// An upper bound on any slice's profit: a swap's proceeds per unit never rise with size
    /// (concave output), so the rate of a tiny probe, applied to the full slice, overstates what
    /// any slice earns, while the fixed gas only grows in relative weight as slices shrink.
    /// If even that bound loses at full size, no slice pays and the search is skipped.
    /// </summary>
    private bool NoSliceCanPay(LendingBook book, int i, int c, int d, Plan full, BigInteger max, ref UnliquidatableReason reason)
    {
        var probe = Evaluate(book, i, c, d, BigInteger.Max(BigInteger.One, max >> 16), out var why);
        if (probe is null)
        {
            reason = Worse(reason, why);
            return true;
        }

        if (probe.Quote.CollateralToLiquidator.IsZero)
        {
            return false;
        }

        var debt = book.Market.Reserves[d].Token;
        var sameToken = book.Market.Reserves[c].Token.Symbol == debt.Symbol;
        var minimumGas = _market.LiquidationGas + (sameToken ? 0 : _market.SwapGasPerHop);
        var bestProceeds = full.Quote.CollateralToLiquidator * probe.Proceeds / probe.Quote.CollateralToLiquidator;
        var bound = bestProceeds - full.Quote.DebtRepaid
            - PercentageMath.PercentMul(full.Quote.DebtRepaid, _market.FlashLoanFeeBps)
            - GasUsd(minimumGas) * debt.Unit / _state.External[book.ReserveAsset[d]];
        return bound.Sign < 0;
    }

    private Plan? Evaluate(LendingBook book, int i, int c, int d, BigInteger debtToCover, out UnliquidatableReason why)
    {
        why = UnliquidatableReason.None;
        var quote = AaveV3Liquidation.Quote(book.Market, book.Accounts[i], book.Oracle, new LiquidationRequest(c, d, debtToCover));
        if (!quote.Ok)
        {
            why = UnliquidatableReason.Refused;
            return null;
        }

        var collateral = book.Market.Reserves[c].Token;
        var debt = book.Market.Reserves[d].Token;
        var proceeds = quote.CollateralToLiquidator;
        var gas = _market.LiquidationGas;
        Route? route = null;
        if (collateral.Symbol != debt.Symbol && !quote.CollateralToLiquidator.IsZero)
        {
            var sale = _router.Best(collateral.Symbol, debt.Symbol, quote.CollateralToLiquidator);
            if (sale.Route is null)
            {
                why = UnliquidatableReason.NoRoute;
                return null;
            }

            if (!sale.Filled)
            {
                why = sale.Stop == SwapStop.DataExhausted ? UnliquidatableReason.DataExhausted : UnliquidatableReason.NoLiquidity;
                return null;
            }

            route = sale.Route;
            proceeds = sale.AmountOut;
            gas += sale.Route.Hops.Count * _market.SwapGasPerHop + sale.TicksCrossed * _market.GasPerTickCrossed;
        }

        var debtAsset = book.ReserveAsset[d];
        var flashFee = PercentageMath.PercentMul(quote.DebtRepaid, _market.FlashLoanFeeBps);
        var gasInDebt = GasUsd(gas) * debt.Unit / _state.External[debtAsset];
        var profit = proceeds - quote.DebtRepaid - flashFee - gasInDebt;
        var profitUsd = profit * _state.External[debtAsset] / debt.Unit;
        return new Plan(c, d, debtToCover, quote, route, gas, proceeds, profitUsd, Partial: false);
    }

    private static List<(int Collateral, int Debt)> Pairs(LendingBook book, int i)
    {
        var account = book.Accounts[i];
        var pairs = new List<(int, int)>();
        for (var c = 0; c < book.Market.Reserves.Count; c++)
        {
            if (!account.IsUsingAsCollateral(c) || book.Market.Reserves[c].LiquidationThresholdBps == 0)
            {
                continue;
            }

            for (var d = 0; d < book.Market.Reserves.Count; d++)
            {
                if (account.IsBorrowing(d))
                {
                    pairs.Add((c, d));
                }
            }
        }

        return pairs;
    }

    private bool IsDust(UserAccountData data) =>
        data.TotalDebtBase < GasUsd(_market.LiquidationGas + _market.SwapGasPerHop);

    // Liquidity problems say more than "unprofitable": report them when they occur.
    private static UnliquidatableReason Worse(UnliquidatableReason current, UnliquidatableReason candidate) =>
        candidate is UnliquidatableReason.None ? current
        : current is UnliquidatableReason.Unprofitable or UnliquidatableReason.None ? candidate
        : current;
}
