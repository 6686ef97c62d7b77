using System.Numerics;
using DefiCascade.Lending.MorphoBlue;
using static DefiCascade.Lending.Tests.MorphoBlue.MorphoTestMarket;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>Several borrowers in one market liquidated slice by slice: the market's books stay consistent throughout.</summary>
public sealed class MorphoSequenceTests
{
    private const int Markets = 400;

    [Fact]
    public void Slices_keep_the_books_consistent()
    {
        var liquidations = 0;
        for (var seed = 1; seed <= Markets; seed++)
        {
            var rng = new Random(seed);
            var p = Params();
            var positions = Enumerable.Range(0, rng.Next(1, 6))
                .Select(_ => new MorphoPosition(0, rng.NextInt64(1_000_000_000_000, 20_000_000_000_000_000), rng.NextInt64(1, 20) * E18 / 2))
                .ToList();

            // Shares held by borrowers outside the sample; the sampled ones plus these make up the total.
            BigInteger others = rng.NextInt64(0, 100_000_000_000_000_000);
            var totalShares = positions.Aggregate(others, (sum, x) => sum + x.BorrowShares);
            var totalAssets = totalShares * 10 / rng.Next(5, 11) / 1_000_000;
            var s = new MorphoMarketState(totalAssets * 2, totalAssets * 2_000_000, totalAssets, totalShares, 1_700_000_000, 0);
            var price = Price(rng.Next(200, 2_500));

            foreach (var position in positions)
            {
                for (var step = 0; step < 20; step++)
                {
                    var bySeized = rng.Next(2) == 0;
                    var amount = bySeized
                        ? BigInteger.Max(1, position.Collateral * rng.Next(1, 101) / 100)
                        : BigInteger.Max(1, position.BorrowShares * rng.Next(1, 101) / 100);
                    var before = s.Copy();
                    var q = bySeized
                        ? MorphoBlueLiquidation.Execute(p, s, position, price, amount, 0)
                        : MorphoBlueLiquidation.Execute(p, s, position, price, 0, amount);
                    if (!q.Ok)
                    {
                        Assert.Equal(before, s);
                        break;
                    }

                    liquidations++;
                    Assert.True(s.TotalBorrowShares == positions.Aggregate(others, (sum, x) => sum + x.BorrowShares), $"seed {seed}: share books");
                    Assert.True(s.TotalBorrowAssets.Sign >= 0 && s.TotalSupplyAssets >= s.TotalBorrowAssets, $"seed {seed}: asset books");
                    Assert.True(position.Collateral.Sign > 0 || position.BorrowShares.IsZero, $"seed {seed}: debt without collateral");
                    if (position.BorrowShares.IsZero)
                    {
                        break;
                    }
                }
            }
        }

        Assert.True(liquidations > Markets, $"only {liquidations} liquidations");
    }
}
