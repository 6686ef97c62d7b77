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

    // Per book, slot (e-mode, collateral, debt): the class's bound on the current pools, valid
    // while its stamp equals _boundGeneration; ClearBounds (a pool moved) invalidates them all at once.
    private readonly PairBound[][] _bounds;
    private readonly int[][] _boundStamps;
    private int _boundGeneration = 1;

    private void ClearBounds() => _boundGeneration++;

    /// <summary>True when the exact <see cref="Decide"/> would surely return no plan, with <paramref name="reason"/> its reason.</summary>
    /// <remarks>
    /// Reads the account's reserve bits and balances from the book's arrays, not from the account
    /// object: on a large book these are visited tens of thousands of times a block.
    /// </remarks>
    private bool SurelyNoPlan(LendingBook book, int b, int i, UInt128 debtKey, bool debtWide, out UnliquidatableReason reason)
    {
        reason = UnliquidatableReason.Unprofitable;
        var (collateralMask, borrowMask, stableMask) = book.ReserveMasks(i);
        if (collateralMask == 0 || borrowMask == 0)
        {
            return false;
        }

        // Decide's order: no pair means no collateral, then dust, then the pairs.
        if (debtWide ? IsDust(book.AccountData(i)) : IsDust(debtKey))
        {
            reason = UnliquidatableReason.Dust;
            return true;
        }

        if ((borrowMask & stableMask) != 0)
        {
            return false;
        }

        var eMode = book.EModeOf(i);
        for (var (c, cBits) = (0, collateralMask); cBits != 0; c++, cBits >>= 1)
        {
            if ((cBits & 1) == 0)
            {
                continue;
            }

            var collateral = book.CollateralAmount(i, c);
            for (var (d, dBits) = (0, borrowMask); dBits != 0; d++, dBits >>= 1)
            {
                if ((dBits & 1) == 0)
                {
                    continue;
                }

                ref readonly var bound = ref Bound(book, b, c, d, eMode);
                var debt = book.DebtAmount(i, d);
                if (!bound.SurelyFails(collateral, debt))
                {
                    if (!LadderSettles(bound, collateral, debt))
                    {
                        return false;
                    }
                }

                reason = bound.ProbeReason is { } probeReason ? Worse(reason, probeReason) : reason;
            }
        }

        return true;
    }

    // Every account the first bound leaves asks its class's ladder, whose quotes on a pool state serve all the
    // class's accounts until a pool moves. (The second session skipped the ladder for a class whose ladder had
    // stopped earlier in the block at a similar slope; with the swap math on fixed-width words the ladder's
    // quotes cost less than the exact pricings that skip sent on: 1M crash, ~20k fewer exact pricings per
    // run and ~0.15 s less in the two, Monte Carlo on the default market unchanged.)
    private bool LadderSettles(in PairBound bound, double collateral, double debt)
    {
        if (bound.Ladder is null)
        {
            return false;
        }

        var settled = bound.LadderSettles(collateral, debt);
        LadderSettled += settled ? 1 : 0;
        return settled;
    }

    private ref readonly PairBound Bound(LendingBook book, int b, int c, int d, int eMode)
    {
        var reserves = book.Market.Reserves.Count;
        if (eMode is < 0 or > 255)
        {
            throw new InvalidOperationException($"e-mode category {eMode} is outside Aave's uint8 range");
        }

        var slot = (((eMode * reserves) + c) * reserves) + d;
        if (_boundStamps[b][slot] != _boundGeneration)
        {
            _bounds[b][slot] = ComputeBound(book, c, d, eMode);
            _boundStamps[b][slot] = _boundGeneration;
        }

        return ref _bounds[b][slot];
    }

    /// <summary>
    /// A pair's terms that depend on the market and its oracle prices only (no pool): false when the pair
    /// is unusable (PairBound.None); else P, collateral raw per unit of debt raw at oracle prices, and the bonus in bps.
    /// </summary>
    private static bool OracleTerms(LendingBook book, int c, int d, int eMode, out double p, out int bonus)
    {
        (p, bonus) = (double.NaN, 0);
        var collateral = book.Market.Reserves[c];
        var debt = book.Market.Reserves[d];
        var usable = collateral.Token.Symbol != debt.Token.Symbol
            && collateral.Active && debt.Active && !collateral.Paused && !debt.Paused
            && collateral.LiquidityIndex < TwoRay && debt.VariableBorrowIndex < TwoRay;
        if (!usable)
        {
            return false;
        }

        // AaveV3Liquidation's _getConfigurationData: e-mode bonus and price source.
        bonus = collateral.LiquidationBonusBps;
        int collateralSource = c, debtSource = d;
        if (eMode != 0)
        {
            if (book.Market.EMode(eMode) is not { } category)
            {
                return false;
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
            return false;
        }

        // Collateral (raw) per unit of debt (raw) at oracle prices.
        p = (double)debtPrice * (double)collateral.Token.Unit / ((double)collateralPrice * (double)debt.Token.Unit);
        return true;
    }

    private PairBound ComputeBound(LendingBook book, int c, int d, int eMode)
    {
        if (!OracleTerms(book, c, d, eMode, out var p, out var bonus))
        {
            return PairBound.None;
        }

        var (collateral, debt) = (book.Market.Reserves[c], book.Market.Reserves[d]);
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
        var flashFee = _market.FlashLoanFeeBps / 10_000.0;
        var s = (k * r * (1 + PairBound.Slack)) - 1 - (flashFee * (1 - PairBound.Slack));
        var debtExternal = _state.External[book.ReserveAsset[d]];
        var gas = GasUsd(_market.LiquidationGas + _market.SwapGasPerHop) * debt.Token.Unit / debtExternal;
        var bound = new PairBound(null, p, k, a, r, s, (double)gas * (1 - PairBound.Slack))
        {
            FlashFee = flashFee,
            DebtPerUsd = (double)debt.Token.Unit / (double)debtExternal,
        };
        var (sold, bought) = (collateral.Token.Symbol, debt.Token.Symbol);
        return bound with
        {
            Ladder = new SizeLadder(bound, (double)probe.AmountIn, amount => _router.Best(sold, bought, amount)),
        };
    }

    /// <summary>Accounts the size ladder settled so far (each visit counts; tests read it).</summary>
    internal long LadderSettled { get; private set; }
}
