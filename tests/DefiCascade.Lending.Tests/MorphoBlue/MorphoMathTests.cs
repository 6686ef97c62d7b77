using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.MorphoBlue;
using static DefiCascade.Lending.Tests.MorphoBlue.MorphoTestMarket;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>MathLib, SharesMathLib, UtilsLib and _accrueInterest at their edges.</summary>
public sealed class MorphoMathTests
{
    [Fact]
    public void MulDivUp_overflows_like_the_contract_not_like_a_512_bit_muldiv()
    {
        // (x * y + (d - 1)) / d: with x * y = 2^256 - 1 the added d - 1 overflows, although the exact ceiling fits.
        var e = Assert.Throws<MorphoRevertException>(() => MathLib.MulDivUp(UInt256.Max, 1, 2));
        Assert.Equal(MorphoError.ArithmeticOverflow, e.Error);
        Assert.Equal(UInt256.Max / 2, MathLib.MulDivDown(UInt256.Max, 1, 2));

        // d == 0: mulDivUp underflows on d - 1 (Panic 0x11) before it could divide; mulDivDown divides by zero (Panic 0x12).
        Assert.Equal(MorphoError.ArithmeticUnderflow, Assert.Throws<MorphoRevertException>(() => MathLib.MulDivUp(1, 1, 0)).Error);
        Assert.Equal(MorphoError.DivisionByZero, Assert.Throws<MorphoRevertException>(() => MathLib.MulDivDown(1, 1, 0)).Error);
    }

    [Fact]
    public void Wad_helpers_round_as_named()
    {
        Assert.Equal(3, MathLib.WDivDown(10, 3 * Wad));
        Assert.Equal(4, MathLib.WDivUp(10, 3 * Wad));
        Assert.Equal(3, MathLib.WMulDown(10, Wad / 3));
        Assert.Equal(0, MathLib.MulDivUp(0, 5, 7));
    }

    [Fact]
    public void Shares_conversions_use_virtual_shares_and_assets()
    {
        // Empty market: 1 asset = (0 + 1e6) / (0 + 1) shares.
        Assert.Equal(1_000_000, SharesMathLib.ToSharesDown(1, 0, 0));
        Assert.Equal(1, SharesMathLib.ToAssetsDown(1_000_000, 0, 0));
        Assert.Equal(0, SharesMathLib.ToAssetsDown(999_999, 0, 0));
        Assert.Equal(1, SharesMathLib.ToAssetsUp(1, 0, 0));

        // 100 assets / 1e8 shares: 1 share is (100 + 1) / (1e8 + 1e6) = 1e-6 assets exactly.
        Assert.Equal(100_000_000, SharesMathLib.ToSharesDown(100, 100, 100_000_000));
        Assert.Equal(1, SharesMathLib.ToAssetsDown(1_000_000, 100, 100_000_000));
        Assert.Equal(1, SharesMathLib.ToAssetsUp(1, 100, 100_000_000));
    }

    [Fact]
    public void Utils()
    {
        Assert.True(UtilsLib.ExactlyOneZero(0, 1));
        Assert.True(UtilsLib.ExactlyOneZero(1, 0));
        Assert.False(UtilsLib.ExactlyOneZero(0, 0));
        Assert.False(UtilsLib.ExactlyOneZero(2, 3));
        Assert.Equal(0, UtilsLib.ZeroFloorSub(3, 5));
        Assert.Equal(2, UtilsLib.ZeroFloorSub(5, 3));
        Assert.Equal(3, UtilsLib.Min(3, 5));
        Assert.Equal(MorphoBlueVersion.MaxUint128, UtilsLib.ToUint128(MorphoBlueVersion.MaxUint128));
        Assert.Equal(MorphoError.MaxUint128Exceeded, Assert.Throws<MorphoRevertException>(() => UtilsLib.ToUint128(BigInteger.One << 128)).Error);
    }

    [Fact]
    public void Taylor_compounding_of_ten_percent()
    {
        // x = 1e9 (wad per second), n = 1e8 s: first = 1e17; second = 1e34 / 2e18 = 5e15;
        // third = 5e15 * 1e17 / 3e18 = 166,666,666,666,666.6 -> 166,666,666,666,666; e^0.1 - 1 = 0.105170918...
        Assert.Equal(105_166_666_666_666_666, MathLib.WTaylorCompounded(1_000_000_000, 100_000_000));
    }

    [Fact]
    public void Accrue_interest_with_a_fee()
    {
        // 1,000,000 USDC borrowed of 2,000,000 supplied (2e18 shares), fee 10%, 1e8 s at 1e9 per second:
        // interest = 1e12 * 0.105166666666666666 = 105,166,666,666.67 -> 105,166,666,666.
        // feeAmount = 10,516,666,666; feeShares = toSharesDown(feeAmount, 2,105,166,666,666 - 10,516,666,666, 2e18)
        //   = floor(10,516,666,666 * (2e18 + 1e6) / (2,094,650,000,000 + 1)) = 10,041,454,816,795,395.
        var p = Params() with { Irm = Address.FromNumber(0x1e, 4) };
        var s = new MorphoMarketState(2_000_000 * E6, 2_000_000 * E6 * 1_000_000, 1_000_000 * E6, 900_000 * E6 * 1_000_000, 1_000, Wad / 10);
        var feeShares = MorphoBlueAccounting.AccrueInterest(p, s, 1_000_000_000, 1_000 + 100_000_000);

        Assert.Equal(10_041_454_816_795_395, feeShares);
        Assert.Equal(
            new MorphoMarketState(2_105_166_666_666, 2_000_000 * E6 * 1_000_000 + 10_041_454_816_795_395, 1_105_166_666_666, 900_000 * E6 * 1_000_000, 100_001_000, Wad / 10),
            s);
    }

    [Fact]
    public void Accrual_without_elapsed_time_or_without_irm()
    {
        var s = State();
        Assert.Equal(0, MorphoBlueAccounting.AccrueInterest(Params(), s, 1_000_000_000, s.LastUpdate));
        Assert.Equal(State(), s);

        // IRM address(0): only lastUpdate moves, whatever rate is passed.
        Assert.Equal(0, MorphoBlueAccounting.AccrueInterest(Params(), s, 1_000_000_000, s.LastUpdate + 12));
        Assert.Equal(State() with { LastUpdate = State().LastUpdate + 12 }, s);

        // A block before lastUpdate underflows block.timestamp - lastUpdate; nothing changes.
        var e = Assert.Throws<MorphoRevertException>(() => MorphoBlueAccounting.AccrueInterest(Params(), s, 0, 5));
        Assert.Equal(MorphoError.ArithmeticUnderflow, e.Error);
        Assert.Equal(State() with { LastUpdate = State().LastUpdate + 12 }, s);
    }
}
