using System.Diagnostics;
using System.Numerics;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Lending.AaveV3;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// AaveV3Reader on the real Aave V3 market of <see cref="AaveWorld"/> (npm @aave/core-v3 1.19.3): ~60 seeded users
/// (single and multi collateral, several debts, e-mode, a balance opted out of collateral, suppliers only, one emptied
/// account), discovered from the pool's Supply and Borrow logs and read at one pinned block. Every reserve parameter is
/// checked against the world's configuration and AaveProtocolDataProvider, every balance against the tokens' balanceOf,
/// every health factor against getUserAccountData, and the pieces must make a snapshot the schema accepts.
/// </summary>
[Collection(AaveWorldCollection.Name)]
public sealed class AaveV3AdapterTests(AaveWorldFixture fixture, ITestOutputHelper output)
{
    private const int Seed = 20260311;
    private const int Users = 60;
    private static readonly BigInteger E8 = BigInteger.Pow(10, 8);
    private static readonly BigInteger[] Prices = [E8, 50_000 * E8, 2_000 * E8, E8];

    private AaveWorld W => fixture.World;

    [Fact]
    public async Task Reader_matches_the_pool_data_provider_tokens_and_account_data_at_a_pinned_block()
    {
        for (var i = 0; i < Prices.Length; i++)
        {
            await W.SetPriceAsync(i, Prices[i]);
        }

        var firstBlock = await W.Eth.GetBlockNumberAsync() + 1;
        var clock = Stopwatch.StartNew();
        var opened = await OpenUsersAsync(new Random(Seed));
        output.WriteLine($"opened {opened.Count} users in {clock.Elapsed.TotalSeconds:0.0} s");
        var block = await W.Eth.GetBlockNumberAsync();
        var at = BlockParameter.At(block);

        var caller = new CountingCaller(new RpcBatchCaller(W.Eth.Rpc));
        var reader = new AaveV3Reader(caller, new LogScanner(W.Eth.Rpc), userChunkSize: 25);
        var provider = (Address)(await W.Pool.CallAtAsync(at, "ADDRESSES_PROVIDER"))[0];
        var market = await reader.ReadMarketAsync(provider, block);
        var marketRounds = caller.Rounds;
        // from the pool's deployment: the world's lender and any other test's accounts are found too, so the debt is covered.
        var users = await reader.DiscoverUsersAsync(market.Pool, 0, block);

        // a checkpointed discovery resumed at firstBlock with the users found before it ends with the same list.
        var before = await reader.DiscoverUsersAsync(market.Pool, 0, firstBlock - 1);
        var chunkReports = new List<ulong>();
        var resumed = await reader.DiscoverUsersAsync(
            market.Pool, firstBlock, block, (c, _, _) => { chunkReports.Add(c.ScannedThrough); return Task.CompletedTask; }, knownUsers: before);
        Assert.Equal(users, resumed);
        Assert.Equal(block, chunkReports[^1]);
        Assert.Empty(opened.Keys.Intersect(before));
        Assert.Subset(users.ToHashSet(), opened.Keys.ToHashSet());
        Assert.Contains(fixture.Accounts[3], users);

        var (callsBefore, roundsBefore) = (caller.Calls, caller.Rounds);
        var chunks = new List<AaveV3UsersChunk>();
        var positions = await reader.ReadPositionsAsync(market, users, block, (c, _) => { chunks.Add(c); return Task.CompletedTask; });
        var pieces = AaveV3SnapshotBuilder.Build(market, positions, users.Count, new AaveV3SnapshotOptions("anvil"));

        Assert.Equal(4, marketRounds);
        Assert.Equal(Enumerable.Range(0, (users.Count + 24) / 25).Select(k => k * 25), chunks.Select(c => c.FirstIndex));
        Assert.Equal(2 * chunks.Count, caller.Rounds - roundsBefore);
        await AssertMarketAsync(market, at);
        await AssertPositionsAsync(market, positions, pieces, opened, at);

        var kinds = opened.Values.GroupBy(k => k.Kind).ToDictionary(g => g.Key, g => g.Count());
        var mine = positions.Users.Where(u => opened.ContainsKey(u.User)).ToArray();
        Assert.Equal(kinds["borrower"] + kinds["opted out"], mine.Count(u => u.HasDebt));
        Assert.Equal(kinds["supplier"], mine.Count(u => !u.HasDebt && u.HasCollateral));
        Assert.Equal(kinds["emptied"], mine.Count(u => !u.HasDebt && !u.HasCollateral));
        Assert.Equal(users.Count, positions.WithDebt.Count + positions.DroppedSupplyOnly + positions.DroppedEmpty);
        Assert.Equal(positions.WithDebt.Count, pieces.CrossChecked);

        // every borrower is in the snapshot: debt captured equals the debt tokens' totalSupply up to the half-wei rounding
        // of one rayMul per account (totalSupply rounds the scaled total once); collateral, a subset of the supply, likewise.
        foreach (var r in pieces.Coverage.Reserves)
        {
            Assert.True(BigInteger.Abs(r.Borrowed - r.DebtCaptured) <= users.Count, $"{r.Asset}: debt captured {r.DebtCaptured} of {r.Borrowed}");
            Assert.True(r.CollateralCaptured <= r.Supplied + users.Count, $"{r.Asset}: collateral captured {r.CollateralCaptured} of {r.Supplied}");
        }

        var snapshot = new MarketSnapshot(
            MarketSnapshot.CurrentSchema, 31337, (long)block, 1, new SnapshotOrigin("chain", "anvil AaveWorld", pieces.CoverageText, pieces.Sources),
            pieces.Tokens, pieces.Prices, pieces.Oracles, [pieces.Market], []);
        var parsed = SnapshotJson.Parse(SnapshotJson.Serialize(snapshot), "aave-v3-adapter-test");
        Assert.Equal(pieces.Market.Positions.Count, parsed.AaveV3Markets.Single().Positions.Count);

        var positionCalls = caller.Calls - callsBefore;
        output.WriteLine($"block {block}: {users.Count} users discovered, {positions.WithDebt.Count} with debt; market {marketRounds} round trips; "
            + $"positions {positionCalls} calls in {caller.Rounds - roundsBefore} round trips ({(double)positionCalls / users.Count:0.00} calls per user)");
        output.WriteLine(pieces.CoverageText);
        output.WriteLine(pieces.Market.Version);
    }

