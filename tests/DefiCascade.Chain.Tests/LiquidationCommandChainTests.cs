using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Chain.Testing;
using DefiCascade.Cli;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.AaveV3;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <c>defi-cascade liquidation</c> against the real Pool: each answer is read at the current block, then the same
/// liquidationCall is sent from the funded liquidator and mined in the next block. The liquidator's and treasury's
/// balance deltas must equal the answer's amounts to the wei, getUserAccountData after must equal healthFactorAfter,
/// and every refusal must be a revert with the predicted error code (and every revert a predicted refusal). The world's
/// rate strategy is all zero after its year of accrual, so the indexes of block N are those of block N + 1.
/// </summary>
[Collection(AaveWorldCollection.Name)]
public sealed class LiquidationCommandChainTests(AaveWorldFixture fixture, ITestOutputHelper output)
{
    private const int DefaultSeed = 20260517;
    private const int Borrowers = 40;
    private const int Phases = 4;
    private const int CasesPerPhase = 45;
    private const int MinCases = 150;
    private const string Secret = "liquidation-secret-77";
    private static readonly BigInteger E8 = BigInteger.Pow(10, 8);

    private AaveWorld W => fixture.World;

    private Address Liquidator => fixture.Accounts[2];

    private string Url => $"{fixture.Node.Url.GetLeftPart(UriPartial.Authority)}/?apikey={Secret}";

