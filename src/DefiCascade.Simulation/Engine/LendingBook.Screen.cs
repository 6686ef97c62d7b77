namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The float screen's per-account computation and the layout it reads: each account's debt and
/// collateral terms (reserve, units, threshold weight) in shared term arrays, refreshed when a
/// liquidation changes the account.
/// </summary>
public sealed partial class LendingBook
{
    private void ScreenDue(List<int> due, int from, int to, double[] prices)
    {
        for (var k = from; k < to; k++)
        {
            // Two stages ahead: an account's slots first, then the terms they point at.
            if (k + (2 * ScreenPrefetchDistance) < to)
            {
                PrefetchSlots(due[k + (2 * ScreenPrefetchDistance)]);
            }

            if (k + ScreenPrefetchDistance < to)
            {
                PrefetchTerms(due[k + ScreenPrefetchDistance]);
            }

            Screen(due[k], prices);
        }
    }

    private void Screen(int i, double[] prices)
    {
        // The same terms in the same order as before the struct-of-arrays layout: bit-identical doubles.
        double debt = 0, weighted = 0, collateral = 0;
        for (int k = _debtStart[i], end = k + _debtCount[i]; k < end; k++)
        {
            debt += _debtUnits[k] * prices[_debtReserves[k]];
        }

        for (int k = _collateralStart[i], end = k + _collateralCount[i]; k < end; k++)
        {
            var price = prices[_collateralReserves[k]];
            weighted += _collateralWeights[k] * price;
            collateral += _collateralUnits[k] * price;
        }

        _screenHf[i] = debt <= 0 ? double.PositiveInfinity : weighted / debt;
        _screenSolvency[i] = debt <= 0 ? double.PositiveInfinity : collateral / debt;
    }

    private void RefreshAccountShape(int i)
    {
        var account = Accounts[i];
        var eMode = account.EMode == 0 ? null : Market.EMode(account.EMode);
        var (debtEnd, collateralEnd) = (_debtStart[i], _collateralStart[i]);
        var (debtLimit, collateralLimit) = (Limit(_debtStart, _debtReserves.Length, i), Limit(_collateralStart, _collateralReserves.Length, i));
        for (var r = 0; r < Market.Reserves.Count; r++)
        {
            var reserve = Market.Reserves[r];
            var unit = (double)reserve.Token.Unit;
            if (account.IsUsingAsCollateral(r) && reserve.LiquidationThresholdBps > 0)
            {
                var collateral = account.CollateralBalance(Market, r);
                var lt = eMode is not null && reserve.EModeCategory == eMode.Id ? eMode.LiquidationThresholdBps : reserve.LiquidationThresholdBps;
                Grow(collateralEnd, collateralLimit, i);
                _collateralReserves[collateralEnd] = r;
                _collateralWeights[collateralEnd] = (double)collateral / unit * lt / 10_000.0;
                _collateralUnits[collateralEnd++] = (double)collateral / unit;
            }

            var debt = account.DebtBalance(Market, r);
            if (!debt.IsZero)
            {
                Grow(debtEnd, debtLimit, i);
                _debtReserves[debtEnd] = r;
                _debtUnits[debtEnd++] = (double)debt / unit;
            }
        }

        _debtCount[i] = debtEnd - _debtStart[i];
        _collateralCount[i] = collateralEnd - _collateralStart[i];
        int collateralMask = 0, debtMask = 0;
        for (var k = _collateralStart[i]; k < collateralEnd; k++)
        {
            collateralMask |= 1 << _collateralReserves[k];
        }

        for (var k = _debtStart[i]; k < debtEnd; k++)
        {
            debtMask |= 1 << _debtReserves[k];
        }

        _schedule.Shape(i, collateralMask, debtMask);
    }

    private static int Limit(int[] starts, int total, int i) => i + 1 < starts.Length ? starts[i + 1] : total;

    // A liquidation only removes debt and collateral terms, so an account never outgrows its slots.
    private static void Grow(int next, int limit, int i)
    {
        if (next >= limit)
        {
            throw new InvalidOperationException($"account {i} gained a debt or collateral reserve during the run");
        }
    }
}
