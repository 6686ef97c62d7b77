using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Reports;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Engine.Screening;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;
using DefiCascade.Simulation.Tests.Support;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// The scaled engine (incremental screen, cached 128-bit account data, per-class proofs that an
/// account cannot be liquidated at a profit) against the naive reference that rescreens and
/// re-examines every position every block: the whole result.json must be byte-identical.
/// </summary>
public class SpeedEquivalenceTests
{
    private const string Crash = """
        name: crash
        durationBlocks: 300
        path:
          - { block: 300, multiplier: 0.7 }
        betas: { wstETH: 1.0, WBTC: 0.7 }
        maxSettleBlocks: 0
        """;

    // Down 40% then back up 30%: accounts enter and leave the screen's candidates.
    private const string CrashAndRebound = """
        name: crash-and-rebound
        durationBlocks: 400
        path:
          - { block: 150, multiplier: 0.6 }
          - { block: 400, multiplier: 0.9 }
        betas: { wstETH: 1.0, WBTC: 0.7 }
        noiseBpsPerBlock: 30
        maxSettleBlocks: 50
        """;

    // Stablecoin debt squeeze: USDC +30% while ETH holds (debt-side moves).
    private const string DebtSqueeze = """
        name: usdc-squeeze
        durationBlocks: 200
        path:
          - { block: 200, multiplier: 1.0 }
        assetPaths:
          USDC:
            - { block: 200, multiplier: 1.3 }
        maxSettleBlocks: 20
        """;

    // The last values: account visits the size ladder and the group verdicts must settle (their proofs are
    // part of what is compared; about half of what each case showed when written). The 60k crash is a deeper
    // book, where large accounts sit below HF 1 in classes whose probe rate beats the bonus by a hair: the
    // ladder (with its interval splitting) settles hundreds of visits there, groups tens of thousands.
    // Workers: the scaled engine's threads; with 2, passes over more than 64 candidates split (the
    // default waits for 4,096), so every case with 2 exercises the split and its merge.
    public static TheoryData<string, int, int, int, int, int> Cases => new()
    {
        { Crash, 6_000, 101, 1, 1_000, 1 },
        { Crash, 6_000, 101, 1, 1_000, 2 },
        { Crash, 60_000, 404, 101, 15_000, 2 },
        { CrashAndRebound, 4_000, 202, 0, 1_000, 2 },
        { DebtSqueeze, 4_000, 303, 0, 50, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scaled_engine_writes_the_naive_engines_result_json(string yaml, int positions, int seed, int ladderSettlesAtLeast, int groupSettlesAtLeast, int workers)
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = positions, Seed = seed });
        var scenario = ScenarioLoader.Parse(yaml, "case.yaml", snapshot.Tokens.Select(t => t.Symbol).ToHashSet());

        // Every carried first pass is also checked against the full one (it throws on a difference).
        var engine = new CascadeEngine(snapshot, scenario, seed: 5, new CascadeOptions { CheckCarriedPasses = true, Workers = workers, ParallelFrom = 64 });
        var scaled = engine.Run();
        var naive = new CascadeEngine(snapshot, scenario, seed: 5, new CascadeOptions(NaiveRescan: true)).Run();

