using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Synthetic;
using DefiCascade.Simulation.Tests.Support;
using Xunit.Abstractions;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// The floating-point health-factor screen decides which accounts the exact model examines.
/// It must never miss an account below HF 1; its error against the exact integer HF is measured
/// here and must stay inside <see cref="LendingBook.ScreenMargin"/>.
/// </summary>
public class ScreeningTests(ITestOutputHelper output)
{
    [Fact]
    public void Screen_never_misses_a_single_collateral_account_below_hf_one()
    {
        const int seed = 4242;
        var random = new Random(seed);
        var market = MarketBuilder.AMarket().WithV2Pool(100_000_000, 50_000);
        for (var i = 0; i < 5_000; i++)
        {
            // Sizes from $10 to $10M; HF spread around 1 at $2,000 so that a move to $1,900 puts many just under 1.
            var weth = Math.Round((decimal)Math.Pow(10, random.NextDouble() * 4 - 2.3), 6);
            var hf = 0.9 + random.NextDouble() * 0.3;
            var usdc = Math.Round(weth * 2000m * 0.825m / (decimal)hf, 6);
            market.WithPosition(weth, Math.Max(usdc, 0.000001m));
        }

        var book = new MarketState(market.Build(), TestScenarios.InstantShock("0.95")).Books[0];
        book.Oracle.Prices[0] = 1900_00000000;
        book.RescreenAll();

        var (missed, worst, below) = Measure(book);
        Assert.True(below > 500, $"seed {seed}: the case should put many accounts below 1, got {below}");
        Assert.Equal(0, missed);
        Assert.True(worst < LendingBook.ScreenMargin / 10, $"seed {seed}: worst relative screen error {worst:E3}");
    }

