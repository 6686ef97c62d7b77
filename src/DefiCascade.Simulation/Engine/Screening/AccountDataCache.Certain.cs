namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// What the bot's first pass may conclude about an account without its 128-bit recompute. In a crash
/// most accounts below HF 1 hold stablecoin debt against ETH-like collateral: an oracle move changes their
/// collateral side only, and most of them are well below HF 1 and still solvent. For those the pass needs
/// three facts, all certain from floats on the balances in hand: HF below 1, no shortfall, and the debt
/// key, which is the cached exact one since no debt price moved. Aave's integer figures differ from the
/// real-valued ones by floors of at most one base unit per reserve and the weighted threshold's floor to
/// whole basis points (which only lowers HF); with a total debt of at least a cent of USD those are below
/// 1e-5 relative, far inside the 1e-3 margin asked here. The entry stays stale: whoever reads the account's
/// exact data later computes it then. SpeedEquivalenceTests hold the results to the naive reference's.
/// </summary>
internal sealed partial class AccountDataCache
{
    private const double CertainMargin = 1e-3;

    // Base units (1e-8 USD): a cent.
    private const double CertainDebtFloor = 1e6;

    // Per reserve: oracle price (when it fits 64 bits), token unit and liquidation threshold (fraction) as doubles.
    private double[] _priceDoubles = [];
    private double[] _unitDoubles = [];
    private double[] _thresholdDoubles = [];

    // Prices follow the oracle (PricesMoved); units and thresholds the market (construction, MarketChanged).
    private void RefreshPriceDoubles() => _priceDoubles = _prices.Select(p => (double)p).ToArray();

    private void RefreshMarketDoubles()
    {
        _unitDoubles = _units.Select(u => (double)u).ToArray();
        _thresholdDoubles = _market.Reserves.Select(r => r.LiquidationThresholdBps / 10_000.0).ToArray();
    }

    /// <summary>
    /// True when account <paramref name="i"/> (no e-mode, an entry computed in 128 bits that only its
    /// collateral prices made stale) is surely below HF 1 and surely solvent at the current prices; then
    /// <paramref name="debtKey"/> is its exact total debt. False: read the exact data as usual.
    /// </summary>
    public bool CertainBelowSolvent(int i, out UInt128 debtKey)
    {
        debtKey = UInt128.Zero;
        ref readonly var head = ref _heads[i];
        var stamp = head.CachedAt;
        if (stamp == 0 || head.EMode != 0 || _pricesWide || (head.State & (State.Narrow | State.Wide)) != State.Narrow
            || stamp >= _lastPriceChange || !MovedSince(head.ReserveMask, stamp) || MovedSince(head.BorrowMask, stamp))
        {
            return false;
        }

        double collateral = 0, weighted = 0, debt = 0;
        var row = i * _reserves;
        for (var bits = head.CollateralMask | head.BorrowMask; bits != 0; bits &= bits - 1)
        {
            var r = System.Numerics.BitOperations.TrailingZeroCount(bits);
            ref readonly var term = ref _terms[row + r];
            var scale = _priceDoubles[r] / _unitDoubles[r];
            if (term.Collateral != UInt128.Zero)
            {
                var value = (double)term.Collateral * scale;
                collateral += value;
                weighted += value * _thresholdDoubles[r];
            }

            if (term.Debt != UInt128.Zero)
            {
                debt += (double)term.Debt * scale;
            }
        }

        if (!(debt >= CertainDebtFloor) || !(collateral >= debt * (1 + CertainMargin)) || !(weighted <= debt * (1 - CertainMargin)))
        {
            return false;
        }

        debtKey = head.DebtKey;
        return true;
    }
}
