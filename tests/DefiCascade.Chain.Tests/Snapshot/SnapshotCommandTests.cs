using System.Numerics;
using System.Text.Json;
using DefiCascade.Chain.Testing;
using DefiCascade.Cli;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Lending.AaveV3;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests.Snapshot;

/// <summary>
/// `defi-cascade snapshot` against the 2,000-borrower Aave crowd, two Morpho Blue markets and three Uniswap pools on
/// anvil: every balance, parameter and health factor in the file equals what the contracts answer at the pinned block,
/// the pools' books equal what was minted, and `simulate` runs on the file as it runs on the embedded market.
/// </summary>
public sealed class SnapshotCommandTests(AaveCrowdFixture fixture, ITestOutputHelper output) : IClassFixture<AaveCrowdFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defi-cascade-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Snapshot_of_the_crowd_equals_the_contracts_and_simulate_runs_on_it()
    {
        var eth = fixture.Node.Eth;
        var world = await SnapshotWorld.BuildAsync(fixture.Node, fixture.World, fixture.Accounts);
        var block = await eth.GetBlockNumberAsync();
        var outFile = Path.Combine(_dir, "snapshot.json");

        var (code, stdout, stderr) = Cli(
            "snapshot", "--rpc-url", fixture.Node.Url.ToString(), "--block", block.ToString(), "--aave-provider", world.Provider.Hex, "--aave-name", "crowd",
            "--morpho", world.Morpho.Morpho.Address.Hex, "--morpho-from-block", world.MorphoFromBlock.ToString(),
            "--pool", world.WethUsdc.Pool.Address.Hex, "--pool", world.WbtcUsdc.Pool.Address.Hex, "--pool", world.DaiUsdc.Pair.Address.Hex,
            "--out", outFile, "--json");
        output.WriteLine(stderr);
        Assert.True(code == 0, stderr);
        Assert.False(File.Exists(outFile + ".checkpoint.json"));
        using var report = JsonDocument.Parse(stdout);
        output.WriteLine(stdout);
        var snapshot = SnapshotJson.Parse(File.ReadAllText(outFile), outFile);

        Assert.Equal(((long)block, 31337L, "chain"), (snapshot.BlockNumber, snapshot.ChainId, snapshot.Origin.Kind));
        var aave = Assert.Single(snapshot.AaveV3Markets);
        var borrowers = fixture.Crowd.Users.Where(u => u.IsBorrower).Select(u => u.Address).ToHashSet();
        // every crowd borrower, plus the base world's own borrower (its year of accrued interest), found from Borrow events.
        Assert.True(borrowers.IsSubsetOf(aave.Positions.Select(p => p.User)), "a crowd borrower is missing");
        Assert.Equal(borrowers.Count + 1, aave.Positions.Count);
        var aaveReport = report.RootElement.GetProperty("aave");
        Assert.Equal(aave.Positions.Count, aaveReport.GetProperty("usersWithDebt").GetInt32());
        Assert.Equal(aave.Positions.Count, aaveReport.GetProperty("healthFactorsCrossChecked").GetInt32());
        // all the debt is captured: what remains is rounding (each balance rayMul'd on its own vs the token's total,
        // floored to the base currency per user): below a billionth of the total.
        var borrowed = BigInteger.Parse(aaveReport.GetProperty("borrowedBase").GetString()!);
        var captured = BigInteger.Parse(aaveReport.GetProperty("debtCapturedBase").GetString()!);
        Assert.InRange(borrowed - captured, BigInteger.Zero, borrowed / 1_000_000_000);
        // Multicall3 batches ~16,000 reads into a few dozen round trips.
        Assert.True(report.RootElement.GetProperty("multicall").GetBoolean());
        Assert.InRange(report.RootElement.GetProperty("rpcRoundTrips").GetInt64(), 5, 200);

        await AssertAaveEqualsChainAsync(eth, world, snapshot, aave, block);
        await AssertPoolsEqualChainAsync(world, snapshot, block);
        AssertMorphoEqualsChain(world, snapshot);

        // the same snapshot recorded, then replayed with no node at all: byte for byte the same file.
        string[] selectors =
        [
            "snapshot", "--block", block.ToString(), "--aave-provider", world.Provider.Hex, "--aave-name", "crowd",
            "--morpho", world.Morpho.Morpho.Address.Hex, "--morpho-from-block", world.MorphoFromBlock.ToString(),
            "--pool", world.WethUsdc.Pool.Address.Hex, "--pool", world.WbtcUsdc.Pool.Address.Hex, "--pool", world.DaiUsdc.Pair.Address.Hex,
        ];
        var recording = Path.Combine(_dir, "rpc.jsonl");
        var (recordCode, _, recordErr) = Cli([.. selectors, "--rpc-url", fixture.Node.Url.ToString(), "--record", recording, "--out", Path.Combine(_dir, "recorded.json")]);
        Assert.True(recordCode == 0, recordErr);
        var (replayCode, _, replayErr) = Cli([.. selectors, "--replay", recording, "--out", Path.Combine(_dir, "replayed.json")]);
        Assert.True(replayCode == 0, replayErr);
        Assert.Equal(File.ReadAllText(outFile), File.ReadAllText(Path.Combine(_dir, "recorded.json")));
        Assert.Equal(File.ReadAllText(outFile), File.ReadAllText(Path.Combine(_dir, "replayed.json")));
        Assert.DoesNotContain(fixture.Node.Url.Authority, File.ReadAllText(recording), StringComparison.Ordinal);

        var simOut = Path.Combine(_dir, "sim");
        var (simCode, simStdout, simStderr) = Cli("simulate", "--snapshot", outFile, "--out", simOut, "--json");
        Assert.True(simCode == 0, simStderr);
        using var result = JsonDocument.Parse(simStdout);
        output.WriteLine(simStdout.Length > 2_000 ? simStdout[..2_000] : simStdout);
        Assert.True(File.Exists(Path.Combine(simOut, "result.json")));
    }

    private static async Task AssertAaveEqualsChainAsync(EthClient eth, SnapshotWorld world, MarketSnapshot snapshot, AaveV3MarketSnapshot aave, ulong block)
    {
        var pool = world.Aave.Pool;
        var caller = new Multicall3Caller(eth.Rpc);
        var assets = world.Aave.Assets;
        var calls = new List<EthCall>();
        foreach (var p in aave.Positions)
        {
            calls.Add(new EthCall(pool.Address, pool.Abi.Function("getUserAccountData").EncodeCall(p.User)));
            foreach (var a in assets)
            {
                calls.Add(new EthCall(a.AToken.Address, a.AToken.Abi.Function("balanceOf").EncodeCall(p.User)));
                calls.Add(new EthCall(a.VariableDebt.Address, a.VariableDebt.Abi.Function("balanceOf").EncodeCall(p.User)));
            }
        }

        var results = await caller.CallAsync(calls, block);
        var tokens = snapshot.Tokens.ToDictionary(t => t.Symbol, t => t.ToToken());
        var market = AaveV3Market.FromSnapshot(aave, s => tokens[s]);
        var oracle = new ArrayPriceOracle(market.Reserves.Select(r => snapshot.Oracles.Single(o => o.Asset == r.Token.Symbol).Answer).ToArray());
        var k = 0;
        var mismatches = new List<string>();
        foreach (var p in aave.Positions)
        {
            var data = pool.Abi.Function("getUserAccountData").DecodeOutput(results[k++].ReturnData).Cast<BigInteger>().ToArray();
            var model = AaveV3Accounting.CalculateUserAccountData(market, AaveAccount.FromSnapshot(p, market), oracle);
            if (model.HealthFactor != data[5] || model.TotalCollateralBase != data[0] || model.TotalDebtBase != data[1])
            {
                mismatches.Add($"{p.User.Hex}: model HF {model.HealthFactor} vs chain {data[5]}");
            }

            foreach (var a in assets)
            {
                var aBalance = (BigInteger)a.AToken.Abi.Function("balanceOf").DecodeOutput(results[k++].ReturnData)[0];
                var debt = (BigInteger)a.VariableDebt.Abi.Function("balanceOf").DecodeOutput(results[k++].ReturnData)[0];
                var snapCollateral = p.Collateral.SingleOrDefault(c => c.Asset == a.Symbol)?.Amount ?? BigInteger.Zero;
                var snapDebt = p.Debt.SingleOrDefault(d => d.Asset == a.Symbol)?.Amount ?? BigInteger.Zero;
                // the crowd uses every supplied reserve as collateral, so the aToken balance is the collateral.
                if (aBalance != snapCollateral || debt != snapDebt)
                {
                    mismatches.Add($"{p.User.Hex} {a.Symbol}: snapshot {snapCollateral}/{snapDebt}, chain {aBalance}/{debt}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(20)));

        var dataProvider = world.Aave.DataProvider;
        foreach (var a in assets)
        {
            var r = aave.Reserves.Single(x => x.Asset == a.Symbol);
            var c = (await dataProvider.CallAtAsync(BlockParameter.At(block), "getReserveConfigurationData", a.Token.Address)).Select(Convert.ToString).ToArray();
            Assert.Equal(
                new[] { a.Decimals.ToString(), r.LtvBps.ToString(), r.LiquidationThresholdBps.ToString(), r.LiquidationBonusBps.ToString(), r.ReserveFactorBps.ToString(), r.UsageAsCollateralEnabled.ToString(), r.BorrowingEnabled.ToString(), "False", r.Active.ToString(), r.Frozen.ToString() },
                c);
            Assert.Equal(await world.Aave.Oracle.CallUIntAsync("getAssetPrice", a.Token.Address), snapshot.Oracles.Single(o => o.Asset == a.Symbol).Answer);
        }
    }

    private static async Task AssertPoolsEqualChainAsync(SnapshotWorld world, MarketSnapshot snapshot, ulong block)
    {
        foreach (var (pool, minted) in new[] { (world.WethUsdc, world.WethUsdcTicks), (world.WbtcUsdc, world.WbtcUsdcTicks) })
        {
            var v3 = Assert.IsType<UniswapV3PoolSnapshot>(snapshot.Pools.Single(p => p.Address == pool.Pool.Address));
            Assert.Equal(await V3World.TicksAsync(pool, minted), v3.Ticks);
            Assert.Equal(minted.Count, v3.Ticks.Count);
            var slot = await V3World.SlotAsync(pool);
            Assert.Equal((slot.SqrtPriceX96, slot.Tick, slot.Liquidity), (v3.SqrtPriceX96, v3.Tick, v3.Liquidity));
        }

        var v2 = Assert.IsType<UniswapV2PoolSnapshot>(snapshot.Pools.Single(p => p.Address == world.DaiUsdc.Pair.Address));
        Assert.Equal(await V2World.ReservesAsync(world.DaiUsdc), (v2.Reserve0, v2.Reserve1));
        Assert.Equal(block, (ulong)snapshot.BlockNumber);
    }

    private static void AssertMorphoEqualsChain(SnapshotWorld world, MarketSnapshot snapshot)
    {
        Assert.Equal(world.MorphoMarkets.Select(m => m.Params.Id).Order(StringComparer.Ordinal), snapshot.MorphoBlueMarkets.Select(m => m.Id));
        Assert.All(snapshot.MorphoBlueMarkets, m => Assert.Equal(12, m.Positions.Count(p => p.BorrowShares > 0)));
        Assert.All(snapshot.MorphoBlueMarkets, m => Assert.Equal(m.TotalBorrowShares, m.Positions.Aggregate(BigInteger.Zero, (s, p) => s + p.BorrowShares)));
    }

    private static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
