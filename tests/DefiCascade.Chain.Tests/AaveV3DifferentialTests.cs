using DefiCascade.Chain.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.AaveV3;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// DefiCascade.Lending.AaveV3 against a real Aave V3 pool (npm @aave/core-v3 1.19.3), to the wei: account data, and
/// for each liquidationCall the debt repaid, the collateral the liquidator gets, the treasury's fee, the user's scaled
/// balances and account data after; refusals by their Aave error code.
/// </summary>
[Collection(AaveWorldCollection.Name)]
public sealed class AaveV3DifferentialTests(AaveWorldFixture fixture, ITestOutputHelper output)
{
    private const int DefaultSeed = 20260302;
    private const int Rounds = 12;
    private const int AccountsPerRound = 24;
    private const int MinLiquidations = 300;
    private static readonly BigInteger E8 = BigInteger.Pow(10, 8);

    private AaveWorld W => fixture.World;

    private Address Liquidator => fixture.Accounts[2];

    [Fact]
    public async Task Chain_md_vector_seizes_4374999999999999999_wei_of_weth_not_4_375()
    {
        int usdc = W.IndexOf("USDC"), weth = W.IndexOf("WETH");
        await W.SetPricesAsync([E8, 50_000 * E8, 2_000 * E8, E8]);
        var user = await W.NewUserAsync();
        await W.SupplyAsync(user, weth, 10 * BigInteger.Pow(10, 18));
        await W.BorrowAsync(user, usdc, 15_000 * BigInteger.Pow(10, 6));
        await W.SetPriceAsync(weth, 1_800 * E8);

        var mismatches = new List<string>();
        var result = await LiquidateAndCompareAsync(await W.MarketAsync(), await W.PricesAsync(), user, weth, usdc, UInt256.Max, false, mismatches, "CHAIN.md vector");
        Assert.Empty(mismatches);
        Assert.True(result.Quote!.Ok);
        Assert.Equal(7_500 * BigInteger.Pow(10, 6), result.Quote.DebtRepaid);
        Assert.Equal(BigInteger.Parse("4374999999999999999", CultureInfo.InvariantCulture), result.Quote.CollateralSeized);
        Assert.Equal(BigInteger.Parse("20833333333333333", CultureInfo.InvariantCulture), result.Quote.ProtocolFee);
        output.WriteLine($"CHAIN.md vector: seized {result.Quote.CollateralSeized}, fee {result.Quote.ProtocolFee}, HF after {result.HealthFactorAfter}");
        output.WriteLine($"deployment: {W.Transactions} transactions, {W.DeployGas} gas, {W.DeployTime.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Model_matches_Pool_liquidationCall_to_the_wei_over_300_plus_seeded_random_liquidations()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEFICASCADE_CHAIN_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"seed {seed} (set DEFICASCADE_CHAIN_SEED to replay another)");
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var mismatches = new List<string>();
        int liquidations = 0, refusals = 0, capBinding = 0, eModeLiquidations = 0, fullClose = 0, received = 0;
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var p1 = new[]
                {
                    Price(random, 0.98, 1.02), Price(random, 20_000, 80_000), Price(random, 1_000, 4_000), Price(random, 0.97, 1.03),
                };
                var users = new List<(Address User, AavePlan Plan)>();
                for (var k = 0; k < AccountsPerRound; k++)
                {
                    var plan = AavePlan.Create(random, p1);
                    users.Add((await W.OpenAsync(plan, p1), plan));
                }

                await W.SetPricesAsync(p1);
                var market = await W.MarketAsync();
                var oracle = await W.PricesAsync();
                foreach (var (user, plan) in users)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var account = await W.AccountAsync(user);
                        var before = AaveV3Accounting.CalculateUserAccountData(market, account, oracle);
                        if (attempt > 0 && !before.Liquidatable)
                        {
                            break;
                        }

                        var (c, d, cover, receive) = Choose(random, market, account, oracle);
                        var where = $"seed {seed} round {round} user {user} ({plan}) attempt {attempt}: liquidationCall({market.Reserves[c].Token.Symbol}, {market.Reserves[d].Token.Symbol}, {cover}, receiveAToken {receive})";
                        var r = await LiquidateAndCompareAsync(market, oracle, user, c, d, cover, receive, mismatches, where);
                        liquidations++;
                        if (r.Quote is not { Ok: true } q)
                        {
                            refusals++;
                            var why = r.Quote?.Error.ToString() ?? "mismatch";
                            reasons[why] = reasons.GetValueOrDefault(why) + 1;
                            continue;
                        }

                        capBinding += q.CollateralCapBinding ? 1 : 0;
                        eModeLiquidations += account.EMode != 0 ? 1 : 0;
                        received += receive ? 1 : 0;
                        fullClose += q.CloseFactorBps == AaveV3Version.MaxLiquidationCloseFactorBps ? 1 : 0;
                    }
                }
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"Aave V3 differential with seed {seed} stopped: {e.Message}", e);
        }

        var summary = $"Aave V3 differential: {liquidations} liquidations ({refusals} refusals), {mismatches.Count} mismatches (seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s)";
        output.WriteLine(summary);
        output.WriteLine($"  {capBinding} with the collateral cap binding, {eModeLiquidations} of e-mode users, {fullClose} at the 100% close factor, {received} receiving aTokens");
        output.WriteLine($"  refusals: {string.Join(", ", reasons.Select(p => $"{p.Key} {p.Value}"))}");
        var indexes = await W.MarketAsync();
        output.WriteLine($"  indexes: {string.Join(", ", indexes.Reserves.Select(x => $"{x.Token.Symbol} {x.LiquidityIndex}/{x.VariableBorrowIndex}"))}");
        Assert.True(mismatches.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, mismatches.Take(10)));
        Assert.True(liquidations - refusals >= MinLiquidations, summary);
    }

    private static (int Collateral, int Debt, BigInteger Cover, bool ReceiveAToken) Choose(Random random, AaveV3Market m, AaveAccount a, IAavePriceOracle o)
    {
        var n = m.Reserves.Count;
        var collaterals = Enumerable.Range(0, n).Where(a.IsUsingAsCollateral).ToArray();
        var debts = Enumerable.Range(0, n).Where(a.IsBorrowing).ToArray();
        var c = collaterals.Length > 0 && random.NextDouble() < 0.93 ? collaterals[random.Next(collaterals.Length)] : random.Next(n);
        var d = debts.Length > 0 && random.NextDouble() < 0.93 ? debts[random.Next(debts.Length)] : random.Next(n);
        var max = AaveV3Liquidation.Quote(m, a, o, new LiquidationRequest(c, d, UInt256.Max)).MaxLiquidatableDebt;
        var total = a.DebtBalance(m, d);
        var pick = random.NextDouble();
        var cover = pick switch
        {
            < 0.30 => UInt256.Max,
            < 0.55 => BigInteger.Max(BigInteger.One, max * random.Next(1, 1_000_000) / 1_000_000),
            < 0.80 => max + 1 + (total * random.Next(0, 2_000_000) / 1_000_000),
            < 0.92 => max,
            _ => random.Next(1, 1_000),
        };
        return (c, d, cover, random.Next(2) == 0);
    }

    private sealed record LiquidationResult(LiquidationQuote? Quote, BigInteger HealthFactorAfter);

    /// <summary>
    /// Model account and account data against getUserAccountData; then liquidationCall against the model's Quote and
    /// Execute: refusal code, balance deltas of user, liquidator and treasury, scaled balances and account data after.
    /// </summary>
    private async Task<LiquidationResult> LiquidateAndCompareAsync(
        AaveV3Market m, ArrayPriceOracle o, Address user, int c, int d, BigInteger cover, bool receive, List<string> mismatches, string where)
    {
        var account = await W.AccountAsync(user);
        var chainBefore = await W.AccountDataAsync(user);
        var modelBefore = AaveV3Accounting.CalculateUserAccountData(m, account, o);
        Check(mismatches, chainBefore == modelBefore, $"{where}: account data before: pool {chainBefore}, model {modelBefore}");

        var expected = account.Clone();
        var quote = AaveV3Liquidation.Execute(m, expected, o, new LiquidationRequest(c, d, cover, receive));
        var cAsset = W.Assets[c];
        var dAsset = W.Assets[d];
        var tokens = new[] { cAsset.Token, dAsset.Token, cAsset.AToken };
        var liquidatorBefore = await BalancesAsync(tokens, Liquidator);
        var treasuryBefore = await cAsset.AToken.CallUIntAsync("balanceOf", W.Treasury);
        var treasuryScaledBefore = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", W.Treasury);
        var liquidatorScaledBefore = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", Liquidator);
        var userDebtBefore = await dAsset.VariableDebt.CallUIntAsync("balanceOf", user);
        var userCollateralBefore = await cAsset.AToken.CallUIntAsync("balanceOf", user);

        var reason = await W.LiquidateAsync(Liquidator, c, d, user, cover, receive);
        if (reason is not null)
        {
            var error = Map(reason);
            Check(mismatches, error == quote.Error, $"{where}: the pool refused with '{reason}' ({error}), the model says {quote.Error}");
            return new LiquidationResult(quote, chainBefore.HealthFactor);
        }

        if (!quote.Ok)
        {
            mismatches.Add($"{where}: the pool liquidated, the model refuses with {quote.Error}");
            return new LiquidationResult(null, BigInteger.Zero);
        }

        // underlying moves exactly by the quoted amounts; aToken and debt-token balances are scaled.rayMul(index), so
        // their deltas are those of the scaled amounts the model moves (equal to the quote while the index is 1e27).
        var liquidatorAfter = await BalancesAsync(tokens, Liquidator);
        var cIndex = m.Reserves[c].LiquidityIndex;
        var expectedDelta = new BigInteger[3];
        expectedDelta[1] -= quote.DebtRepaid;
        if (receive)
        {
            var scaled = liquidatorScaledBefore + WadRayMath.RayDiv(quote.CollateralToLiquidator, cIndex);
            expectedDelta[2] = WadRayMath.RayMul(scaled, cIndex) - WadRayMath.RayMul(liquidatorScaledBefore, cIndex);
        }
        else
        {
            expectedDelta[0] += quote.CollateralToLiquidator;
        }

        for (var i = 0; i < 3; i++)
        {
            // when collateral and debt are one asset, tokens[0] and tokens[1] are the same contract: both deltas apply.
            var want = c == d && i < 2 ? expectedDelta[0] + expectedDelta[1] : expectedDelta[i];
            Check(mismatches, liquidatorAfter[i] - liquidatorBefore[i] == want, $"{where}: liquidator's {tokens[i].Name} moved by {liquidatorAfter[i] - liquidatorBefore[i]}, model {want} (quote {quote})");
        }

        var fee = await cAsset.AToken.CallUIntAsync("balanceOf", W.Treasury) - treasuryBefore;
        var treasuryScaled = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", W.Treasury);
        var wantFee = WadRayMath.RayMul(treasuryScaled, cIndex) - WadRayMath.RayMul(treasuryScaled - WadRayMath.RayDiv(quote.ProtocolFee, cIndex), cIndex);
        Check(mismatches, fee == wantFee && (quote.ProtocolFee.IsZero || treasuryScaled - treasuryScaledBefore == WadRayMath.RayDiv(quote.ProtocolFee, cIndex)),
            $"{where}: treasury got {fee} a{cAsset.Symbol} ({treasuryScaled - treasuryScaledBefore} scaled), model fee {quote.ProtocolFee}");
        var debtAfter = await dAsset.VariableDebt.CallUIntAsync("balanceOf", user);
        Check(mismatches, userDebtBefore == account.VariableDebtBalance(m, d) && debtAfter == expected.VariableDebtBalance(m, d),
            $"{where}: user's debt {userDebtBefore} -> {debtAfter}, model {account.VariableDebtBalance(m, d)} -> {expected.VariableDebtBalance(m, d)} (repaid {quote.DebtRepaid})");
        var collateralAfter = await cAsset.AToken.CallUIntAsync("balanceOf", user);
        Check(mismatches, userCollateralBefore == account.CollateralBalance(m, c) && collateralAfter == expected.CollateralBalance(m, c),
            $"{where}: user's a{cAsset.Symbol} {userCollateralBefore} -> {collateralAfter}, model {account.CollateralBalance(m, c)} -> {expected.CollateralBalance(m, c)} (seized {quote.CollateralSeized})");

        var after = await W.AccountAsync(user);
        for (var i = 0; i < m.Reserves.Count; i++)
        {
            Check(mismatches, after.ScaledCollateral[i] == expected.ScaledCollateral[i] && after.ScaledDebt[i] == expected.ScaledDebt[i] && after.CollateralDisabled[i] == expected.CollateralDisabled[i],
                $"{where}: reserve {i} after: pool scaled {after.ScaledCollateral[i]}/{after.ScaledDebt[i]} disabled {after.CollateralDisabled[i]}, model {expected.ScaledCollateral[i]}/{expected.ScaledDebt[i]} disabled {expected.CollateralDisabled[i]}");
        }

        var chainAfter = await W.AccountDataAsync(user);
        var modelAfter = AaveV3Accounting.CalculateUserAccountData(m, expected, o);
        Check(mismatches, chainAfter == modelAfter, $"{where}: account data after: pool {chainAfter}, model {modelAfter}");
        return new LiquidationResult(quote, chainAfter.HealthFactor);
    }

    private static async Task<BigInteger[]> BalancesAsync(IReadOnlyList<Ethereum.Client.Contract> tokens, Address holder)
    {
        var balances = new BigInteger[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            balances[i] = await tokens[i].CallUIntAsync("balanceOf", holder);
        }

        return balances;
    }

    /// <summary>Aave's Errors.sol codes of the requires liquidationCall can hit; anything else is a mismatch by itself.</summary>
    private static LiquidationError? Map(string reason) => reason switch
    {
        "25" => LiquidationError.InvalidAmount,
        "27" => LiquidationError.ReserveInactive,
        "29" => LiquidationError.ReservePaused,
        "45" => LiquidationError.HealthFactorNotBelowThreshold,
        "46" => LiquidationError.CollateralCannotBeLiquidated,
        "47" => LiquidationError.SpecifiedCurrencyNotBorrowedByUser,
        _ => null,
    };

    private static void Check(List<string> mismatches, bool ok, string what)
    {
        if (!ok)
        {
            mismatches.Add(what);
        }
    }

    /// <summary>A USD price with 8 decimals, uniform in [lo, hi), all digits random.</summary>
    private static BigInteger Price(Random random, double lo, double hi) => new((lo + ((hi - lo) * random.NextDouble())) * 1e8);
}