    private async Task AssertMarketAsync(AaveV3MarketRead market, BlockParameter at)
    {
        Assert.Equal(W.Pool.Address, market.Pool);
        Assert.Equal(W.Oracle.Address, market.Oracle);
        Assert.Equal((E8, 8), (market.BaseCurrencyUnit, market.BaseCurrencyDecimals));
        Assert.Equal(AaveWorld.Config.Length, market.Reserves.Count);
        var dp = W.DataProvider;
        for (var i = 0; i < market.Reserves.Count; i++)
        {
            var (symbol, decimals, ltv, lt, bonus, fee, eMode) = AaveWorld.Config[i];
            var r = market.Reserves[i];
            var c = r.Configuration;
            var t = W.Assets[i].Token.Address;
            Assert.Equal((i, symbol, t, decimals), (r.Id, r.Token.Symbol, r.Token.Address, r.Token.Decimals));

            // what the world configured.
            Assert.Equal((ltv, lt, bonus, fee, eMode, 1000), (c.LtvBps, c.LiquidationThresholdBps, c.LiquidationBonusBps, c.LiquidationProtocolFeeBps, c.EModeCategory, c.ReserveFactorBps));
            Assert.Equal((true, false, true, false), (c.Active, c.Frozen, c.BorrowingEnabled, c.Paused));

            // what the data provider says, field by field.
            var d = await dp.CallAtAsync(at, "getReserveConfigurationData", t);
            Assert.Equal(
                ((BigInteger)d[0], (BigInteger)d[1], (BigInteger)d[2], (BigInteger)d[3], (BigInteger)d[4], (bool)d[5], (bool)d[6], (bool)d[7], (bool)d[8], (bool)d[9]),
                ((BigInteger)c.Decimals, (BigInteger)c.LtvBps, (BigInteger)c.LiquidationThresholdBps, (BigInteger)c.LiquidationBonusBps, (BigInteger)c.ReserveFactorBps,
                    c.UsageAsCollateralEnabled, c.BorrowingEnabled, c.StableBorrowingEnabled, c.Active, c.Frozen));
            var caps = await dp.CallAtAsync(at, "getReserveCaps", t);
            Assert.Equal(((BigInteger)caps[0], (BigInteger)caps[1]), (c.BorrowCap, c.SupplyCap));
            Assert.Equal(await UIntAt(dp, at, "getLiquidationProtocolFee", t), c.LiquidationProtocolFeeBps);
            Assert.Equal(await UIntAt(dp, at, "getReserveEModeCategory", t), c.EModeCategory);
            Assert.Equal(await UIntAt(dp, at, "getDebtCeiling", t), c.DebtCeiling);
            Assert.Equal(await UIntAt(dp, at, "getUnbackedMintCap", t), c.UnbackedMintCap);
            Assert.Equal((bool)(await dp.CallAtAsync(at, "getPaused", t))[0], c.Paused);
            Assert.Equal((bool)(await dp.CallAtAsync(at, "getSiloedBorrowing", t))[0], c.SiloedBorrowing);
            Assert.Equal((bool)(await dp.CallAtAsync(at, "getFlashLoanEnabled", t))[0], c.FlashLoanEnabled);

            var tokens = await dp.CallAtAsync(at, "getReserveTokensAddresses", t);
            Assert.Equal(((Address)tokens[0], (Address)tokens[1], (Address)tokens[2]), (r.AToken, r.StableDebtToken, r.VariableDebtToken));
            Assert.Equal((W.Assets[i].AToken.Address, W.Assets[i].VariableDebt.Address), (r.AToken, r.VariableDebtToken));

            // totals and indexes (the zero-rate strategy keeps the stored index equal to the normalized one).
            var data = await dp.CallAtAsync(at, "getReserveData", t);
            Assert.Equal(((BigInteger)data[2], (BigInteger)data[3], (BigInteger)data[4]), (r.ATokenTotalSupply, r.StableDebtTotalSupply, r.VariableDebtTotalSupply));
            Assert.Equal(((BigInteger)data[9], (BigInteger)data[10]), (r.NormalizedIncome, r.NormalizedVariableDebt));
            Assert.NotEqual(WadRayMath.Ray, r.NormalizedIncome);
            Assert.NotEqual(WadRayMath.Ray, r.NormalizedVariableDebt);

            // oracle: the price set on the mock aggregator, its source and what the source answers.
            Assert.Equal(Prices[i], r.Price.Price);
            Assert.Equal(W.Assets[i].Aggregator.Address, r.Price.Source);
            Assert.Equal(Prices[i], r.Price.SourceLatestAnswer);
            Assert.Equal((int)await UIntAt(W.Assets[i].Aggregator, at, "decimals"), r.Price.SourceDecimals);
            Assert.Null(r.Price.SourceRoundAnswer); // Aave's MockAggregator has no latestRoundData.
        }

        var e = Assert.Single(market.EModes);
        var (eLtv, eLt, eBonus, source, label) = AaveWorld.EMode;
        Assert.Equal(new AaveV3EModeRead(AaveWorld.EModeId, label, eLtv, eLt, eBonus, W.Assets[W.IndexOf(source)].Token.Address), e);
    }