    [Fact]
    public void Screen_never_misses_a_multi_asset_account_below_hf_one_under_random_price_moves()
    {
        const int seed = 4343;
        var random = new Random(seed);
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 4_000, Seed = seed });
        var book = new MarketState(snapshot, TestScenarios.InstantShock("0.9")).Books[0];
        var start = book.Oracle.Prices.ToArray();
        var (totalMissed, totalBelow, worst) = (0, 0, 0.0);
        for (var round = 0; round < 20; round++)
        {
            for (var r = 0; r < start.Length; r++)
            {
                // Each reserve's oracle price moves independently by -60%..+20%.
                var factor = (long)(1_000_000 * (0.4 + random.NextDouble() * 0.8));
                book.Oracle.Prices[r] = BigInteger.Max(1, start[r] * factor / 1_000_000);
            }

            book.RescreenAll();
            var (missed, roundWorst, below) = Measure(book);
            totalMissed += missed;
            totalBelow += below;
            worst = Math.Max(worst, roundWorst);
        }

        Assert.True(totalBelow > 1_000, $"seed {seed}: random moves should put many accounts below 1, got {totalBelow}");
        Assert.Equal(0, totalMissed);
        Assert.True(worst < LendingBook.ScreenMargin, $"seed {seed}: worst relative screen error {worst:E3} exceeds the margin");
    }

    /// <summary>
    /// The incremental screen (ScreenSchedule: re-screen only accounts whose tolerance the price
    /// moves used up) against a full rescan of every account at every step of a random walk of
    /// oracle prices on a 40,000-position book: the candidate lists must be equal, and no account
    /// the exact model finds below HF 1 may be missing from them.
    /// </summary>
    [Fact]
    public void Incremental_screen_lists_what_a_full_rescan_lists_and_misses_no_liquidatable_account()
    {
        const int seed = 4444;
        var random = new Random(seed);
        var (scaled, naive) = ScreenedBooks(seed);
        var (steps, candidates, below, missed, listedWhenChecked) = (0, 0L, 0L, 0, 0L);
        for (var step = 1; step <= 80; step++)
        {
            for (var r = 0; r < scaled.Oracle.Prices.Length; r++)
            {
                // Log-normal steps of ~1.5% with a downward drift on every asset, so the book walks into and out of trouble.
                if (random.NextDouble() < 0.7)
                {
                    var factor = (long)(1_000_000 * Math.Exp((random.NextDouble() - 0.56) * 0.05));
                    scaled.Oracle.Prices[r] = BigInteger.Max(1, scaled.Oracle.Prices[r] * factor / 1_000_000);
                    naive.Oracle.Prices[r] = scaled.Oracle.Prices[r];
                }
            }

            scaled.PricesMoved();
            naive.PricesMoved();
            var listed = scaled.Candidates().ToList();
            Assert.Equal(naive.Candidates().ToList(), listed);
            // A deep candidate is not re-screened until it could leave: its value may be stale, its side of the threshold not.
            Assert.All(listed, i => Assert.True(scaled.ScreenHealthFactor(i) < 1.0 + LendingBook.ScreenMargin));
            steps++;
            candidates += listed.Count;
            if (step % 10 == 0)
            {
                var set = listed.ToHashSet();
                listedWhenChecked += listed.Count;
                for (var i = 0; i < naive.Accounts.Length; i++)
                {
                    if (AaveV3Accounting.CalculateUserAccountData(naive.Market, naive.Accounts[i], naive.Oracle).Liquidatable)
                    {
                        below++;
                        missed += set.Contains(i) ? 0 : 1;
                    }
                }
            }
        }

        output.WriteLine($"seed {seed}: {steps} price moves on {scaled.Accounts.Length:N0} accounts; full rescans screened {(long)steps * scaled.Accounts.Length:N0}, "
            + $"the incremental screen {scaled.ScreenedAfterMoves:N0}; candidates per move {candidates / steps:N0}; "
            + $"every 10th move: {listedWhenChecked:N0} listed, {below:N0} below HF 1 by the exact model, {missed} of them missed");
        Assert.True(below > 1_000, $"seed {seed}: the walk should put many accounts below 1, got {below}");
        Assert.Equal(0, missed);
        Assert.True(scaled.ScreenedAfterMoves < (long)steps * scaled.Accounts.Length / 2, "the incremental screen should screen far fewer accounts than full rescans");
    }

    /// <summary>
    /// Every oracle price falls by the same factor, step after step: no account's health factor moves (each
    /// is a ratio of sums of amounts times prices), so nothing needs screening again. A group's clock counts
    /// the largest fall among its collateral net of the largest rise among its debt, so it stands still
    /// but for the prices' integer rounding; a clock that counted collateral falls whatever the debt did
    /// would re-screen every ETH-debt account near the threshold at every step (the e-mode LST loops).
    /// </summary>
    [Fact]
    public void Moves_that_keep_every_price_ratio_screen_next_to_nothing()
    {
        var (scaled, naive) = ScreenedBooks(seed: 4545);
        // First a 25% fall of everything but the stablecoins, so that many accounts sit near the threshold.
        for (var r = 0; r < scaled.Oracle.Prices.Length; r++)
        {
            if (scaled.Market.Reserves[r].Token.Symbol is not ("USDC" or "USDT" or "DAI"))
            {
                scaled.Oracle.Prices[r] = scaled.Oracle.Prices[r] * 3 / 4;
                naive.Oracle.Prices[r] = scaled.Oracle.Prices[r];
            }
        }

        scaled.PricesMoved();
        naive.PricesMoved();
        var (start, screenedBefore) = (scaled.Candidates().Count, scaled.ScreenedAfterMoves);
        for (var step = 1; step <= 20; step++)
        {
            for (var r = 0; r < scaled.Oracle.Prices.Length; r++)
            {
                scaled.Oracle.Prices[r] = scaled.Oracle.Prices[r] * 97 / 100;
                naive.Oracle.Prices[r] = scaled.Oracle.Prices[r];
            }

            scaled.PricesMoved();
            naive.PricesMoved();
            Assert.Equal(naive.Candidates().ToList(), scaled.Candidates().ToList());
        }

        var screened = scaled.ScreenedAfterMoves - screenedBefore;
        output.WriteLine($"20 moves of -3% on every price: {screened:N0} screens of {scaled.Accounts.Length:N0} accounts; {start:N0} candidates");
        Assert.True(start > 1_000, $"the fall should put many accounts below the threshold, got {start}");
        Assert.True(screened < scaled.Accounts.Length / 100, $"screens {screened:N0}: ratios held, so almost none were due");
    }

    // A 40,000-position book of the default generator, screened once by the incremental screen and by the naive reference.
    private static (LendingBook Scaled, LendingBook Naive) ScreenedBooks(int seed)
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 40_000, Seed = seed });
        var scenario = TestScenarios.InstantShock("0.9");
        var scaled = new MarketState(snapshot, scenario).Books[0];
        var naive = new MarketState(snapshot, scenario, naiveRescan: true).Books[0];
        scaled.RescreenAll();
        naive.RescreenAll();
        return (scaled, naive);
    }

    private static (int Missed, double Worst, int Below) Measure(LendingBook book)
    {
        var (missed, worst, below) = (0, 0.0, 0);
        for (var i = 0; i < book.Accounts.Length; i++)
        {
            var data = book.AccountData(i);
            if (data.TotalDebtBase.IsZero || data.TotalDebtBase < 100)
            {
                continue; // a debt of under a millionth of a dollar: base-currency flooring dominates
            }

            var exact = (double)data.HealthFactor / 1e18;
            var screen = book.ScreenHealthFactor(i);
            if (data.HealthFactor < WadRayMath.Wad)
            {
                below++;
                missed += screen < 1.0 + LendingBook.ScreenMargin ? 0 : 1;
            }

            if (exact > 0 && exact < 10)
            {
                worst = Math.Max(worst, Math.Abs(screen - exact) / exact);
            }
        }

        return (missed, worst, below);
    }
}
