using System.Numerics;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Math;
using DefiCascade.Ethereum.Calls;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// The CI crowd (<see cref="AaveCrowdSpec.Ci"/>, 2,000 accounts) is built once and every account is read back from the
/// pool: each one must be exactly what the planner intended, valued at the crowd's prices.
/// </summary>
public sealed class AaveCrowdTests(AaveCrowdFixture fixture, ITestOutputHelper output) : IClassFixture<AaveCrowdFixture>
{
    private static readonly BigInteger Wad = BigInteger.Pow(10, 18);

    [Fact]
    public async Task Every_one_of_the_2000_accounts_has_its_planned_collateral_debt_e_mode_and_health_factor()
    {
        var crowd = fixture.Crowd;
        output.WriteLine(
            $"crowd of {crowd.Users.Count} ({crowd.Borrowers} borrowers): {crowd.Transactions} transactions in {crowd.Blocks} blocks, "
            + $"{crowd.GasUsed} gas, built in {crowd.BuildTime.TotalSeconds:0.0} s (saving {crowd.SaveTime.TotalSeconds:0.0} s), state {crowd.StateBytes / 1024} KiB");
        foreach (var p in crowd.Phases)
        {
            output.WriteLine($"  {p.Name}: {p.Transactions} transactions in {p.Blocks} blocks; send {p.Send.TotalSeconds:0.00} s, mine {p.Mine.TotalSeconds:0.00} s, receipts {p.CheckReceipts.TotalSeconds:0.00} s");
        }

        Assert.Equal(2_000, crowd.Users.Count);

        var pool = fixture.World.Pool;
        var accountData = pool.Abi.Function("getUserAccountData");
        var userEMode = pool.Abi.Function("getUserEMode");
        var calls = crowd.Users.SelectMany(u => new[]
        {
            new EthCall(pool.Address, accountData.EncodeCall(u.Address)),
            new EthCall(pool.Address, userEMode.EncodeCall(u.Address)),
        }).ToArray();
        var head = await fixture.Node.Eth.GetBlockNumberAsync();
        var results = await new RpcBatchCaller(fixture.Node.Eth.Rpc, 500).CallAsync(calls, head);

        var mismatches = new List<string>();
        for (var i = 0; i < crowd.Users.Count; i++)
        {
            var u = crowd.Users[i];
            Assert.True(results[2 * i].Success && results[(2 * i) + 1].Success, $"user #{i}: a read reverted");
            var d = accountData.DecodeOutput(results[2 * i].ReturnData).Cast<BigInteger>().ToArray();
            var (collateral, debt, lt, hf) = (d[0], d[1], d[3], d[5]);
            var eMode = (int)(BigInteger)userEMode.DecodeOutput(results[(2 * i) + 1].ReturnData)[0];
            var plan = AaveCrowdPlanner.Value(u, crowd.Prices);

            // balances come back through rayDiv / rayMul by the liquidity and borrow indexes: one base unit either way per reserve.
            if (BigInteger.Abs(collateral - plan.Collateral) > Slack(u.Collateral, crowd))
            {
                mismatches.Add($"#{i}: collateral {collateral}, planned {plan.Collateral}");
            }

            if (BigInteger.Abs(debt - plan.Debt) > Slack(u.Debt, crowd))
            {
                mismatches.Add($"#{i}: debt {debt}, planned {plan.Debt}");
            }

            if (eMode != u.EMode)
            {
                mismatches.Add($"#{i}: e-mode {eMode}, planned {u.EMode}");
            }

            if (!u.IsBorrower)
            {
                if (!debt.IsZero || hf != UInt256.Max)
                {
                    mismatches.Add($"#{i}: a supplier with debt {debt}, health factor {hf}");
                }

                continue;
            }

            // the pool averages the thresholds to whole basis points, rounding down, then takes
            // collateral.percentMul(average).wadDiv(debt), both rounding half up (GenericLogic.calculateUserAccountData).
            var plannedLt = plan.Weighted / plan.Collateral;
            var plannedHf = ((((plan.Collateral * plannedLt) + 5_000) / 10_000 * Wad) + (plan.Debt / 2)) / plan.Debt;
            var healthFactor = (double)hf / (double)Wad;
            var rounding = ((double)Slack(u.Debt, crowd) / (double)plan.Debt) + ((double)Slack(u.Collateral, crowd) / (double)plan.Collateral);
            if (debt.IsZero || hf <= Wad || lt != plannedLt || Math.Abs(((double)hf / (double)plannedHf) - 1) > rounding
                || Math.Abs((healthFactor / u.TargetHealthFactor) - 1) > 2e-4)
            {
                mismatches.Add($"#{i}: debt {debt} (planned {plan.Debt}), collateral {collateral} (planned {plan.Collateral}), threshold {lt} (planned {plannedLt}), "
                    + $"health factor {hf} (planned {plannedHf}), target {u.TargetHealthFactor:0.000000}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first: {string.Join("; ", mismatches.Take(10))}");
    }

    [Fact]
    public void The_ci_crowd_mixes_reserves_sizes_e_mode_and_health_factors_like_a_real_book()
    {
        var users = AaveCrowdPlanner.Plan(AaveCrowdSpec.Ci, AaveCrowd.Prices);
        var borrowers = users.Where(u => u.IsBorrower).ToArray();
        var hfs = borrowers.Select(u => u.TargetHealthFactor).ToArray();
        var usd = users.SelectMany(u => u.Collateral.Select(c => (double)AaveCrowdPlanner.Value(u with { Collateral = [c], Debt = [] }, AaveCrowd.Prices).Collateral / 1e8)).ToArray();
        output.WriteLine(
            $"{users.Count} users: {borrowers.Length} borrowers, {users.Count(u => u.EMode != 0)} in e-mode, HF {hfs.Min():0.000}..{hfs.Max():0.000}, "
            + $"{hfs.Count(h => h < 1.1)} below 1.1, collateral ${usd.Min():0}..${usd.Max():0} per reserve");

        Assert.InRange(users.Count(u => !u.IsBorrower), 160, 320);
        Assert.InRange(users.Count(u => u.EMode != 0), 300, 500);
        Assert.InRange(borrowers.Count(u => u.Collateral.Count > 1), 500, 1_100);
        Assert.InRange(borrowers.Count(u => u.Debt.Count == 2), 350, 700);
        Assert.InRange(hfs.Count(h => h < 1.1), 80, 200);
        Assert.True(hfs.Min() >= 1.02 && hfs.Max() <= 3.0, "targets outside 1.02..3");
        Assert.InRange(usd.Min(), 40, 100);
        Assert.True(usd.Max() > 1e6, $"no whale: the biggest collateral is ${usd.Max():0}");

        for (var a = 0; a < AaveWorld.Config.Length; a++)
        {
            Assert.Contains(users, u => u.Collateral.Any(c => c.Asset == a));
            Assert.Contains(users, u => u.Debt.Any(d => d.Asset == a));
        }

        // e-mode borrowers owe only the category's assets: the pool refuses anything else.
        Assert.All(borrowers.Where(u => u.EMode != 0).SelectMany(u => u.Debt), d => Assert.Equal(AaveWorld.EModeId, AaveWorld.Config[d.Asset].EMode));
        Assert.Contains(borrowers, u => u.EMode != 0 && u.Collateral.Any(c => AaveWorld.Config[c.Asset].EMode == 0));
    }

    [Fact]
    public void The_same_seed_draws_the_same_crowd_and_another_seed_a_different_one()
    {
        var spec = new AaveCrowdSpec(300, 7);
        var a = AaveCrowdPlanner.Plan(spec, AaveCrowd.Prices);
        var b = AaveCrowdPlanner.Plan(spec, AaveCrowd.Prices);
        var c = AaveCrowdPlanner.Plan(spec with { Seed = 8 }, AaveCrowd.Prices);
        Assert.Equal(Describe(a), Describe(b));
        Assert.NotEqual(Describe(a), Describe(c));
        Assert.Equal(a.Select(u => u.Address), c.Select(u => u.Address));
    }

    private static string Describe(IReadOnlyList<AaveCrowdUser> users) =>
        string.Join("\n", users.Select(u => $"{u.Address} {u.EMode} {u.TargetHealthFactor:R} {string.Join(",", u.Collateral)} / {string.Join(",", u.Debt)}"));

    /// <summary>One token base unit's worth in the base currency, rounded up, plus one, per reserve held.</summary>
    private static BigInteger Slack(IReadOnlyList<AaveCrowdPosition> positions, AaveCrowdState crowd) =>
        positions.Aggregate(BigInteger.Zero, (s, p) => s + (crowd.Prices[p.Asset] / BigInteger.Pow(10, AaveWorld.Config[p.Asset].Decimals)) + 2);
}
