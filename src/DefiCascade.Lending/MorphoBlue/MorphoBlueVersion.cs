using System.Numerics;

namespace DefiCascade.Lending.MorphoBlue;

/// <summary>The contract version this model reproduces, to the wei, and its constants (ConstantsLib.sol, MathLib.sol, SharesMathLib.sol).</summary>
public static class MorphoBlueVersion
{
    public const string Name = "Morpho Blue 1.0.0 (npm @morpho-org/morpho-blue)";

    /// <summary>MathLib.WAD (1e18).</summary>
    public static readonly BigInteger Wad = BigInteger.Pow(10, 18);

    /// <summary>ConstantsLib.ORACLE_PRICE_SCALE (1e36): the oracle quotes 1 collateral base unit in loan base units times 1e36.</summary>
    public static readonly BigInteger OraclePriceScale = BigInteger.Pow(10, 36);

    /// <summary>ConstantsLib.LIQUIDATION_CURSOR (0.3e18).</summary>
    public static readonly BigInteger LiquidationCursor = 300_000_000_000_000_000;

    /// <summary>ConstantsLib.MAX_LIQUIDATION_INCENTIVE_FACTOR (1.15e18).</summary>
    public static readonly BigInteger MaxLiquidationIncentiveFactor = 1_150_000_000_000_000_000;

    /// <summary>ConstantsLib.MAX_FEE (0.25e18).</summary>
    public static readonly BigInteger MaxFee = 250_000_000_000_000_000;

    /// <summary>SharesMathLib.VIRTUAL_SHARES (1e6).</summary>
    public static readonly BigInteger VirtualShares = 1_000_000;

    /// <summary>SharesMathLib.VIRTUAL_ASSETS (1).</summary>
    public static readonly BigInteger VirtualAssets = BigInteger.One;

    /// <summary>type(uint128).max: the width of every Market field and of Position.borrowShares / collateral.</summary>
    public static readonly BigInteger MaxUint128 = (BigInteger.One << 128) - 1;
}
