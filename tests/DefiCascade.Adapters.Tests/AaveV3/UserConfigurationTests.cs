using System.Numerics;
using DefiCascade.Adapters.AaveV3;

namespace DefiCascade.Adapters.Tests.AaveV3;

public sealed class UserConfigurationTests
{
    [Fact]
    public void Bit_2i_is_borrowing_and_bit_2i_plus_1_is_collateral()
    {
        // 0xC9 = 1100_1001: bit 0 (reserve 0 borrowing), bit 3 (reserve 1 collateral), bits 6 and 7 (reserve 3 both).
        var c = new UserConfiguration(new BigInteger(0xC9));

        Assert.True(c.IsBorrowing(0));
        Assert.False(c.IsUsingAsCollateral(0));
        Assert.False(c.IsBorrowing(1));
        Assert.True(c.IsUsingAsCollateral(1));
        Assert.False(c.IsUsingAsCollateralOrBorrowing(2));
        Assert.True(c.IsBorrowing(3));
        Assert.True(c.IsUsingAsCollateral(3));
        Assert.Equal([0, 1, 3], c.TouchedReserveIds());
    }

    [Fact]
    public void Reserve_127_uses_the_top_bit_and_ids_past_127_are_refused()
    {
        // reserve 127: borrowing bit 254, collateral bit 255.
        var c = new UserConfiguration(BigInteger.One << 255);

        Assert.True(c.IsUsingAsCollateral(127));
        Assert.False(c.IsBorrowing(127));
        Assert.Equal([127], c.TouchedReserveIds());
        Assert.Throws<ArgumentOutOfRangeException>(() => c.IsBorrowing(128));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.IsBorrowing(-1));
    }

    [Fact]
    public void An_empty_configuration_touches_nothing()
    {
        var c = new UserConfiguration(BigInteger.Zero);
        Assert.True(c.IsEmpty);
        Assert.Empty(c.TouchedReserveIds());
    }
}
