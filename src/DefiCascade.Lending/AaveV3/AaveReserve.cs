using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Lending.AaveV3;

/// <summary>
/// One reserve's configuration and indexes. Percentages in basis points (bonus 10500 = 5%).
/// The indexes are rays; at the default 1e27 a scaled balance equals its underlying amount.
/// The model does not accrue interest: the indexes are the normalized income / debt at the
/// block being simulated.
/// </summary>
public sealed record AaveReserve(
    int Index,
    Token Token,
    int LtvBps,
    int LiquidationThresholdBps,
    int LiquidationBonusBps,
    int LiquidationProtocolFeeBps,
    int EModeCategory,
    bool UsageAsCollateralEnabled,
    bool BorrowingEnabled,
    bool Active,
    bool Frozen,
    bool Paused)
{
    /// <summary>Normalized income (ray): aToken balance = scaled.rayMul(LiquidityIndex).</summary>
    public BigInteger LiquidityIndex { get; init; } = WadRayMath.Ray;

    /// <summary>Normalized variable debt (ray): debt = scaled.rayMul(VariableBorrowIndex).</summary>
    public BigInteger VariableBorrowIndex { get; init; } = WadRayMath.Ray;
}

/// <summary>
/// An efficiency-mode category. <paramref name="PriceSourceReserve"/> is the reserve whose oracle
/// price replaces the price of every asset of the category for users in it (the contract's
/// category priceSource); null when the category has none.
/// </summary>
public sealed record AaveEMode(int Id, string Label, int LtvBps, int LiquidationThresholdBps, int LiquidationBonusBps, int? PriceSourceReserve);
