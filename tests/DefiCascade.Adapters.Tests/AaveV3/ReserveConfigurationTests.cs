using System.Globalization;
using System.Numerics;
using DefiCascade.Adapters.AaveV3;

namespace DefiCascade.Adapters.Tests.AaveV3;

public sealed class ReserveConfigurationTests
{
    /// <summary>Big-endian hex digits, most significant field first, parsed as an unsigned number.</summary>
    private static BigInteger Hex(string digits) => BigInteger.Parse("0" + digits.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void Decodes_a_usdc_like_reserve_field_by_field()
    {
        // from bit 0 upwards: ltv 7700 = 0x1E14 (bits 0-15), threshold 8000 = 0x1F40 (16-31), bonus 10450 = 0x28D2 (32-47),
        // decimals 6 = 0x06 (48-55), flags byte 0x05 = active (56) + borrowing (58), reserve factor 1000 = 0x03E8 (64-79),
        // borrow cap 0 (80-115, 9 hex digits), supply cap 0 (116-151), protocol fee 1000 = 0x03E8 (152-167), e-mode 1 (168-175).
        var data = Hex("01_03E8_000000000_000000000_03E8_05_06_28D2_1F40_1E14");

        var c = ReserveConfiguration.Decode(data);

        Assert.Equal(7700, c.LtvBps);
        Assert.Equal(8000, c.LiquidationThresholdBps);
        Assert.Equal(10450, c.LiquidationBonusBps);
        Assert.Equal(6, c.Decimals);
        Assert.True(c.Active);
        Assert.False(c.Frozen);
        Assert.True(c.BorrowingEnabled);
        Assert.False(c.StableBorrowingEnabled);
        Assert.False(c.Paused);
        Assert.False(c.BorrowableInIsolation);
        Assert.False(c.SiloedBorrowing);
        Assert.False(c.FlashLoanEnabled);
        Assert.Equal(1000, c.ReserveFactorBps);
        Assert.Equal(BigInteger.Zero, c.BorrowCap);
        Assert.Equal(BigInteger.Zero, c.SupplyCap);
        Assert.Equal(1000, c.LiquidationProtocolFeeBps);
        Assert.Equal(1, c.EModeCategory);
        Assert.Equal(BigInteger.Zero, c.UnbackedMintCap);
        Assert.Equal(BigInteger.Zero, c.DebtCeiling);
        Assert.True(c.UsageAsCollateralEnabled);
    }

    [Fact]
    public void Decodes_every_flag_and_the_wide_caps_at_their_own_bits()
    {
        // debt ceiling 0xFFFFFFFFFF (40 bits at 212-251, = 2^40 - 1 = 1099511627775, MAX_VALID_DEBT_CEILING),
        // unbacked mint cap 10 = 0x00000000A (176-211), e-mode 0xFF = 255 (168-175), fee 0 (152-167),
        // supply cap 0x123456789 = 4886718345 (116-151), borrow cap 0xFFFFFFFFF = 68719476735 (80-115, MAX_VALID_BORROW_CAP),
        // reserve factor 0xFFFF = 65535 (64-79), flags byte 0xFA = 1111_1010: frozen 57, stable 59, paused 60,
        // isolation 61, siloed 62, flash loans 63, while active 56 and borrowing 58 stay clear;
        // decimals 0xFF (48-55), bonus 0 (32-47), threshold 0 (16-31), ltv 0xFFFF (0-15).
        var data = Hex("FFFFFFFFFF_00000000A_FF_0000_123456789_FFFFFFFFF_FFFF_FA_FF_0000_0000_FFFF");

        var c = ReserveConfiguration.Decode(data);

        Assert.Equal(65535, c.LtvBps);
        Assert.Equal(0, c.LiquidationThresholdBps);
        Assert.Equal(0, c.LiquidationBonusBps);
        Assert.Equal(255, c.Decimals);
        Assert.False(c.Active);
        Assert.True(c.Frozen);
        Assert.False(c.BorrowingEnabled);
        Assert.True(c.StableBorrowingEnabled);
        Assert.True(c.Paused);
        Assert.True(c.BorrowableInIsolation);
        Assert.True(c.SiloedBorrowing);
        Assert.True(c.FlashLoanEnabled);
        Assert.Equal(65535, c.ReserveFactorBps);
        Assert.Equal(new BigInteger(68_719_476_735), c.BorrowCap);
        Assert.Equal(new BigInteger(4_886_718_345), c.SupplyCap);
        Assert.Equal(0, c.LiquidationProtocolFeeBps);
        Assert.Equal(255, c.EModeCategory);
        Assert.Equal(new BigInteger(10), c.UnbackedMintCap);
        Assert.Equal(new BigInteger(1_099_511_627_775), c.DebtCeiling);
        Assert.False(c.UsageAsCollateralEnabled);
    }

    [Fact]
    public void Zero_is_an_inactive_reserve_with_nothing_set()
    {
        var c = ReserveConfiguration.Decode(BigInteger.Zero);
        Assert.Equal(new ReserveConfiguration(0, 0, 0, 0, false, false, false, false, false, false, false, false, 0, 0, 0, 0, 0, 0, 0), c);
    }

    [Fact]
    public void Refuses_bits_above_251_and_values_outside_uint256()
    {
        var e = Assert.Throws<FormatException>(() => ReserveConfiguration.Decode(BigInteger.One << 252));
        Assert.Contains("252-255", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReserveConfiguration.Decode(BigInteger.MinusOne));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReserveConfiguration.Decode(BigInteger.One << 256));
    }
}