    [Fact]
    public async Task Answers_equal_liquidationCall_in_the_next_block_over_150_plus_seeded_random_cases()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEFICASCADE_CHAIN_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"seed {seed} (set DEFICASCADE_CHAIN_SEED to replay another)");
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var prices = new[] { Price(random, 0.98, 1.02), Price(random, 20_000, 80_000), Price(random, 1_000, 4_000), Price(random, 0.97, 1.03) };
        var users = new List<Address>();
        for (var k = 0; k < Borrowers; k++)
        {
            users.Add(await W.OpenAsync(AavePlan.Create(random, prices), prices));
        }

        var stats = new Stats();
        for (var phase = 0; phase < Phases; phase++)
        {
            if (phase > 0)
            {
                // push the volatile collateral down between phases: accounts healthy so far become liquidatable.
                var (wbtc, weth) = (W.IndexOf("WBTC"), W.IndexOf("WETH"));
                prices[wbtc] = prices[wbtc] * 93 / 100;
                prices[weth] = prices[weth] * 93 / 100;
            }

            await W.SetPricesAsync(prices);
            var market = await W.MarketAsync();
            var oracle = await W.PricesAsync();
            var accounts = new Dictionary<Address, AaveAccount>();
            foreach (var u in users)
            {
                accounts[u] = await W.AccountAsync(u);
            }

            for (var k = 0; k < CasesPerPhase; k++)
            {
                var liquidatable = users.Where(u => AaveV3Accounting.CalculateUserAccountData(market, accounts[u], oracle).Liquidatable).ToArray();
                var user = liquidatable.Length > 0 && random.NextDouble() < 0.85 ? liquidatable[random.Next(liquidatable.Length)] : users[random.Next(users.Count)];
                var (c, d, cover, receive) = Choose(random, market, accounts[user], oracle);
                var coverText = cover == UInt256.Max && random.Next(4) != 0 ? "max" : cover.ToString(CultureInfo.InvariantCulture);
                var where = $"seed {seed} phase {phase} case {k}: user {user.Hex}, collateral {market.Reserves[c].Token.Symbol}, debt {market.Reserves[d].Token.Symbol}, "
                    + $"--debt-to-cover {coverText}{(receive ? " --receive-atoken" : string.Empty)}";
                await CaseAsync(market, user, c, d, coverText, receive, accounts[user].EMode != 0, table: stats.Cases < 3, stats, where);
                accounts[user] = await W.AccountAsync(user);
            }
        }

        var summary = $"liquidation command: {stats.Cases} cases, {stats.Ok} ok, {stats.Cases - stats.Ok} refused, {stats.Mismatches.Count} mismatches (seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s)";
        output.WriteLine(summary);
        output.WriteLine($"  refused by reason: {string.Join(", ", stats.Reasons.Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"  of the ok: {stats.CapBinding} with the collateral cap binding, {stats.FullClose} at the 100% close factor, "
            + $"{stats.Received} receiving aTokens, {stats.Max} with --debt-to-cover max, {stats.EMode} of e-mode users");
        Assert.True(stats.Mismatches.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, stats.Mismatches.Take(10)));
        Assert.True(stats.Cases >= MinCases, summary);
        Assert.True(stats.Ok >= MinCases / 2 && stats.CapBinding > 0 && stats.FullClose > 0 && stats.Received > 0 && stats.Max > 0 && stats.EMode > 0, summary);
        Assert.True(stats.Reasons.ContainsKey("45") && stats.Reasons.Count >= 2, summary);
    }

    private sealed class Stats
    {
        public int Cases { get; set; }

        public int Ok { get; set; }

        public int CapBinding { get; set; }

        public int FullClose { get; set; }

        public int Received { get; set; }

        public int Max { get; set; }

        public int EMode { get; set; }

        public SortedDictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);

        public List<string> Mismatches { get; } = [];

        public void Check(bool ok, string what)
        {
            if (!ok)
            {
                Mismatches.Add(what);
            }
        }
    }

    /// <summary>One answer in block N against the liquidationCall mined in block N + 1.</summary>
    private async Task CaseAsync(AaveV3Market m, Address user, int c, int d, string cover, bool receive, bool eMode, bool table, Stats stats, string where)
    {
        stats.Cases++;
        var block = await W.Eth.GetBlockNumberAsync();
        var (cAsset, dAsset) = (W.Assets[c], W.Assets[d]);
        var args = new List<string>
        {
            "liquidation", "--rpc-url", Url, "--block", block.ToString(CultureInfo.InvariantCulture), "--pool", W.Pool.Address.Hex, "--user", user.Hex,
            "--collateral", cAsset.Token.Address.Hex, "--debt", dAsset.Token.Address.Hex, "--debt-to-cover", cover,
        };
        if (receive)
        {
            args.Add("--receive-atoken");
        }

        var (exit, stdout, stderr) = Run([.. args, "--json"]);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
        if (exit is not (0 or 1))
        {
            stats.Check(false, $"{where}: exit {exit}: {stderr}");
            return;
        }

        if (table)
        {
            // the table form answers the same way and says which block's state the answer is for.
            var (tableExit, tableOut, tableErr) = Run([.. args]);
            Assert.DoesNotContain(Secret, tableOut + tableErr, StringComparison.Ordinal);
            stats.Check(tableExit == exit && tableOut.Contains("Health factor before", StringComparison.Ordinal)
                && tableOut.Contains(block.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                && tableOut.Contains("that block's state", StringComparison.Ordinal), $"{where}: table form exit {tableExit}: {tableOut}{tableErr}");
        }

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var ok = root.GetProperty("ok").GetBoolean();
        stats.Check(ok == (exit == 0) && root.GetProperty("block").GetString() == block.ToString(CultureInfo.InvariantCulture), $"{where}: exit {exit}, json {stdout}");
        var before = await W.AccountDataAsync(user);
        stats.Check(Big(root, "healthFactorBefore") == before.HealthFactor, $"{where}: healthFactorBefore {Big(root, "healthFactorBefore")}, pool {before.HealthFactor}");

        var cIndex = m.Reserves[c].LiquidityIndex;
        var liquidatorCollateral = await cAsset.Token.CallUIntAsync("balanceOf", Liquidator);
        var liquidatorDebtAsset = await dAsset.Token.CallUIntAsync("balanceOf", Liquidator);
        var liquidatorATokens = await cAsset.AToken.CallUIntAsync("balanceOf", Liquidator);
        var liquidatorScaled = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", Liquidator);
        var treasury = await cAsset.AToken.CallUIntAsync("balanceOf", W.Treasury);
        var treasuryScaled = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", W.Treasury);
        var userScaled = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", user);

        var onChainCover = cover == "max" ? UInt256.Max : BigInteger.Parse(cover, NumberStyles.None, CultureInfo.InvariantCulture);
        var reason = await W.LiquidateAsync(Liquidator, c, d, user, onChainCover, receive);
        stats.Check(await W.Eth.GetBlockNumberAsync() == block + 1, $"{where}: liquidationCall was not mined in block {block + 1}");
        if (reason is not null || !ok)
        {
            var predicted = ok ? "none" : root.GetProperty("errorCode").GetString();
            stats.Check(reason == predicted, $"{where}: the pool {(reason is null ? "liquidated" : $"reverted with '{reason}'")}, the command predicted {predicted}: {stdout}");
            stats.Reasons[reason ?? "mismatch"] = stats.Reasons.GetValueOrDefault(reason ?? "mismatch") + 1;
            stats.Check(ok || !root.TryGetProperty("debtRepaid", out _), $"{where}: a refusal carries amounts: {stdout}");
            return;
        }

        stats.Ok++;
        var repaid = Big(root, "debtRepaid");
        var toLiquidator = Big(root, "collateralToLiquidator");
        var fee = Big(root, "protocolFee");
        stats.Check(Big(root, "collateralSeized") == toLiquidator + fee, $"{where}: collateralSeized is not collateralToLiquidator + protocolFee: {stdout}");

        // the underlying moves by the amounts; aToken balances are scaled.rayMul(index), so their deltas follow the scaled moves.
        var wantCollateral = receive ? BigInteger.Zero : toLiquidator;
        var gotCollateral = await cAsset.Token.CallUIntAsync("balanceOf", Liquidator) - liquidatorCollateral;
        var gotDebtAsset = await dAsset.Token.CallUIntAsync("balanceOf", Liquidator) - liquidatorDebtAsset;
        if (c == d)
        {
            stats.Check(gotCollateral == wantCollateral - repaid, $"{where}: liquidator's {cAsset.Symbol} moved by {gotCollateral}, answer {wantCollateral - repaid}: {stdout}");
        }
        else
        {
            stats.Check(gotDebtAsset == -repaid, $"{where}: liquidator spent {-gotDebtAsset} {dAsset.Symbol}, answer debtRepaid {repaid}: {stdout}");
            stats.Check(gotCollateral == wantCollateral, $"{where}: liquidator got {gotCollateral} {cAsset.Symbol}, answer {wantCollateral}: {stdout}");
        }

        var scaledIn = receive ? WadRayMath.RayDiv(toLiquidator, cIndex) : BigInteger.Zero;
        var gotATokens = await cAsset.AToken.CallUIntAsync("balanceOf", Liquidator) - liquidatorATokens;
        var wantATokens = WadRayMath.RayMul(liquidatorScaled + scaledIn, cIndex) - WadRayMath.RayMul(liquidatorScaled, cIndex);
        var gotScaled = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", Liquidator) - liquidatorScaled;
        stats.Check(gotATokens == wantATokens && gotScaled == scaledIn, $"{where}: liquidator got {gotATokens} a{cAsset.Symbol} ({gotScaled} scaled), answer {wantATokens} ({scaledIn} scaled): {stdout}");

        var scaledFee = WadRayMath.RayDiv(fee, cIndex);
        var treasuryScaledAfter = await cAsset.AToken.CallUIntAsync("scaledBalanceOf", W.Treasury);
        var gotFee = await cAsset.AToken.CallUIntAsync("balanceOf", W.Treasury) - treasury;
        var wantFee = WadRayMath.RayMul(treasuryScaled + scaledFee, cIndex) - WadRayMath.RayMul(treasuryScaled, cIndex);
        stats.Check(gotFee == wantFee && treasuryScaledAfter - treasuryScaled == scaledFee, $"{where}: treasury got {gotFee} a{cAsset.Symbol} ({treasuryScaledAfter - treasuryScaled} scaled), answer fee {fee}: {stdout}");

        var userLost = userScaled - await cAsset.AToken.CallUIntAsync("scaledBalanceOf", user);
        stats.Check(userLost == WadRayMath.RayDiv(toLiquidator, cIndex) + scaledFee, $"{where}: user lost {userLost} scaled a{cAsset.Symbol}, answer {toLiquidator} + {fee}: {stdout}");

        var after = await W.AccountDataAsync(user);
        stats.Check(Big(root, "healthFactorAfter") == after.HealthFactor, $"{where}: healthFactorAfter {Big(root, "healthFactorAfter")}, pool {after.HealthFactor}");

        stats.CapBinding += root.GetProperty("collateralCapBinding").GetBoolean() ? 1 : 0;
        stats.FullClose += root.GetProperty("closeFactorBps").GetInt32() == AaveV3Version.MaxLiquidationCloseFactorBps ? 1 : 0;
        stats.Received += receive ? 1 : 0;
        stats.Max += cover == "max" ? 1 : 0;
        stats.EMode += eMode ? 1 : 0;
    }

    /// <summary>Mostly the user's own collateral and debt (now and then another reserve, for refusals 46 and 47); amounts around the close factor's maximum.</summary>
    private static (int Collateral, int Debt, BigInteger Cover, bool Receive) Choose(Random random, AaveV3Market m, AaveAccount a, IAavePriceOracle o)
    {
        var n = m.Reserves.Count;
        var collaterals = Enumerable.Range(0, n).Where(a.IsUsingAsCollateral).ToArray();
        var debts = Enumerable.Range(0, n).Where(a.IsBorrowing).ToArray();
        var c = collaterals.Length > 0 && random.NextDouble() < 0.92 ? collaterals[random.Next(collaterals.Length)] : random.Next(n);
        var d = debts.Length > 0 && random.NextDouble() < 0.92 ? debts[random.Next(debts.Length)] : random.Next(n);
        var max = AaveV3Liquidation.Quote(m, a, o, new LiquidationRequest(c, d, UInt256.Max)).MaxLiquidatableDebt;
        var cover = random.NextDouble() switch
        {
            < 0.35 => UInt256.Max,
            < 0.60 => BigInteger.Max(BigInteger.One, max * random.Next(1, 1_000_000) / 1_000_000),
            < 0.80 => max + 1 + (a.DebtBalance(m, d) * random.Next(0, 2_000_000) / 1_000_000),
            < 0.93 => BigInteger.Max(BigInteger.One, max),
            _ => random.Next(1, 1_000),
        };
        return (c, d, cover, random.Next(2) == 0);
    }

    private static (int Exit, string Out, string Err) Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static BigInteger Big(JsonElement root, string name) =>
        BigInteger.Parse(root.GetProperty(name).GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A USD price with 8 decimals, uniform in [lo, hi), all digits random.</summary>
    private static BigInteger Price(Random random, double lo, double hi) => new((lo + ((hi - lo) * random.NextDouble())) * (double)E8);
}
