using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The shortcut that lets a large book scale: in a deep cascade most accounts below HF 1 cannot be
/// liquidated at a profit, and the exact verdict (quote every pair, probe every sale) is the same
/// for all of them. <see cref="PairBound"/> proves, once per (collateral, debt, e-mode) class and
/// pool state, that the exact path would return no plan; an account is settled without exact math
/// only when every one of its pairs is proven so, and it gets the reason the exact path would give.
/// Anything the bound cannot prove goes to the exact path (SpeedEquivalenceTests: same results).
/// </summary>
public sealed partial class LiquidationBot
{
    private static readonly BigInteger TwoRay = WadRayMath.Ray * 2;

    private readonly Dictionary<(int Book, int Collateral, int Debt, int EMode), PairBound> _bounds = new();

    /// <summary>True when the exact <see cref="Decide"/> would surely return no plan, with <paramref name="reason"/> its reason.</summary>
    private bool SurelyNoPlan(LendingBook book, int b, int i, UserAccountData data, out UnliquidatableReason reason)
    {
        reason = UnliquidatableReason.Unprofitable;
        var account = book.Accounts[i];
        var reserves = book.Market.Reserves;
        var anyPair = false;
        for (var c = 0; c < reserves.Count; c++)
        {
            if (!account.IsUsingAsCollateral(c) || reserves[c].LiquidationThresholdBps == 0)
            {
                continue;
            }

            for (var d = 0; d < reserves.Count; d++)
            {
                if (!account.IsBorrowing(d))
                {
                    continue;
                }

                if (!anyPair)
                {
                    // Decide's order: no pair means no collateral, then dust, then the pairs.
                    anyPair = true;
                    if (IsDust(data))
                    {
                        reason = UnliquidatableReason.Dust;
                        return true;
                    }
                }

                var bound = Bound(book, b, c, d, account.EMode);
                if (!account.StableDebt[d].IsZero || !bound.SurelyFails((double)book.Balances(i, c).Collateral, (double)book.Balances(i, d).Debt))
                {
                    return false;
                }

                reason = bound.ProbeReason is { } probeReason ? Worse(reason, probeReason) : reason;
            }
        }

        return anyPair;
    }

    private PairBound Bound(LendingBook book, int b, int c, int d, int eMode)
    {
        if (!_bounds.TryGetValue((b, c, d, eMode), out var bound))
        {
            bound = ComputeBound(book, c, d, eMode);
            _bounds[(b, c, d, eMode)] = bound;
        }

        return bound;
    }

    private PairBound ComputeBound(LendingBook book, int c, int d, int eMode)
    {
        var collateral = book.Market.Reserves[c];
        var debt = book.Market.Reserves[d];
        var usable = collateral.Token.Symbol != debt.Token.Symbol
            && collateral.Active && debt.Active && !collateral.Paused && !debt.Paused
            && collateral.LiquidityIndex < TwoRay && debt.VariableBorrowIndex < TwoRay;
        if (!usable)
        {
            return PairBound.None;
        }

        // AaveV3Liquidation's _getConfigurationData: e-mode bonus and price source.
        var bonus = collateral.LiquidationBonusBps;
        int collateralSource = c, debtSource = d;
        if (eMode != 0)
        {
            if (book.Market.EMode(eMode) is not { } category)
            {
                return PairBound.None;
            }

            if (collateral.EModeCategory == eMode)
            {
                bonus = category.LiquidationBonusBps;
                collateralSource = category.PriceSourceReserve ?? collateralSource;
            }

            debtSource = category.PriceSourceReserve ?? debtSource;
        }

        var (collateralPrice, debtPrice) = (book.Oracle.Prices[collateralSource], book.Oracle.Prices[debtSource]);
        if (bonus is < 10_000 or > 20_000 || collateralPrice.Sign <= 0 || debtPrice.Sign <= 0)
        {
            return PairBound.None;
        }

        // Collateral (raw) per unit of debt (raw) at oracle prices, bonus and the fee on the bonus part.
        var p = (double)debtPrice * (double)collateral.Token.Unit / ((double)collateralPrice * (double)debt.Token.Unit);
        var b = bonus / 10_000.0;
        var k = p * (b - ((b - 1) * collateral.LiquidationProtocolFeeBps / 10_000.0));
        var a = (p * ((0.5 * b) + 1)) + 2;

        // The same probe and gas as SmallestSliceThatMightPay.
        var collateralAsset = book.ReserveAsset[c];
        var probeAmount = BigInteger.Max(BigInteger.One, ProbeUsd * collateral.Token.Unit / _state.External[collateralAsset]);
        var probe = _router.Probe(collateral.Token.Symbol, debt.Token.Symbol, probeAmount);
        if (probe.Route is null)
        {
            return new PairBound(UnliquidatableReason.NoRoute, p, k, a, 0, 0, 0);
        }

        if (!probe.Filled || probe.AmountIn.IsZero)
        {
            var why = probe.Stop == Amm.SwapStop.DataExhausted ? UnliquidatableReason.DataExhausted : UnliquidatableReason.NoLiquidity;
            return new PairBound(why, p, k, a, 0, 0, 0);
        }

        var r = (double)probe.AmountOut / (double)probe.AmountIn;
        var s = (k * r * (1 + PairBound.Slack)) - 1 - (_market.FlashLoanFeeBps / 10_000.0 * (1 - PairBound.Slack));
        var gas = GasUsd(_market.LiquidationGas + _market.SwapGasPerHop) * debt.Token.Unit / _state.External[book.ReserveAsset[d]];
        return new PairBound(null, p, k, a, r, s, (double)gas * (1 - PairBound.Slack));
    }
}
