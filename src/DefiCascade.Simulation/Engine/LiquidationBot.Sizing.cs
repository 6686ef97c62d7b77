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

    // USD (8 decimals) of collateral in the near-marginal probe sale.
    private static readonly BigInteger ProbeUsd = 100_00000000;

    // Health factor of the account being sized: every slice is quoted on the same state.
    private BigInteger _healthFactor;

    /// <summary>Profit, cost and route of one candidate liquidation, priced exactly on current state.</summary>
    private sealed record Plan(int Collateral, int Debt, BigInteger DebtToCover, LiquidationQuote Quote, Route? Route, long Gas, BigInteger Proceeds, BigInteger ProfitUsd, bool Partial);

    private readonly record struct Decision(Plan? Plan, UnliquidatableReason Reason);

    /// <summary>Either a plan with non-negative profit, or the reason none exists.</summary>
    private Decision Decide(LendingBook book, int i, UserAccountData data)
    {
        _healthFactor = data.HealthFactor;
        var pairs = Pairs(book, i);
        if (pairs.Count == 0)
        {
            return new Decision(null, UnliquidatableReason.NoCollateral);
        }

        if (IsDust(data))
        {
            return new Decision(null, UnliquidatableReason.Dust);
        }

        Plan? best = null;
        var toSearch = new List<(int C, int D, BigInteger Max, BigInteger Floor)>();
        var reason = UnliquidatableReason.Unprofitable;
        foreach (var (c, d) in pairs)
        {
            var quote = Quote(book, i, c, d, UInt256.Max);
            if (!quote.Ok)
            {
                reason = Worse(reason, UnliquidatableReason.Refused);
                continue;
            }

            if (SmallestSliceThatMightPay(book, c, d, quote, ref reason) is not { } floor)
            {
                continue;
            }

            var plan = Price(book, c, d, UInt256.Max, quote, out var why);
            if (plan is { ProfitUsd.Sign: >= 0 })
            {
                best = best is null || plan.ProfitUsd > best.ProfitUsd ? plan : best;
            }
            else
            {
                reason = plan is null ? Worse(reason, why) : reason;
                toSearch.Add((c, d, quote.DebtRepaid, floor));
            }
        }

        if (best is not null)
        {
            return new Decision(best, UnliquidatableReason.None);
        }

        // Nothing pays at full size where it might: the largest slice that pays, by USD repaid.
        Plan? slice = null;
        foreach (var (c, d, max, floor) in toSearch)
        {
            var candidate = LargestPayingSlice(book, i, c, d, max, floor, ref reason);
            if (candidate is not null && (slice is null || RepaidUsd(book, candidate) > RepaidUsd(book, slice)))
            {
                slice = candidate;
            }
        }

        return slice is not null ? new Decision(slice, UnliquidatableReason.None) : new Decision(null, reason);
    }

    /// <summary>
    /// An upper bound on the profit of any slice of this pair, in exact integers: a sale's
    /// proceeds per unit never rise with size (swap output is concave), so the near-marginal rate
    /// r of a small probe overstates every slice's rate, and with k collateral seized per unit of
    /// debt repaid a slice x earns at most x * (k * r - 1 - flash fee) - gas. Returns the smallest
    /// debt slice for which that bound is not negative, or null when even the full slice's bound
    /// loses (then no slice of this pair pays).
    /// </summary>
    private BigInteger? SmallestSliceThatMightPay(LendingBook book, int c, int d, LiquidationQuote full, ref UnliquidatableReason reason)
    {
        var collateral = book.Market.Reserves[c].Token;
        var debt = book.Market.Reserves[d].Token;
        if (collateral.Symbol == debt.Symbol || full.DebtRepaid.IsZero)
        {
            return BigInteger.Zero;
        }

        var collateralAsset = book.ReserveAsset[c];
        var probeAmount = BigInteger.Max(BigInteger.One, ProbeUsd * collateral.Unit / _state.External[collateralAsset]);
        var probe = _router.Probe(collateral.Symbol, debt.Symbol, probeAmount);
        if (probe.Route is null)
        {
            reason = Worse(reason, UnliquidatableReason.NoRoute);
            return null;
        }

        if (!probe.Filled || probe.AmountIn.IsZero)
        {
            reason = Worse(reason, probe.Stop == SwapStop.DataExhausted ? UnliquidatableReason.DataExhausted : UnliquidatableReason.NoLiquidity);
            return null;
        }

        var gas = GasUsd(_market.LiquidationGas + _market.SwapGasPerHop) * debt.Unit / _state.External[book.ReserveAsset[d]];
        // Margin per unit of debt at the full slice, scaled by the full slice's debt: best proceeds - repaid - flash fee.
        var margin = full.CollateralToLiquidator * probe.AmountOut / probe.AmountIn - full.DebtRepaid
            - PercentageMath.PercentMul(full.DebtRepaid, _market.FlashLoanFeeBps);
        if (margin < gas || margin.Sign <= 0)
        {
            return null;
        }

        // x * margin / full >= gas  =>  x >= gas * full / margin.
        return gas * full.DebtRepaid / margin;
    }

    private Plan? LargestPayingSlice(LendingBook book, int i, int c, int d, BigInteger max, BigInteger floor, ref UnliquidatableReason reason)
    {
        Plan? paying = null;
        var failingAbove = max;
        for (var k = 1; k <= HalvingSteps && paying is null; k++)
        {
            var size = max >> k;
            if (size.IsZero || size < floor)
            {
                break;
            }

            var plan = Evaluate(book, i, c, d, size, out var why);
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

        // Bisect between the paying slice and the smallest failing size above it (to 1%).
        var lo = paying.DebtToCover;
        var hi = failingAbove;
        while (hi - lo > BigInteger.Max(1, lo / 100))
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

    private LiquidationQuote Quote(LendingBook book, int i, int c, int d, BigInteger debtToCover) =>
        AaveV3Liquidation.Quote(book.Market, book.Accounts[i], book.Oracle, new LiquidationRequest(c, d, debtToCover), _healthFactor);

    private Plan? Evaluate(LendingBook book, int i, int c, int d, BigInteger debtToCover, out UnliquidatableReason why)
    {
        var quote = Quote(book, i, c, d, debtToCover);
        if (!quote.Ok)
        {
            why = UnliquidatableReason.Refused;
            return null;
        }

        return Price(book, c, d, debtToCover, quote, out why);
    }

    /// <summary>Exact profit of a quoted liquidation: sell what it seizes along the best route, pay the flash loan and gas.</summary>
    private Plan? Price(LendingBook book, int c, int d, BigInteger debtToCover, LiquidationQuote quote, out UnliquidatableReason why)
    {
        why = UnliquidatableReason.None;
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

    private static BigInteger RepaidUsd(LendingBook book, Plan plan) =>
        plan.Quote.DebtRepaid * book.Oracle.Prices[plan.Debt] / book.Market.Reserves[plan.Debt].Token.Unit;

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

    private bool IsDust(UserAccountData data)
    {
        RefreshDust();
        return data.TotalDebtBase < _dustBase;
    }

    // The same test on a total debt that fits 128 bits (RunBlock refreshed the threshold: gas prices hold within a block).
    private bool IsDust(UInt128 totalDebtBase)
    {
        return _dustFits ? totalDebtBase < _dustBase128 : _dustBase.Sign > 0;
    }

    // The threshold follows the gas asset's external price; recomputed only when that moved.
    private void RefreshDust()
    {
        var gasPrice = _state.External[_gasAsset];
        if (_dustFor is { } at && at == gasPrice)
        {
            return;
        }

        (_dustFor, _dustBase) = (gasPrice, GasUsd(_market.LiquidationGas + _market.SwapGasPerHop));
        _dustFits = _dustBase.Sign >= 0 && _dustBase.GetBitLength() <= 128;
        _dustBase128 = _dustFits ? (UInt128)_dustBase : UInt128.Zero;
    }

    // Liquidity problems say more than "unprofitable": report them when they occur.
    private static UnliquidatableReason Worse(UnliquidatableReason current, UnliquidatableReason candidate) =>
        candidate is UnliquidatableReason.None ? current
        : current is UnliquidatableReason.Unprofitable or UnliquidatableReason.None ? candidate
        : current;

    private BigInteger? _dustFor;
    private BigInteger _dustBase;
    private UInt128 _dustBase128;
    private bool _dustFits;
}
