using System.Numerics;
using DefiCascade.Lending.MorphoBlue;
using static DefiCascade.Lending.Tests.MorphoBlue.MorphoTestMarket;

namespace DefiCascade.Lending.Tests.MorphoBlue;

/// <summary>
/// Seeded random markets, positions and liquidations; the seed is in every failure message. The
/// checks are conservation laws and exact rational bounds, not a second copy of liquidate.
/// </summary>
public sealed class MorphoPropertyTests
{
    private const int Cases = 4000;
    private static readonly BigInteger V = MorphoBlueVersion.VirtualShares;
    private static readonly BigInteger Scale = MorphoBlueVersion.OraclePriceScale;

    private static readonly BigInteger[] Lltvs =
        [385, 625, 770, 860, 915, 945, 965, 980];

    private sealed record Case(int Seed, MorphoMarketParams P, MorphoMarketState S, MorphoPosition Position, BigInteger Price, BigInteger Seized, BigInteger Shares);

    /// <summary>Uniform in [lo, hi] over every digit (doubles would leave the low digits zero).</summary>
    private static BigInteger Between(Random rng, BigInteger lo, BigInteger hi)
    {
        var span = hi - lo + 1;
        var bytes = new byte[span.GetByteCount() + 8];
        rng.NextBytes(bytes);
        return lo + BigInteger.Remainder(new BigInteger(bytes, isUnsigned: true), span);
    }

    private static BigInteger Scaled(double x, int digits) => new BigInteger(x * 1e12) * BigInteger.Pow(10, digits) / BigInteger.Pow(10, 12);

    private static Case Generate(int seed)
    {
        var rng = new Random(seed);
        var loanDecimals = rng.Next(2) == 0 ? 6 : 18;
        var collateralDecimals = new[] { 6, 8, 18 }[rng.Next(3)];
        var lltv = Lltvs[rng.Next(Lltvs.Length)] * BigInteger.Pow(10, 15);
        var p = Params(lltv);

        // Oracle price: loan units per collateral unit * 1e36, for a real price between 1e-3 and 1e5.
        var realPrice = Math.Pow(10, -3 + (rng.NextDouble() * 8));
        var price = BigInteger.Max(1, Scaled(realPrice, 36 + loanDecimals - collateralDecimals));

        // Totals: usually a large market whose shares have lost up to half their 1e6 starting ratio to interest; sometimes a tiny one.
        var tiny = rng.Next(10) == 0;
        var totalBorrowAssets = tiny ? Between(rng, 1, 1_000) : Between(rng, BigInteger.Pow(10, loanDecimals), BigInteger.Pow(10, loanDecimals + 9));
        var totalBorrowShares = totalBorrowAssets * Between(rng, V / 2, V);
        var s = new MorphoMarketState(totalBorrowAssets + Between(rng, 0, totalBorrowAssets * 2), totalBorrowAssets * V * 2, totalBorrowAssets, totalBorrowShares, 1_700_000_000, 0);

        var borrowShares = rng.Next(10) == 0 ? totalBorrowShares : Between(rng, 1, totalBorrowShares);
        var debt = SharesMathLib.ToAssetsUp(borrowShares, totalBorrowAssets, totalBorrowShares);

        // Collateral for a target health factor between 0.3 and 1.1.
        var hf = 0.3 + (rng.NextDouble() * 0.8);
        var ratio = Scaled(hf / (double)lltv * 1e18, 12);
        var collateral = BigInteger.Max(1, debt * Scale * ratio / price / BigInteger.Pow(10, 12));
        if (collateral > MorphoBlueVersion.MaxUint128)
        {
            collateral = MorphoBlueVersion.MaxUint128;
        }

        var position = new MorphoPosition(0, borrowShares, collateral);
        var full = rng.Next(8) == 0;
        return rng.Next(2) == 0
            ? new Case(seed, p, s, position, price, full ? collateral : Between(rng, 1, collateral + (collateral / 10)), 0)
            : new Case(seed, p, s, position, price, 0, full ? borrowShares : Between(rng, 1, borrowShares + (borrowShares / 10)));
    }

    [Fact]
    public void Liquidations_conserve_and_round_for_the_protocol()
    {
        var outcomes = new Dictionary<MorphoError, int>();
        var badDebts = 0;
        for (var seed = 1; seed <= Cases; seed++)
        {
            var c = Generate(seed);
            var s = c.S.Copy();
            var position = c.Position.Copy();
            var quote = MorphoBlueLiquidation.Quote(c.P, s, position, c.Price, c.Seized, c.Shares);
            Assert.True(c.S == s && c.Position == position, $"seed {seed}: Quote mutated its inputs");
            var executed = MorphoBlueLiquidation.Execute(c.P, s, position, c.Price, c.Seized, c.Shares);
            Assert.True(quote == executed, $"seed {seed}: quote {quote} != execute {executed}");
            outcomes[quote.Error] = outcomes.GetValueOrDefault(quote.Error) + 1;

            if (quote.Ok)
            {
                CheckOk(c, quote, s, position);
                badDebts += quote.BadDebtShares.IsZero ? 0 : 1;
            }
            else
            {
                Assert.True(c.S == s && c.Position == position, $"seed {seed}: a refusal mutated the state");
                CheckRefusal(c, quote.Error);
            }
        }

        // The generator must reach every branch, or the loop proves little.
        Assert.True(outcomes.GetValueOrDefault(MorphoError.None) > Cases / 4, $"ok: {outcomes.GetValueOrDefault(MorphoError.None)}");
        Assert.True(outcomes.GetValueOrDefault(MorphoError.HealthyPosition) > Cases / 20, "too few healthy positions");
        Assert.True(outcomes.GetValueOrDefault(MorphoError.ArithmeticUnderflow) > Cases / 20, "too few underflows");
        Assert.True(badDebts > Cases / 50, $"only {badDebts} bad-debt cases");
    }

