using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Results;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Simulation.Tests.Engine;

/// <summary>
/// Figures ResultBuilder takes from the engine's caches instead of the accounts themselves, against
/// the accounts. The result lists the 100 accounts with the largest shortfall (then debt, then address, then book
/// and account order); ResultBuilder keeps them with a bounded heap instead of sorting every outcome.
/// It must list exactly what the full sort's first n are, in the same order, ties included.
/// </summary>
public class ResultBuilderTests
{
    [Theory]
    [InlineData(0, 100)]
    [InlineData(57, 100)]
    [InlineData(5_000, 100)]
    [InlineData(5_000, 1)]
    public void The_heap_lists_the_full_sorts_first_accounts(int count, int n)
    {
        var random = new Random(count + n);
        // Few distinct values, so shortfall, debt and address ties are common; the same user in two
        // markets ties on all three and keeps list order.
        var accounts = Enumerable.Range(0, count).Select(k => new AccountOutcome(
            k % 2 == 0 ? "core" : "prime",
            Address.FromNumber(7, (ulong)random.Next(40)),
            0, [], [],
            BigInteger.Zero,
            new BigInteger(random.Next(5)),
            new BigInteger(random.Next(6)),
            BigInteger.Zero,
            UnliquidatableReason.Unprofitable)).ToList();

        var expected = accounts
            .OrderByDescending(a => a.ShortfallUsd).ThenByDescending(a => a.DebtUsd).ThenBy(a => a.User.Hex, StringComparer.Ordinal)
            .Take(n).ToList();
        var listing = new ResultBuilder.Listing(n, userOf: null);
        for (var k = 0; k < accounts.Count; k++)
        {
            listing.Offer(ResultBuilder.ListedKey.Of(accounts[k], k));
        }

        var listed = listing.Listed().Select(key => key.Outcome!).ToList();

        Assert.Equal(expected.Count, listed.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.Same(expected[k], listed[k]);
        }
    }

    // The builder offers most accounts as keys (128-bit shortfall and debt, book and account: the user is looked up
    // only on a tie) and accounts past 128 bits with their outcome; both kinds list as the full sort does.
    [Theory]
    [InlineData(5_000, 100)]
    [InlineData(300, 7)]
    public void Keys_with_and_without_outcomes_list_as_the_full_sort_does(int count, int n)
    {
        var random = new Random(count * n);
        var users = Enumerable.Range(0, 40).Select(u => Address.FromNumber(7, (ulong)u)).ToArray();
        var keys = Enumerable.Range(0, count).Select(k =>
        {
            var (account, shortfall, debt) = (random.Next(40), (UInt128)random.Next(5), (UInt128)random.Next(6));
            return k % 3 == 0
                ? ResultBuilder.ListedKey.Of(new AccountOutcome("core", users[account], 0, [], [], BigInteger.Zero, debt, shortfall, BigInteger.Zero, UnliquidatableReason.Unprofitable), k)
                : new ResultBuilder.ListedKey(k % 2, account, k, shortfall, debt, null);
        }).ToList();

        var expected = keys
            .OrderByDescending(key => key.ShortfallValue).ThenByDescending(key => key.DebtValue)
            .ThenBy(key => (key.Outcome?.User ?? users[key.Account]).Hex, StringComparer.Ordinal).ThenBy(key => key.Index)
            .Take(n).Select(key => key.Index).ToList();
        var listing = new ResultBuilder.Listing(n, (book, account) => users[account].Hex);
        keys.ForEach(listing.Offer);

        Assert.Equal(expected, listing.Listed().Select(key => key.Index).ToList());
    }

    [Fact]
    public void Accounts_with_debt_counts_what_the_accounts_hold_after_liquidations()
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 6_000, Seed = 31 });
        const string yaml = """
            name: crash
            durationBlocks: 200
            path:
              - { block: 200, multiplier: 0.55 }
            betas: { wstETH: 1.0, WBTC: 0.7 }
            maxSettleBlocks: 0
            """;
        var scenario = ScenarioLoader.Parse(yaml, "crash.yaml", snapshot.Tokens.Select(t => t.Symbol).ToHashSet());
        var engine = new CascadeEngine(snapshot, scenario, seed: 3);
        var result = engine.Run();

        var atStart = snapshot.AaveV3Markets.Sum(m => m.Positions.Count(p => p.Debt.Count > 0));
        var atEnd = engine.State.Books.Sum(b => b.Accounts.Count(a => a.HasDebt));
        // Liquidations must have repaid some accounts' whole debt, or the count could not differ from the start.
        Assert.True(atEnd < atStart, $"no account lost all its debt ({atStart} with debt at start and end)");
        Assert.Equal(atEnd, result.Totals.AccountsWithDebt);
    }
}
