using System.Numerics;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// Pool.getConfiguration(asset).data decoded with the bit layout of Aave V3.0.x's ReserveConfiguration library
/// (npm @aave/core-v3 1.19.3, contracts/protocol/libraries/configuration/ReserveConfiguration.sol): LTV bits 0-15,
/// liquidation threshold 16-31, bonus 32-47, decimals 48-55, active 56, frozen 57, borrowing 58, stable borrowing 59,
/// paused 60, borrowable in isolation 61, siloed borrowing 62, flash loans 63, reserve factor 64-79, borrow cap 80-115,
/// supply cap 116-151, liquidation protocol fee 152-167, e-mode category 168-175, unbacked mint cap 176-211, debt
/// ceiling 212-251. Percentages are basis points; caps are whole tokens; the debt ceiling has 2 decimals (USD cents).
/// </summary>
public sealed record ReserveConfiguration(
    int LtvBps,
    int LiquidationThresholdBps,
    int LiquidationBonusBps,
    int Decimals,
    bool Active,
    bool Frozen,
    bool BorrowingEnabled,
    bool StableBorrowingEnabled,
    bool Paused,
    bool BorrowableInIsolation,
    bool SiloedBorrowing,
    bool FlashLoanEnabled,
    int ReserveFactorBps,
    BigInteger BorrowCap,
    BigInteger SupplyCap,
    int LiquidationProtocolFeeBps,
    int EModeCategory,
    BigInteger UnbackedMintCap,
    BigInteger DebtCeiling)
{
    /// <summary>ReserveConfiguration.DEBT_CEILING_DECIMALS: the ceiling counts hundredths of the base currency.</summary>
    public const int DebtCeilingDecimals = 2;

    /// <summary>
    /// The contract has no separate flag: PoolConfigurator.configureReserveAsCollateral sets a threshold, and
    /// ValidationLogic refuses collateral whose threshold is 0 (the meaning the Aave data provider gives the flag).
    /// </summary>
    public bool UsageAsCollateralEnabled => LiquidationThresholdBps != 0;

    public static ReserveConfiguration Decode(BigInteger data)
    {
        if (data.Sign < 0 || data >= BigInteger.One << 256)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data, "a reserve configuration is a uint256");
        }

        // bits 252-255 are unused in v3.0.x; a set bit there means a layout this decoder does not know.
        if (!(data >> 252).IsZero)
        {
            throw new FormatException($"reserve configuration 0x{data:x} sets bits 252-255, unused in Aave V3.0.x: a newer layout?");
        }

        return new ReserveConfiguration(
            (int)Bits(data, 0, 16),
            (int)Bits(data, 16, 16),
            (int)Bits(data, 32, 16),
            (int)Bits(data, 48, 8),
            Flag(data, 56),
            Flag(data, 57),
            Flag(data, 58),
            Flag(data, 59),
            Flag(data, 60),
            Flag(data, 61),
            Flag(data, 62),
            Flag(data, 63),
            (int)Bits(data, 64, 16),
            Bits(data, 80, 36),
            Bits(data, 116, 36),
            (int)Bits(data, 152, 16),
            (int)Bits(data, 168, 8),
            Bits(data, 176, 36),
            Bits(data, 212, 40));
    }

    private static BigInteger Bits(BigInteger data, int start, int width) => (data >> start) & ((BigInteger.One << width) - 1);

    private static bool Flag(BigInteger data, int bit) => !((data >> bit) & BigInteger.One).IsZero;
}
