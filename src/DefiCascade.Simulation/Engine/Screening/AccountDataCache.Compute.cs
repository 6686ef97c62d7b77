namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>The 128-bit computation of one account's data (GenericLogic.calculateUserAccountData), with its bounds.</summary>
internal sealed partial class AccountDataCache
{
    /// <summary>GenericLogic.calculateUserAccountData in 128 bits into the entry; false when a bound is not met (the caller falls back to BigInteger).</summary>
    private bool Compute(int i, ref Head head)
    {
        var eMode = head.EMode;
        UInt128 eModeLtv = 0, eModeLt = 0, eModePrice = 0;
        if (eMode != 0)
        {
            var category = _market.EMode(eMode);
            if (category is null)
            {
                return false; // the exact path raises the error
            }

            (eModeLtv, eModeLt) = ((UInt128)category.LtvBps, (UInt128)category.LiquidationThresholdBps);
            eModePrice = category.PriceSourceReserve is int source ? _prices[source] : 0;
        }

        UInt128 totalCollateral = 0, totalDebt = 0, avgLtv = 0, avgLt = 0;
        var row = i * _reserves;
        // Only reserves with a balance can add a term (the others are skipped by the reference too).
        for (var bits = head.CollateralMask | head.BorrowMask; bits != 0; bits &= bits - 1)
        {
            var r = System.Numerics.BitOperations.TrailingZeroCount(bits);
            ref readonly var term = ref _terms[row + r];
            var collateral = term.Collateral;
            var debt = term.Debt;
            if (collateral == UInt128.Zero && debt == UInt128.Zero)
            {
                continue;
            }

            var reserve = _market.Reserves[r];
            var price = eModePrice != UInt128.Zero && eMode == reserve.EModeCategory ? eModePrice : _prices[r];
            if (collateral != UInt128.Zero)
            {
                if (!InBase(collateral, price, r, out var balance))
                {
                    return false;
                }

                totalCollateral += balance;
                var inEMode = eMode != 0 && reserve.EModeCategory == eMode;
                if (reserve.LtvBps != 0)
                {
                    avgLtv += balance * (inEMode ? eModeLtv : (UInt128)reserve.LtvBps);
                }

                avgLt += balance * (inEMode ? eModeLt : (UInt128)reserve.LiquidationThresholdBps);
            }

            if (debt != UInt128.Zero)
            {
                if (!InBase(debt, price, r, out var debtBase))
                {
                    return false;
                }

                totalDebt += debtBase;
            }
        }

        if (totalCollateral != UInt128.Zero)
        {
            avgLtv /= totalCollateral;
            avgLt /= totalCollateral;
        }
        else
        {
            (avgLtv, avgLt) = (0, 0);
        }

        UInt128 healthFactor = 0;
        if (totalDebt != UInt128.Zero)
        {
            // wadDiv(percentMul(collateral, lt), debt) = (a * WAD + debt / 2) / debt.
            var weighted = PercentMul(totalCollateral, avgLt);
            if (weighted > (Max128 - (totalDebt / 2)) / Wad)
            {
                return false;
            }

            healthFactor = ((weighted * Wad) + (totalDebt / 2)) / totalDebt;
        }

        if (head.FigureSlot == 0)
        {
            // Passes compute accounts on several threads at once: each first computation takes its own slot.
            head.FigureSlot = System.Threading.Interlocked.Increment(ref _figureCount);
        }

        ref var figures = ref _figures[head.FigureSlot - 1];
        (figures.TotalCollateral, figures.HealthFactor, figures.AvgLtv, figures.AvgLt) = (totalCollateral, healthFactor, (ulong)avgLtv, (ulong)avgLt);
        head.DebtKey = totalDebt;
        return true;
    }

    // An amount of reserve r in base currency, amount * price / unit floored (GenericLogic's order: the product
    // is the same either way round); false when the product or the value could leave the 128-bit bounds.
    private bool InBase(UInt128 amount, UInt128 price, int r, out UInt128 value)
    {
        value = UInt128.Zero;
        if (Bits(amount) + Bits(price) > SafeBits)
        {
            return false;
        }

        value = amount * price / _units[r];
        return Bits(value) <= BalanceBits;
    }

    // percentMul: (value * percentage + 5000) / 10000; the operands here are far below 2^110.
    private static UInt128 PercentMul(UInt128 value, UInt128 percentage) => ((value * percentage) + 5_000) / 10_000;

    private static int Bits(UInt128 value) => 128 - (int)UInt128.LeadingZeroCount(value);
}
