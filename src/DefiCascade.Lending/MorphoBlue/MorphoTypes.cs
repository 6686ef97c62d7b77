using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Lending.MorphoBlue;

/// <summary>
/// IMorpho.MarketParams: one market per (loan, collateral, oracle, IRM, LLTV). <see cref="Id"/> is
/// MarketParamsLib.id (keccak256 of the abi-encoded params), supplied by the caller: Lending does
/// not hash. The model never reads it; it names the market in messages and reports.
/// </summary>
public sealed record MorphoMarketParams(Address LoanToken, Address CollateralToken, Address Oracle, Address Irm, BigInteger Lltv)
{
    public string Id { get; init; } = "";
}

/// <summary>
/// IMorpho.Market (every field a uint128 on chain). Mutable: Execute and AccrueInterest write it.
/// Don't use it as a dictionary key.
/// </summary>
public sealed record MorphoMarketState(
    BigInteger TotalSupplyAssets,
    BigInteger TotalSupplyShares,
    BigInteger TotalBorrowAssets,
    BigInteger TotalBorrowShares,
    BigInteger LastUpdate,
    BigInteger Fee)
{
    public BigInteger TotalSupplyAssets { get; set; } = TotalSupplyAssets;

    public BigInteger TotalSupplyShares { get; set; } = TotalSupplyShares;

    public BigInteger TotalBorrowAssets { get; set; } = TotalBorrowAssets;

    public BigInteger TotalBorrowShares { get; set; } = TotalBorrowShares;

    /// <summary>Block timestamp of the last interest accrual; 0 means the market was never created.</summary>
    public BigInteger LastUpdate { get; set; } = LastUpdate;

    /// <summary>Share of interest to the fee recipient, wad (at most MAX_FEE 0.25e18).</summary>
    public BigInteger Fee { get; set; } = Fee;

    public MorphoMarketState Copy() => this with { };

    internal void Check()
    {
        MorphoChecks.Uint128(TotalSupplyAssets, nameof(TotalSupplyAssets));
        MorphoChecks.Uint128(TotalSupplyShares, nameof(TotalSupplyShares));
        MorphoChecks.Uint128(TotalBorrowAssets, nameof(TotalBorrowAssets));
        MorphoChecks.Uint128(TotalBorrowShares, nameof(TotalBorrowShares));
        MorphoChecks.Uint128(LastUpdate, nameof(LastUpdate));
        MorphoChecks.Uint128(Fee, nameof(Fee));
    }
}

/// <summary>IMorpho.Position (supplyShares uint256, borrowShares and collateral uint128). Mutable: Execute writes it.</summary>
public sealed record MorphoPosition(BigInteger SupplyShares, BigInteger BorrowShares, BigInteger Collateral)
{
    public BigInteger SupplyShares { get; set; } = SupplyShares;

    public BigInteger BorrowShares { get; set; } = BorrowShares;

    /// <summary>Collateral in collateral-token base units (Morpho holds it; it earns nothing).</summary>
    public BigInteger Collateral { get; set; } = Collateral;

    public MorphoPosition Copy() => this with { };

    internal void Check()
    {
        MorphoChecks.Uint256(SupplyShares, nameof(SupplyShares));
        MorphoChecks.Uint128(BorrowShares, nameof(BorrowShares));
        MorphoChecks.Uint128(Collateral, nameof(Collateral));
    }
}

/// <summary>
/// What Morpho.liquidate would do. SeizedAssets (collateral units) go to the liquidator, who pays
/// RepaidAssets (loan units) for RepaidShares of the borrower's debt. When the position is left
/// with no collateral, its remaining BadDebtShares are written off and BadDebtAssets is deducted
/// from both totalBorrowAssets and totalSupplyAssets (the suppliers bear it). On a refusal all
/// amounts are 0.
/// </summary>
public sealed record MorphoLiquidationQuote(
    MorphoError Error,
    BigInteger SeizedAssets,
    BigInteger RepaidShares,
    BigInteger RepaidAssets,
    BigInteger BadDebtShares,
    BigInteger BadDebtAssets)
{
    public bool Ok => Error == MorphoError.None;
}

/// <summary>Input range checks: a value the chain cannot hold is a data error (an exception), not a revert.</summary>
internal static class MorphoChecks
{
    public static BigInteger Uint128(BigInteger value, string what) =>
        value.Sign >= 0 && value <= MorphoBlueVersion.MaxUint128
            ? value
            : throw new ArgumentOutOfRangeException(what, value, $"{what} must fit a uint128");

    public static BigInteger Uint256(BigInteger value, string what) =>
        Core.Math.UInt256.InRange(value)
            ? value
            : throw new ArgumentOutOfRangeException(what, value, $"{what} must fit a uint256");

    /// <summary>A price of zero is a missing price: an error, never a default (DESIGN.md).</summary>
    public static BigInteger Price(BigInteger price) =>
        price.Sign > 0 && Core.Math.UInt256.InRange(price)
            ? price
            : throw new ArgumentOutOfRangeException(nameof(price), price, "collateral price must be > 0 and fit a uint256");
}
