using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>
/// Integer valuation of an account at oracle prices, in Aave's base currency (USD, 8 decimals),
/// rounded against the account: collateral down, debt up. A health factor computed here is
/// therefore never above what the protocol computes, which is what "no account starts
/// liquidatable" needs.
/// </summary>
public sealed class AccountValuation
{
    private readonly Dictionary<string, (BigInteger Price, BigInteger Unit, AaveReserveSnapshot Reserve)> _assets;
    private readonly Dictionary<int, EModeCategorySnapshot> _eModes;

    public AccountValuation(MarketSnapshot snapshot, AaveV3MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(market);
        _assets = market.Reserves.ToDictionary(
            r => r.Asset,
            r => (snapshot.Oracles.Single(o => o.Asset == r.Asset).Answer, UInt256.Pow10(snapshot.Token(r.Asset).Decimals), r));
        _eModes = market.EModes.ToDictionary(e => e.Id);
    }

    public BigInteger Price(string asset) => _assets[asset].Price;

    public BigInteger Unit(string asset) => _assets[asset].Unit;

    public BigInteger ValueDown(string asset, BigInteger amount) => UInt256.MulDiv(amount, Price(asset), Unit(asset), Rounding.Down);

    public BigInteger ValueUp(string asset, BigInteger amount) => UInt256.MulDiv(amount, Price(asset), Unit(asset), Rounding.Up);

    /// <summary>Amount of <paramref name="asset"/> worth at most <paramref name="baseValue"/>.</summary>
    public BigInteger AmountFor(string asset, BigInteger baseValue) => UInt256.MulDiv(baseValue, Unit(asset), Price(asset), Rounding.Down);

    /// <summary>(LTV, LT) in bps that apply to <paramref name="asset"/> for an account in <paramref name="eMode"/>.</summary>
    public (int Ltv, int Lt) Thresholds(string asset, int eMode)
    {
        var reserve = _assets[asset].Reserve;
        return eMode != 0 && reserve.EModeCategory == eMode
            ? (_eModes[eMode].LtvBps, _eModes[eMode].LiquidationThresholdBps)
            : (reserve.LtvBps, reserve.LiquidationThresholdBps);
    }

    public BigInteger CollateralBase(IEnumerable<AssetBalance> collateral) => Sum(collateral, b => ValueDown(b.Asset, b.Amount));

    public BigInteger DebtBase(IEnumerable<AssetBalance> debt) => Sum(debt, b => ValueUp(b.Asset, b.Amount));

    /// <summary>sum(value_i * LT_i), the numerator of the health factor.</summary>
    public BigInteger ThresholdBase(IEnumerable<AssetBalance> collateral, int eMode) =>
        Sum(collateral, b => ValueDown(b.Asset, b.Amount) * Thresholds(b.Asset, eMode).Lt / 10_000);

    /// <summary>sum(value_i * LTV_i): the most the account may borrow.</summary>
    public BigInteger BorrowCapacityBase(IEnumerable<AssetBalance> collateral, int eMode) =>
        Sum(collateral, b => ValueDown(b.Asset, b.Amount) * Thresholds(b.Asset, eMode).Ltv / 10_000);

    /// <summary>Health factor in wad (rounded down); <c>null</c> when the account has no debt.</summary>
    public BigInteger? HealthFactorWad(AavePositionSnapshot position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var debt = DebtBase(position.Debt);
        return debt.IsZero ? null : ThresholdBase(position.Collateral, position.EMode) * WadRayMath.Wad / debt;
    }

    private static BigInteger Sum(IEnumerable<AssetBalance> balances, Func<AssetBalance, BigInteger> value)
    {
        var total = BigInteger.Zero;
        foreach (var b in balances)
        {
            total += value(b);
        }

        return total;
    }
}
