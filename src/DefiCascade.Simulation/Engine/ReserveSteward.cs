using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The mitigations that change reserve parameters mid-run (README "Mitigations"): governance changes
/// from a given block (<c>parameterChanges</c>), and a risk steward that cuts liquidation thresholds
/// as the oracle's realized volatility rises and gives the cut back as it falls (<c>dynamicThreshold</c>).
/// At the end of an update block the steward measures each watched asset's volatility and decides the
/// cut; the new configuration holds from the next block: LT = governance LT - cut, LTV lowered to LT
/// where it would exceed it (configureReserveAsCollateral requires ltv &lt;= threshold), bonus unchanged
/// (a lower LT keeps percentMul(LT, bonus) &lt;= 100%). E-mode categories keep their own parameters:
/// their risk is how their assets move against each other, not against the dollar.
/// </summary>
internal sealed class ReserveSteward
{
    private readonly MarketState _state;
    private readonly DynamicThresholdSpec? _dynamic;
    private readonly List<ReserveParameterChange> _changes;
    private int _nextChange;

    // Per book and reserve, the governance configuration in force (the snapshot's, then parameterChanges).
    private readonly (int Ltv, int Lt, int Bonus)[][] _governance;

    // Per watched asset (index into MarketState's assets): its volatility, the cut in force, the cut decided for the next block.
    private readonly int[] _watched;
    private readonly RealizedVolatility[] _volatility;
    private readonly int[] _cut;
    private readonly int[] _decided;
    private readonly long[] _decidedAt;

    public ReserveSteward(Mitigations mitigations, MarketState state, int blockSeconds)
    {
        if (ReserveSchedule.Problem(mitigations, state.Snapshot.AaveV3Markets) is { } problem)
        {
            throw new InvalidOperationException($"mitigations.{problem.Field}: {problem.Message}");
        }

        _state = state;
        _dynamic = mitigations.DynamicThreshold;
        _changes = mitigations.ParameterChanges.Select((c, k) => (c, k)).OrderBy(x => x.c.FromBlock).ThenBy(x => x.k).Select(x => x.c).ToList();
        _governance = state.Books.Select(b => b.Market.Reserves.Select(r => (r.LtvBps, r.LiquidationThresholdBps, r.LiquidationBonusBps)).ToArray()).ToArray();
        var collateral = state.Books.SelectMany(b => b.Market.Reserves.Where(r => r.LiquidationThresholdBps > 0).Select(r => r.Token.Symbol));
        _watched = _dynamic is null ? []
            : (_dynamic.Assets.Count == 0 ? collateral : _dynamic.Assets).Select(state.AssetIndex).Distinct().Order().ToArray();
        _volatility = _watched.Select(a => new RealizedVolatility(state.Feeds[a]!.Answer, _dynamic!.WindowBlocks, blockSeconds)).ToArray();
        _cut = new int[_watched.Length];
        _decided = new int[_watched.Length];
        _decidedAt = new long[_watched.Length];
    }

    /// <summary>Every configuration set during the run, in order.</summary>
    public List<ReserveParameterSet> Log { get; } = [];

    /// <summary>A tighter threshold is decided or due at the next update, or a governance change is still ahead: the run has not settled.</summary>
    public bool Pending =>
        _nextChange < _changes.Count
        || Enumerable.Range(0, _watched.Length).Any(k => System.Math.Max(_decided[k], _dynamic!.CutBps(_volatility[k].Bps)) > _cut[k]);

    /// <summary>Sets what is in force from block <paramref name="block"/> (0: before the first screen).</summary>
    public void BeginBlock(int block)
    {
        var governed = new HashSet<string>(StringComparer.Ordinal);
        while (_nextChange < _changes.Count && _changes[_nextChange].FromBlock <= block)
        {
            var change = _changes[_nextChange++];
            governed.Add(change.Asset);
            for (var b = 0; b < _state.Books.Count; b++)
            {
                var reserves = _state.Books[b].Market.Reserves;
                for (var r = 0; r < reserves.Count; r++)
                {
                    if (reserves[r].Token.Symbol == change.Asset && reserves[r].LiquidationThresholdBps > 0)
                    {
                        var old = _governance[b][r];
                        _governance[b][r] = (change.LtvBps ?? old.Ltv, change.LiquidationThresholdBps ?? old.Lt, change.LiquidationBonusBps ?? old.Bonus);
                    }
                }
            }
        }

        Array.Copy(_decided, _cut, _cut.Length);
        for (var b = 0; b < _state.Books.Count; b++)
        {
            Configure(block, b, governed);
        }
    }

    /// <summary>Observes the block's oracle answers (call after the oracles update); on an update block, decides the next block's cuts.</summary>
    public void EndBlock(int block)
    {
        for (var k = 0; k < _watched.Length; k++)
        {
            _volatility[k].Observe(_state.Feeds[_watched[k]]!.Answer);
        }

        if (_dynamic is not null && block % _dynamic.UpdateEveryBlocks == 0)
        {
            for (var k = 0; k < _watched.Length; k++)
            {
                _decidedAt[k] = _volatility[k].Bps;
                _decided[k] = _dynamic.CutBps(_decidedAt[k]);
            }
        }
    }

    private void Configure(int block, int b, HashSet<string> governed)
    {
        var book = _state.Books[b];
        var market = book.Market;
        var changed = new List<int>();
        for (var r = 0; r < market.Reserves.Count; r++)
        {
            var reserve = market.Reserves[r];
            var (ltv, lt, bonus) = _governance[b][r];
            var k = Array.IndexOf(_watched, book.ReserveAsset[r]);
            if (k >= 0 && lt > 0)
            {
                lt -= _cut[k];
                ltv = System.Math.Min(ltv, lt);
            }

            if ((ltv, lt, bonus) == (reserve.LtvBps, reserve.LiquidationThresholdBps, reserve.LiquidationBonusBps))
            {
                continue;
            }

            market = market.WithReserve(reserve with { LtvBps = ltv, LiquidationThresholdBps = lt, LiquidationBonusBps = bonus });
            changed.Add(r);
            var symbol = reserve.Token.Symbol;
            var cause = governed.Contains(symbol) ? (k >= 0 ? "parameterChanges+dynamicThreshold" : "parameterChanges") : "dynamicThreshold";
            Log.Add(new ReserveParameterSet(block, market.Name, symbol, ltv, lt, bonus, k >= 0 ? _decidedAt[k] : null, cause));
        }

        if (changed.Count > 0)
        {
            book.Reconfigure(market, changed);
        }
    }
}