        Assert.True(naive.Totals.LiquidationEvents > 0, $"{scenario.Name}: the case should liquidate");
        Assert.Equal(ResultJson.Serialize(naive), ResultJson.Serialize(scaled));
        Assert.Equal(CsvReports.Liquidations(naive), CsvReports.Liquidations(scaled));
        Assert.True(engine.LadderSettled >= ladderSettlesAtLeast, $"{scenario.Name} ({positions:N0}): the size ladder should settle at least {ladderSettlesAtLeast} account visits, got {engine.LadderSettled}");
        // Blocks without an oracle move carry the last block's first pass: every case has many (over 100 when written).
        Assert.True(engine.PassesCarried >= 50, $"{scenario.Name} ({positions:N0}): at least 50 blocks should carry their first pass, got {engine.PassesCarried}");
        // Crashes (ETH collateral, stable debt) enter most accounts below HF 1 without their exact data.
        Assert.True(scenario.Name != "crash" || engine.CertainEntries >= 1_000, $"{scenario.Name} ({positions:N0}): certain entries {engine.CertainEntries}");
        // Most of them come from the frozen list (AccountDataCache.Frozen.cs) after the account's first entry.
        Assert.True(scenario.Name != "crash" || engine.FrozenEntered * 2 >= engine.CertainEntries, $"{scenario.Name} ({positions:N0}): frozen entries {engine.FrozenEntered} of {engine.CertainEntries}");
        Assert.True(workers == 1 ? engine.PassesSplit == 0 : engine.PassesSplit >= 50, $"{scenario.Name} ({positions:N0}): with {workers} workers, passes split: {engine.PassesSplit}");
        Assert.True(engine.GroupSettled >= groupSettlesAtLeast, $"{scenario.Name} ({positions:N0}): groups should settle at least {groupSettlesAtLeast} account visits, got {engine.GroupSettled}");
    }

    [Fact]
    public void Cached_account_data_equals_the_exact_model_under_random_price_moves()
    {
        var (book, start, random) = ScreenedBook(seed: 5151);
        var compared = 0;
        for (var round = 0; round < 12; round++)
        {
            // Rounds that keep some prices: the cache must recompute exactly the accounts on moved reserves.
            for (var r = 0; r < start.Length; r++)
            {
                if (random.NextDouble() < 0.5)
                {
                    var factor = (long)(1_000_000 * (0.3 + random.NextDouble() * 1.2));
                    book.Oracle.Prices[r] = BigInteger.Max(1, start[r] * factor / 1_000_000);
                }
            }

            book.PricesMoved();
            for (var i = 0; i < book.Accounts.Length; i += round % 3 + 1)
            {
                Assert.Equal(AaveV3Accounting.CalculateUserAccountData(book.Market, book.Accounts[i], book.Oracle), book.AccountData(i));
                compared++;
            }
        }

        Assert.True(compared > 40_000);
    }

    [Fact]
    public void Certain_entries_hold_against_the_exact_model_under_random_price_moves()
    {
        var (book, start, random) = ScreenedBook(seed: 7373);
        var (certain, refused) = (0, 0);
        for (var round = 0; round < 24; round++)
        {
            // Every account's exact data in hand (as the pass leaves it), then some prices move, often only collateral-side ones.
            for (var i = 0; i < book.Accounts.Length; i++)
            {
                _ = book.AccountData(i);
            }

            for (var r = 0; r < start.Length; r++)
            {
                if (random.NextDouble() < 0.5)
                {
                    var factor = (long)(1_000_000 * (0.3 + random.NextDouble() * 0.8));
                    book.Oracle.Prices[r] = BigInteger.Max(1, start[r] * factor / 1_000_000);
                }
            }

            book.PricesMoved();
            for (var i = 0; i < book.Accounts.Length; i++)
            {
                if (!book.CertainBelowSolvent(i, out var debtKey))
                {
                    refused++;
                    continue;
                }

                var exact = AaveV3Accounting.CalculateUserAccountData(book.Market, book.Accounts[i], book.Oracle);
                Assert.True(exact.HealthFactor < WadRayMath.Wad, $"round {round}, account {i}: certain below HF 1, exact HF {exact.HealthFactor}");
                Assert.True(exact.TotalCollateralBase >= exact.TotalDebtBase, $"round {round}, account {i}: certain solvent, exact shortfall");
                Assert.Equal(exact.TotalDebtBase, (BigInteger)debtKey);
                certain++;
            }
        }

        // Both answers occur: the test sees the shortcut taken and refused.
        Assert.True(certain > 800 && refused > 5_000, $"certain {certain}, refused {refused}");
    }

    [Fact]
    public void Frozen_entries_hold_against_the_exact_model_under_random_price_moves()
    {
        var (book, start, random) = ScreenedBook(seed: 9191);
        var frozen = new Dictionary<int, AccountDataCache.Frozen>();
        var (held, insolvent, thawed, direct) = (0, 0, 0, 0);
        for (var round = 0; round < 24; round++)
        {
            // Every account below HF 1 that can freeze and is not frozen yet freezes, as the pass does: half of them
            // from their stale data without computing it (FreezeDirect), half after their exact data. Then prices move.
            var entering = new List<AccountDataCache.Frozen>();
            for (var i = 0; i < book.Accounts.Length; i++)
            {
                if (frozen.ContainsKey(i))
                {
                    continue;
                }

                if (i % 2 == 0)
                {
                    if (book.FreezeDirect(i, out var entry, out var shortfall))
                    {
                        AssertExact(book, entry, shortfall, $"round {round}, account {i}, frozen directly");
                        frozen[i] = entry;
                        entering.Add(entry);
                        direct++;
                    }
                }
                else if (book.AccountSummary(i) is (true, var debtKey, false) && book.Freezable(i, debtKey, out var entry))
                {
                    frozen[i] = entry;
                    entering.Add(entry);
                }
            }

            book.Freeze(entering);

            for (var r = 0; r < start.Length; r++)
            {
                // Debt-side reserves (stablecoins) move in a third of the rounds: their accounts' debt keys go stale then.
                if (random.NextDouble() < (round % 3 == 0 ? 0.5 : 0.25))
                {
                    var factor = (long)(1_000_000 * (0.3 + random.NextDouble() * 0.9));
                    book.Oracle.Prices[r] = BigInteger.Max(1, start[r] * factor / 1_000_000);
                }
            }

            book.PricesMoved();
            foreach (var (i, entry) in frozen.ToList())
            {
                // The result reads a frozen account's totals from its entry (FrozenTotals) exactly when the entry holds.
                var totalsHold = book.FrozenTotals(entry, out var collateral);
                if (!book.StillCertain(entry, out var shortfall))
                {
                    Assert.False(totalsHold, $"round {round}, account {i}: totals read from an entry that no longer holds");
                    frozen.Remove(i);
                    book.Thaw([i]);
                    Assert.False(book.FrozenTotals(entry, out _), $"round {round}, account {i}: totals read from a thawed account's entry");
                    thawed++;
                    continue;
                }

                AssertExact(book, entry, shortfall, $"round {round}, account {i}");
                Assert.True(totalsHold, $"round {round}, account {i}: the entry holds but its totals were not read");
                Assert.Equal(book.Totals(i) is (_, var exactCollateral, _, false) ? exactCollateral : UInt128.MaxValue, collateral);
                if (round % 4 == 1 && i % 17 == 0)
                {
                    // Thawed while it still holds (as a liquidation thaws an account): its entry is no longer read.
                    book.Thaw([i]);
                    frozen.Remove(i);
                    Assert.False(book.FrozenTotals(entry, out _), $"round {round}, account {i}: totals read from a thawed account's entry");
                    continue;
                }

                held++;
                insolvent += shortfall > UInt128.Zero ? 1 : 0;
            }
        }

        // Entries held over several moves, solvent and insolvent ones, entries thawed (some on a debt price's move), direct freezes.
        Assert.True(held > 3_000 && insolvent > 1_000 && thawed > 2_000 && direct > 500, $"held {held}, insolvent {insolvent}, thawed {thawed}, direct {direct}");
    }

    // A frozen entry that holds: below HF 1, its shortfall and debt key those of the exact model.
    private static void AssertExact(LendingBook book, AccountDataCache.Frozen entry, UInt128 shortfall, string what)
    {
        var exact = AaveV3Accounting.CalculateUserAccountData(book.Market, book.Accounts[entry.Account], book.Oracle);
        Assert.True(exact.HealthFactor < WadRayMath.Wad, $"{what}: frozen below HF 1, exact HF {exact.HealthFactor}");
        Assert.Equal(BigInteger.Max(BigInteger.Zero, exact.TotalDebtBase - exact.TotalCollateralBase), (BigInteger)shortfall);
        Assert.Equal(exact.TotalDebtBase, (BigInteger)entry.DebtKey);
    }

    // An 8k-account book screened at its start prices, those prices, and a random walk seeded alike.
    private static (LendingBook Book, BigInteger[] Start, Random Random) ScreenedBook(int seed)
    {
        var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = 8_000, Seed = seed });
        var book = new MarketState(snapshot, TestScenarios.InstantShock("0.9")).Books[0];
        book.RescreenAll();
        return (book, book.Oracle.Prices.ToArray(), new Random(seed));
    }
}
