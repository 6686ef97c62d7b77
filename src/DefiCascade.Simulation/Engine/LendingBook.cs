using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// One Aave V3 market in the run: its reserves, its accounts, the oracle prices it reads and a
/// floating-point health-factor screen that picks which accounts the exact model must look at.
/// </summary>
public sealed class LendingBook
{
    private readonly double[] _screenHf;
    private double[] _screenPrices = [];
    private readonly double[] _screenSolvency;
    private readonly double[][] _collateralUnits;
    private readonly int[][] _collateralReserves;
    private readonly double[][] _collateralWeights;
    private readonly int[][] _debtReserves;
    private readonly double[][] _debtUnits;

    public LendingBook(AaveV3MarketSnapshot snapshot, MarketState state)
    {
        Snapshot = snapshot;
        Market = AaveV3Market.FromSnapshot(snapshot, s => state.Tokens[state.AssetIndex(s)]);
        ReserveAsset = Market.Reserves.Select(r => state.AssetIndex(r.Token.Symbol)).ToArray();
        foreach (var (reserve, asset) in Market.Reserves.Zip(ReserveAsset))
        {
            if (state.Feeds[asset] is null)
            {
                throw new InvalidOperationException($"{snapshot.Name}: reserve {reserve.Token.Symbol} has no oracle feed; a missing price is an error");
            }
        }

        Oracle = new ArrayPriceOracle(ReserveAsset.Select(a => state.Feeds[a]!.Answer).ToArray());
        Accounts = snapshot.Positions.Select(p => AaveAccount.FromSnapshot(p, Market)).ToArray();
        _screenHf = new double[Accounts.Length];
        _screenSolvency = new double[Accounts.Length];
        _collateralUnits = new double[Accounts.Length][];
        _collateralReserves = new int[Accounts.Length][];
        _collateralWeights = new double[Accounts.Length][];
        _debtReserves = new int[Accounts.Length][];
        _debtUnits = new double[Accounts.Length][];
        for (var i = 0; i < Accounts.Length; i++)
        {
            RefreshAccountShape(i);
        }

        InitialDebtBaseByReserve = new BigInteger[Market.Reserves.Count];
        foreach (var account in Accounts)
        {
            for (var r = 0; r < Market.Reserves.Count; r++)
            {
                InitialDebtBaseByReserve[r] += account.DebtBalance(Market, r) * Oracle.Prices[r] / Market.Reserves[r].Token.Unit;
            }
        }

        InitialDebtBase = InitialDebtBaseByReserve.Aggregate(BigInteger.Zero, (x, y) => x + y);
    }

    public AaveV3MarketSnapshot Snapshot { get; }

    public AaveV3Market Market { get; }

    public AaveAccount[] Accounts { get; }

    /// <summary>Asset index (in <see cref="MarketState"/>) of each reserve.</summary>
    public int[] ReserveAsset { get; }

    public ArrayPriceOracle Oracle { get; }

    /// <summary>Total debt at the start, in base currency (USD, 8 decimals) at the start oracle prices.</summary>
    public BigInteger InitialDebtBase { get; }

    /// <summary>Debt per reserve at the start, base currency at start oracle prices.</summary>
    public BigInteger[] InitialDebtBaseByReserve { get; }

    /// <summary>
    /// Relative margin of the float screen. Aave floors the weighted-average liquidation threshold
    /// to whole basis points, so for a multi-collateral account the exact HF can sit up to
    /// 1/avgLT (~2e-4 at 50% LT) from the real-valued one; float rounding adds ~1e-15. Accounts
    /// within the margin are settled by the exact model (ScreeningTests measures this).
    /// </summary>
    public const double ScreenMargin = 5e-4;

    public double ScreenHealthFactor(int account) => _screenHf[account];

    /// <summary>Float screen of collateral value over debt value (no thresholds): below 1 means insolvent.</summary>
    public double ScreenSolvency(int account) => _screenSolvency[account];

    /// <summary>Copies the feeds' answers into the oracle the protocol reads; true when any moved.</summary>
    public bool SyncOracle(MarketState state)
    {
        var moved = false;
        for (var r = 0; r < ReserveAsset.Length; r++)
        {
            var answer = state.Feeds[ReserveAsset[r]]!.Answer;
            if (Oracle.Prices[r] != answer)
            {
                Oracle.Prices[r] = answer;
                moved = true;
            }
        }

        return moved;
    }

    /// <summary>Recomputes every account's screening health factor at the current oracle prices.</summary>
    public void RescreenAll()
    {
        _screenPrices = Oracle.Prices.Select(p => (double)p).ToArray();
        for (var i = 0; i < Accounts.Length; i++)
        {
            Screen(i, _screenPrices);
        }
    }

    /// <summary>After a liquidation changed an account's balances.</summary>
    public void RescreenAccount(int i)
    {
        RefreshAccountShape(i);
        Screen(i, _screenPrices);
    }

    /// <summary>Accounts the float screen says may be below HF 1, with a margin the exact model settles.</summary>
    public IEnumerable<int> Candidates()
    {
        for (var i = 0; i < _screenHf.Length; i++)
        {
            if (_screenHf[i] < 1.0 + ScreenMargin)
            {
                yield return i;
            }
        }
    }

    public UserAccountData AccountData(int i) => AaveV3Accounting.CalculateUserAccountData(Market, Accounts[i], Oracle);

    private void Screen(int i, double[] prices)
    {
        double debt = 0, weighted = 0, collateral = 0;
        var debtReserves = _debtReserves[i];
        var debtUnits = _debtUnits[i];
        for (var k = 0; k < debtReserves.Length; k++)
        {
            debt += debtUnits[k] * prices[debtReserves[k]];
        }

        var collateralReserves = _collateralReserves[i];
        var weights = _collateralWeights[i];
        var units = _collateralUnits[i];
        for (var k = 0; k < collateralReserves.Length; k++)
        {
            var price = prices[collateralReserves[k]];
            weighted += weights[k] * price;
            collateral += units[k] * price;
        }

        _screenHf[i] = debt <= 0 ? double.PositiveInfinity : weighted / debt;
        _screenSolvency[i] = debt <= 0 ? double.PositiveInfinity : collateral / debt;
    }

    private void RefreshAccountShape(int i)
    {
        var account = Accounts[i];
        var eMode = account.EMode == 0 ? null : Market.EMode(account.EMode);
        var cr = new List<int>();
        var cw = new List<double>();
        var cu = new List<double>();
        var dr = new List<int>();
        var du = new List<double>();
        for (var r = 0; r < Market.Reserves.Count; r++)
        {
            var reserve = Market.Reserves[r];
            var unit = (double)reserve.Token.Unit;
            var collateral = account.CollateralBalance(Market, r);
            if (account.IsUsingAsCollateral(r) && reserve.LiquidationThresholdBps > 0)
            {
                var lt = eMode is not null && reserve.EModeCategory == eMode.Id ? eMode.LiquidationThresholdBps : reserve.LiquidationThresholdBps;
                cr.Add(r);
                cw.Add((double)collateral / unit * lt / 10_000.0);
                cu.Add((double)collateral / unit);
            }

            var debt = account.DebtBalance(Market, r);
            if (!debt.IsZero)
            {
                dr.Add(r);
                du.Add((double)debt / unit);
            }
        }

        _collateralReserves[i] = [.. cr];
        _collateralWeights[i] = [.. cw];
        _collateralUnits[i] = [.. cu];
        _debtReserves[i] = [.. dr];
        _debtUnits[i] = [.. du];
    }
}
