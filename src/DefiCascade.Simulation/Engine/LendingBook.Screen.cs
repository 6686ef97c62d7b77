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
            // Two stages ahead: an account's record first, then the terms it points at.
            if (k + (2 * ScreenPrefetchDistance) < to)
            {
                PrefetchRow(due[k + (2 * ScreenPrefetchDistance)]);
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
        // The same terms in the same order as the struct-of-arrays layout before: bit-identical doubles.
        ref var row = ref _rows[i];
        var debt = DebtValue(in row, prices);
        double weighted = 0, collateral = 0;
        for (int k = row.CollateralStart, end = k + row.CollateralCount; k < end; k++)
        {
            ref readonly var term = ref _collateralTerms[k];
            var price = prices[term.Reserve];
            weighted += term.Weight * price;
            collateral += term.Units * price;
        }

        row.Hf = debt <= 0 ? double.PositiveInfinity : weighted / debt;
        row.Solvency = debt <= 0 ? double.PositiveInfinity : collateral / debt;
    }

    // An account's debt at the screen's prices: its debt terms' units times prices, summed in term order.
    private double DebtValue(in ScreenRow row, double[] prices)
    {
        var debt = 0.0;
        for (int k = row.DebtStart, end = k + row.DebtCount; k < end; k++)
        {
            ref readonly var term = ref _debtTerms[k];
            debt += term.Units * prices[term.Reserve];
        }

        return debt;
    }

    private void RefreshAccountShape(int i)
    {
        var account = Accounts[i];
        var eMode = account.EMode == 0 ? null : Market.EMode(account.EMode);
        ref var row = ref _rows[i];
        var (debtEnd, collateralEnd) = (row.DebtStart, row.CollateralStart);
        var debtLimit = i + 1 < _rows.Length ? _rows[i + 1].DebtStart : _debtTerms.Length;
        var collateralLimit = i + 1 < _rows.Length ? _rows[i + 1].CollateralStart : _collateralTerms.Length;
        for (var r = 0; r < Market.Reserves.Count; r++)
        {
            var reserve = Market.Reserves[r];
            var unit = (double)reserve.Token.Unit;
            if (account.IsUsingAsCollateral(r) && reserve.LiquidationThresholdBps > 0)
            {
                var collateral = account.CollateralBalance(Market, r);
                var lt = eMode is not null && reserve.EModeCategory == eMode.Id ? eMode.LiquidationThresholdBps : reserve.LiquidationThresholdBps;
                Grow(collateralEnd, collateralLimit, i);
                _collateralTerms[collateralEnd++] = new CollateralTerm((double)collateral / unit * lt / 10_000.0, (double)collateral / unit, r);
            }

            var debt = account.DebtBalance(Market, r);
            if (!debt.IsZero)
            {
                Grow(debtEnd, debtLimit, i);
                _debtTerms[debtEnd++] = new DebtTerm((double)debt / unit, r);
            }
        }

        row.DebtCount = debtEnd - row.DebtStart;
        row.CollateralCount = collateralEnd - row.CollateralStart;
        int collateralMask = 0, debtMask = 0;
        for (var k = row.CollateralStart; k < collateralEnd; k++)
        {
            collateralMask |= 1 << _collateralTerms[k].Reserve;
        }

        for (var k = row.DebtStart; k < debtEnd; k++)
        {
            debtMask |= 1 << _debtTerms[k].Reserve;
        }

        _schedule.Shape(i, collateralMask, debtMask);
    }

    // A liquidation only removes debt and collateral terms, so an account never outgrows its slots.
    private static void Grow(int next, int limit, int i)
    {
        if (next >= limit)
        {
            throw new InvalidOperationException($"account {i} gained a debt or collateral reserve during the run");
        }
    }

    // One account's term ranges and last screen (health factor and solvency as doubles).
    private struct ScreenRow
    {
        public double Hf;
        public double Solvency;
        public int DebtStart;
        public int DebtCount;
        public int CollateralStart;
        public int CollateralCount;
    }

    // Debt units (raw / unit) in one reserve.
    private readonly record struct DebtTerm(double Units, int Reserve);

    // Collateral units in one reserve and the same times its liquidation threshold (fraction).
    private readonly record struct CollateralTerm(double Weight, double Units, int Reserve);
}