    private static void CheckOk(Case c, MorphoLiquidationQuote q, MorphoMarketState s, MorphoPosition position)
    {
        var seed = c.Seed;
        var before = c.S;
        var lif = MorphoBlueAccounting.LiquidationIncentiveFactor(c.P.Lltv);
        Assert.False(MorphoBlueAccounting.IsHealthy(c.P, before, c.Position, c.Price), $"seed {seed}: liquidated a healthy position");
        Assert.True(c.Seized.IsZero ? q.RepaidShares == c.Shares : q.SeizedAssets == c.Seized, $"seed {seed}: the given amount changed");

        // Collateral and shares are conserved; nothing goes negative.
        Assert.True(c.Position.Collateral == position.Collateral + q.SeizedAssets, $"seed {seed}: collateral not conserved");
        Assert.True(c.Position.BorrowShares - position.BorrowShares == q.RepaidShares + q.BadDebtShares, $"seed {seed}: position shares");
        Assert.True(before.TotalBorrowShares - s.TotalBorrowShares == q.RepaidShares + q.BadDebtShares, $"seed {seed}: total shares");
        Assert.True(position.BorrowShares.Sign >= 0 && position.Collateral.Sign >= 0, $"seed {seed}: negative position");
        Assert.True(s.TotalBorrowAssets.Sign >= 0 && s.TotalSupplyAssets.Sign >= 0 && s.TotalBorrowShares >= position.BorrowShares, $"seed {seed}: totals");
        Assert.True(s.TotalBorrowAssets == UtilsLib.ZeroFloorSub(before.TotalBorrowAssets, q.RepaidAssets) - q.BadDebtAssets, $"seed {seed}: borrow assets");
        Assert.True(s.TotalSupplyAssets == before.TotalSupplyAssets - q.BadDebtAssets && s.TotalSupplyShares == before.TotalSupplyShares, $"seed {seed}: supply");

        // Bad debt exactly when the collateral is gone, and then no debt is left behind.
        Assert.True(!position.Collateral.IsZero || position.BorrowShares.IsZero, $"seed {seed}: debt left without collateral");
        Assert.True(position.Collateral.IsZero || (q.BadDebtShares.IsZero && q.BadDebtAssets.IsZero), $"seed {seed}: bad debt with collateral left");

        // Rounding favours the protocol: the liquidator pays at least the seized value divided by the factor
        // (repaidAssets * lif * 1e36 >= seized * price * WAD), and at least the exact value of the shares repaid.
        Assert.True(q.RepaidAssets * lif * Scale >= q.SeizedAssets * c.Price * Wad, $"seed {seed}: liquidator overpaid in collateral");
        Assert.True(q.RepaidAssets * (before.TotalBorrowShares + V) >= q.RepaidShares * (before.TotalBorrowAssets + 1), $"seed {seed}: repaid below share value");

        // And not by much: at most the factor's full value plus a few units of rounding on each step.
        var slack = (before.TotalBorrowAssets + 1) / (before.TotalBorrowShares + V) + 3;
        Assert.True((q.RepaidAssets - slack) * lif * Scale <= (q.SeizedAssets + 1) * c.Price * Wad || !c.Seized.IsZero, $"seed {seed}: shares path overcharged");

        if (!c.Seized.IsZero)
        {
            // Repaying the shares the seized path charged buys at least that collateral (or more than the position holds).
            var back = MorphoBlueLiquidation.Quote(c.P, c.S, c.Position, c.Price, 0, q.RepaidShares);
            Assert.True(back.Ok ? back.SeizedAssets >= c.Seized : back.Error == MorphoError.ArithmeticUnderflow, $"seed {seed}: round trip {back}");

            // Seizing more never costs fewer shares.
            var more = MorphoBlueLiquidation.Quote(c.P, c.S, c.Position, c.Price, c.Seized + 1, 0);
            Assert.True(!more.Ok || more.RepaidShares >= q.RepaidShares, $"seed {seed}: not monotonic");
        }
    }

    private static void CheckRefusal(Case c, MorphoError error)
    {
        var seed = c.Seed;
        var before = c.S;
        var healthy = MorphoBlueAccounting.IsHealthy(c.P, before, c.Position, c.Price);
        Assert.True((error == MorphoError.HealthyPosition) == healthy, $"seed {seed}: {error} but healthy = {healthy}");
        Assert.True(error is MorphoError.HealthyPosition or MorphoError.ArithmeticUnderflow, $"seed {seed}: unexpected {error}");
        if (error != MorphoError.ArithmeticUnderflow)
        {
            return;
        }

        var lif = MorphoBlueAccounting.LiquidationIncentiveFactor(c.P.Lltv);
        BigInteger sharesPlus = before.TotalBorrowShares + V, assetsPlus = before.TotalBorrowAssets + 1;
        if (c.Seized.IsZero)
        {
            // Underflow only if the shares exceed the debt or their exact value times the factor exceeds the collateral.
            var exceedsCollateral = c.Shares * assetsPlus * lif * Scale > c.Position.Collateral * c.Price * Wad * sharesPlus;
            Assert.True(c.Shares > c.Position.BorrowShares || exceedsCollateral, $"seed {seed}: spurious underflow by shares");
        }
        else if (c.Seized <= c.Position.Collateral)
        {
            // The shares charged (exact value plus at most two rounded-up steps) must exceed the position's.
            var den = Scale * lif * assetsPlus;
            var bound = (c.Seized * c.Price * Wad * sharesPlus) + (2 * sharesPlus * Scale * lif) + den;
            Assert.True(bound > c.Position.BorrowShares * den, $"seed {seed}: spurious underflow by seized assets");
        }
    }
}