    private async Task AssertPositionsAsync(AaveV3MarketRead market, AaveV3PositionsRead positions, AaveV3SnapshotPieces pieces, Dictionary<Address, Opened> opened, BlockParameter at)
    {
        var model = AaveV3Market.FromSnapshot(pieces.Market, s => pieces.Tokens.Single(t => t.Symbol == s).ToToken());
        var oracle = new ArrayPriceOracle([.. Prices]);
        foreach (var u in positions.Users)
        {
            var plan = opened.GetValueOrDefault(u.User);
            if (plan is not null)
            {
                Assert.Equal(plan.EMode, u.EMode);
            }

            var position = pieces.Market.Positions.SingleOrDefault(p => p.User == u.User);
            Assert.Equal(u.HasDebt, position is not null);
            var bits = (BigInteger)((object[])(await W.Pool.CallAtAsync(at, "getUserConfiguration", u.User))[0])[0];
            Assert.Equal(bits, u.Configuration.Data);
            for (var i = 0; i < market.Reserves.Count; i++)
            {
                var symbol = market.Reserves[i].Token.Symbol;
                var aBalance = await UIntAt(W.Assets[i].AToken, at, "balanceOf", u.User);
                var debt = await UIntAt(W.Assets[i].VariableDebt, at, "balanceOf", u.User);
                var read = u.Reserves.SingleOrDefault(x => x.Reserve == i);

                // collateral counts where the pool's bit 2i+1 says so (AaveWorld's reserve ids are 0..3 in list order).
                var collateral = (bits >> ((2 * i) + 1)).IsEven ? BigInteger.Zero : aBalance;
                Assert.Equal(collateral, read?.Collateral ?? BigInteger.Zero);
                Assert.Equal(debt, read?.Debt ?? BigInteger.Zero);
                if (plan?.OptedOut == i)
                {
                    Assert.True(aBalance.Sign > 0 && collateral.IsZero, $"{u.User} supplied {symbol} with the collateral bit off: balance {aBalance}");
                }

                if (position is not null)
                {
                    Assert.Equal(collateral, position.Collateral.SingleOrDefault(c => c.Asset == symbol)?.Amount ?? BigInteger.Zero);
                    Assert.Equal(debt, position.Debt.SingleOrDefault(c => c.Asset == symbol)?.Amount ?? BigInteger.Zero);
                }
            }

            var pool = await W.Pool.CallAtAsync(at, "getUserAccountData", u.User);
            var chain = new UserAccountData((BigInteger)pool[0], (BigInteger)pool[1], (BigInteger)pool[2], (BigInteger)pool[3], (BigInteger)pool[4], (BigInteger)pool[5]);
            Assert.Equal(chain, u.AccountData);
            if (position is not null)
            {
                Assert.Equal(chain, AaveV3Accounting.CalculateUserAccountData(model, AaveAccount.FromSnapshot(position, model), oracle));
            }
        }
    }

