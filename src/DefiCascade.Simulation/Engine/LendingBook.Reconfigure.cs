using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Reserve parameters set during a run (a mitigation's governance change or risk steward). What
/// depends on a liquidation threshold is refreshed for every account that may use a changed reserve
/// as collateral: its screen weights, its screen health factor and place in the schedule (placed
/// afresh at the current clock, so its tolerance is measured from the new threshold), and its cached
/// exact data. The naive reference refreshes every account; both give the same result.
/// </summary>
public sealed partial class LendingBook
{
    /// <summary>Replaces the market's configuration; <paramref name="reserves"/> are the reserves whose parameters changed.</summary>
    internal void Reconfigure(AaveV3Market market, IReadOnlyCollection<int> reserves)
    {
        ArgumentNullException.ThrowIfNull(market);
        if (market.Reserves.Count != Market.Reserves.Count
            || market.Reserves.Zip(Market.Reserves).Any(p => (p.First.LiquidationThresholdBps == 0) != (p.Second.LiquidationThresholdBps == 0)))
        {
            // An account's screen keeps one slot per collateral reserve: a reserve cannot start or stop counting.
            throw new InvalidOperationException($"{Market.Name}: a run may change thresholds but not enable or disable an asset as collateral");
        }

        Market = market;
        Version++;
        _exact.MarketChanged(market);
        var screened = _screenPrices.Length > 0;
        for (var i = 0; i < Accounts.Length; i++)
        {
            if (!NaiveRescan && !reserves.Any(Accounts[i].IsUsingAsCollateral))
            {
                continue;
            }

            if (screened)
            {
                RescreenAccount(i);
            }
            else
            {
                // Before the first screen (a change from block 0): RescreenAll follows.
                _exact.AccountChanged(i);
                RefreshAccountShape(i);
            }
        }
    }
}
