using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// An Aave V3 market as read at <paramref name="Block"/>: the addresses the provider resolves, the oracle's base
/// currency, every listed reserve (getReservesList order) and the e-mode categories the reserves use.
/// </summary>
/// <param name="PoolRevision">Pool.POOL_REVISION, or null when the deployed pool does not expose it.</param>
/// <param name="BaseCurrencyUnit">AaveOracle.BASE_CURRENCY_UNIT (1e8 for USD markets): prices carry log10 of it as decimals.</param>
public sealed record AaveV3MarketRead(
    ulong Block,
    Address AddressesProvider,
    Address Pool,
    Address Oracle,
    BigInteger? PoolRevision,
    BigInteger BaseCurrencyUnit,
    int BaseCurrencyDecimals,
    IReadOnlyList<AaveV3ReserveRead> Reserves,
    IReadOnlyList<AaveV3EModeRead> EModes)
{
    /// <summary>The reserve whose getReserveData.id is <paramref name="id"/> (the user-configuration bit index), or null.</summary>
    public AaveV3ReserveRead? ReserveById(int id) => Reserves.FirstOrDefault(r => r.Id == id);
}

/// <summary>
/// One reserve at the block. <paramref name="Id"/> is getReserveData.id, the reserve's bit pair in every user's
/// configuration. Indexes are rays at the block (Pool.getReserveNormalizedIncome / getReserveNormalizedVariableDebt,
/// which include the interest accrued since the last update). Totals are the tokens' totalSupply at the block.
/// </summary>
public sealed record AaveV3ReserveRead(
    int Id,
    SnapshotToken Token,
    BigInteger ConfigurationData,
    ReserveConfiguration Configuration,
    Address AToken,
    Address StableDebtToken,
    Address VariableDebtToken,
    BigInteger NormalizedIncome,
    BigInteger NormalizedVariableDebt,
    BigInteger ATokenTotalSupply,
    BigInteger VariableDebtTotalSupply,
    BigInteger StableDebtTotalSupply,
    AaveV3PriceRead Price)
{
    public BigInteger DebtTotalSupply => VariableDebtTotalSupply + StableDebtTotalSupply;
}

/// <summary>
/// AaveOracle.getAssetPrice (base currency units) and the source it reads (getSourceOfAsset), with what the source
/// answers where it answers: decimals(), latestAnswer() and latestRoundData() are each null when unreadable.
/// </summary>
public sealed record AaveV3PriceRead(
    BigInteger Price,
    Address Source,
    int? SourceDecimals,
    BigInteger? SourceLatestAnswer,
    BigInteger? SourceRoundAnswer,
    BigInteger? SourceRoundUpdatedAt);

/// <summary>Pool.getEModeCategoryData: thresholds in basis points; PriceSource is Address.Zero when the category has none.</summary>
public sealed record AaveV3EModeRead(int Id, string Label, int LtvBps, int LiquidationThresholdBps, int LiquidationBonusBps, Address PriceSource);