    private sealed record Opened(string Kind, int EMode, int? OptedOut);

    /// <summary>
    /// Mostly borrowers (1-3 collateral reserves of $1k-$100k, debt 30-70% of their borrowing power over 1-3 reserves, a
    /// quarter in e-mode "stables" borrowing only USDC/DAI), every tenth a supplier only, one who opts USDC out of
    /// collateral and one who withdraws everything.
    /// </summary>
    private async Task<Dictionary<Address, Opened>> OpenUsersAsync(Random random)
    {
        var config = AaveWorld.Config;
        int usdc = W.IndexOf("USDC"), weth = W.IndexOf("WETH"), dai = W.IndexOf("DAI");
        var users = new Dictionary<Address, Opened>();
        for (var k = 0; k < Users; k++)
        {
            var user = await W.NewUserAsync();
            if (k == 1)
            {
                await W.SupplyAsync(user, weth, Units(random, 10_000, weth));
                await W.SupplyAsync(user, usdc, Units(random, 3_000, usdc));
                await W.Pool.SendWithGasAsync(user, AaveWorld.Gas, "setUserUseReserveAsCollateral", W.Assets[usdc].Token.Address, false);
                await W.BorrowAsync(user, dai, Units(random, 2_000, dai));
                users[user] = new Opened("opted out", 0, usdc);
                continue;
            }

            if (k == 2)
            {
                await W.SupplyAsync(user, dai, Units(random, 100, dai));
                await W.Pool.SendWithGasAsync(user, AaveWorld.Gas, "withdraw", W.Assets[dai].Token.Address, UInt256.Max, user);
                users[user] = new Opened("emptied", 0, null);
                continue;
            }

            var eMode = random.NextDouble() < 0.25 ? AaveWorld.EModeId : 0;
            if (eMode != 0)
            {
                await W.SetUserEModeAsync(user, eMode);
            }

            var collateral = Pick(random, Enumerable.Range(0, config.Length).ToArray(), random.Next(1, 4));
            var power = 0L;
            foreach (var c in collateral)
            {
                var usd = random.Next(1_000, 100_000);
                power += usd * (eMode != 0 && config[c].EMode == eMode ? AaveWorld.EMode.Ltv : config[c].Ltv) / 10_000;
                await W.SupplyAsync(user, c, Units(random, usd, c));
            }

            if (k % 10 == 0)
            {
                users[user] = new Opened("supplier", eMode, null);
                continue;
            }

            var borrowable = Enumerable.Range(0, config.Length).Where(i => eMode == 0 || config[i].EMode == eMode).ToArray();
            var debts = Pick(random, borrowable, random.Next(1, Math.Min(3, borrowable.Length) + 1));
            var debtUsd = power * random.Next(30, 71) / 100;
            foreach (var d in debts)
            {
                await W.BorrowAsync(user, d, BigInteger.Max(BigInteger.One, Units(random, debtUsd / debts.Length, d)));
            }

            users[user] = new Opened("borrower", eMode, null);
        }

        return users;
    }

    /// <summary>Whole dollars to base units at the test's prices, with random low digits for 18-decimal tokens.</summary>
    private BigInteger Units(Random random, long usd, int asset)
    {
        var decimals = AaveWorld.Config[asset].Decimals;
        var units = usd * BigInteger.Pow(10, decimals) * E8 / Prices[asset];
        return decimals > 12 ? units + random.Next(0, 1_000_000_000) : units;
    }

    private static int[] Pick(Random random, int[] from, int count) => from.OrderBy(_ => random.Next()).Take(count).Order().ToArray();

    private static async Task<BigInteger> UIntAt(Contract c, BlockParameter at, string function, params object[] args) => (BigInteger)(await c.CallAtAsync(at, function, args))[0];

    /// <summary>Counts round trips (batches) and eth_calls on their way to the real caller.</summary>
    private sealed class CountingCaller(IBatchCaller inner) : IBatchCaller
    {
        public int Rounds { get; private set; }

        public int Calls { get; private set; }

        public Task<EthCallResult[]> CallAsync(IReadOnlyList<EthCall> calls, ulong block, CancellationToken ct = default)
        {
            Rounds++;
            Calls += calls.Count;
            return inner.CallAsync(calls, block, ct);
        }
    }
}
