using System.Numerics;
using DefiCascade.Lending.MorphoBlue;
using static DefiCascade.Lending.Tests.MorphoBlue.MorphoTestMarket;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>The liquidation incentive factor of Morpho.liquidate against MARKET-FACTS §6, exact to the wei.</summary>
public sealed class MorphoIncentiveTests
{
    // lif = min(1.15e18, WAD.wDivDown(WAD - 0.3e18.wMulDown(WAD - lltv))), every product floored:
    //   86%:   0.3e18 * 0.14e18 / 1e18 = 0.042e18;  1e36 / 0.958e18 = 1043841336116910229.64... -> 1043841336116910229 (MARKET-FACTS 1.044)
    //   77%:   0.3 * 0.23 = 0.069;   1e36 / 0.931e18  = 1074113856068743286.79... -> 1074113856068743286 (1.074)
    //   62.5%: 0.3 * 0.375 = 0.1125; 1e36 / 0.8875e18 = 1126760563380281690.1... -> 1126760563380281690 (1.127)
    //   91.5%: 0.3 * 0.085 = 0.0255; 1e36 / 0.9745e18 = 1026167265264238070.81... -> 1026167265264238070 (1.026)
    //   94.5%: 0.3 * 0.055 = 0.0165; 1e36 / 0.9835e18 = 1016776817488561260.80... -> 1016776817488561260 (1.017)
    //   96.5%: 0.3 * 0.035 = 0.0105; 1e36 / 0.9895e18 = 1010611419909044972.2... -> 1010611419909044972 (1.011)
    //   98%:   0.3 * 0.02 = 0.006;   1e36 / 0.994e18  = 1006036217303822937.63... -> 1006036217303822937 (1.006)
    //   38.5%: 0.3 * 0.615 = 0.1845; 1e36 / 0.8155e18 = 1.226e18, above the cap -> 1.15e18
    //   0%:    1 / 0.7 = 1.43 -> capped at 1.15e18
    [Theory]
    [InlineData("860000000000000000", "1043841336116910229")]
    [InlineData("770000000000000000", "1074113856068743286")]
    [InlineData("625000000000000000", "1126760563380281690")]
    [InlineData("915000000000000000", "1026167265264238070")]
    [InlineData("945000000000000000", "1016776817488561260")]
    [InlineData("965000000000000000", "1010611419909044972")]
    [InlineData("980000000000000000", "1006036217303822937")]
    [InlineData("385000000000000000", "1150000000000000000")]
    [InlineData("0", "1150000000000000000")]
    public void Factor_per_whitelisted_lltv(string lltv, string expected) =>
        Assert.Equal(BigInteger.Parse(expected), MorphoBlueAccounting.LiquidationIncentiveFactor(BigInteger.Parse(lltv)));

    [Fact]
    public void Lltv_of_one_gives_no_incentive_and_above_one_underflows()
    {
        // WAD - lltv = 0: 1e36 / 1e18 = 1e18. enableLltv refuses lltv >= WAD, so this is only reachable off chain.
        Assert.Equal(Wad, MorphoBlueAccounting.LiquidationIncentiveFactor(Wad));
        var e = Assert.Throws<MorphoRevertException>(() => MorphoBlueAccounting.LiquidationIncentiveFactor(Wad + 1));
        Assert.Equal(MorphoError.ArithmeticUnderflow, e.Error);
    }

    [Fact]
    public void Factor_never_exceeds_the_cap_and_falls_as_lltv_rises()
    {
        var previous = MorphoBlueVersion.MaxLiquidationIncentiveFactor;
        for (BigInteger lltv = 0; lltv < Wad; lltv += Wad / 1000)
        {
            var lif = MorphoBlueAccounting.LiquidationIncentiveFactor(lltv);
            Assert.InRange(lif, Wad, MorphoBlueVersion.MaxLiquidationIncentiveFactor);
            Assert.True(lif <= previous, $"lltv {lltv}");
            previous = lif;
        }
    }
}
