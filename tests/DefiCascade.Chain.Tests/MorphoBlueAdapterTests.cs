using System.Numerics;
using DefiCascade.Adapters.MorphoBlue;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Lending.MorphoBlue;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// MorphoBlueReader against Morpho Blue 1.0.0 on anvil: four fresh markets (LLTV 62.5% to 91.5%, with and without
/// IRM) and 100 accounts that borrow, only post collateral or only lend; oracle prices then fall 15% so some
/// borrowers go under. The snapshot read at one pinned block must equal market(), idToMarketParams(), price() and
/// position() there, and the Lending model's health from the snapshot must agree with whether liquidate accepts.
/// </summary>
[Collection(AnvilMorphoCollection.Name)]
public sealed class MorphoBlueAdapterTests(ChainWorldFixture anvil, ITestOutputHelper output)
{
    private const int Users = 100;
    private static readonly int[] Specs = [1, 2, 3, 4]; // MorphoWorld.MarketSpecs rows: enabled LLTVs, both IRM kinds, a fee

    [Fact]
    public async Task Snapshot_equals_the_contract_at_the_pinned_block_and_health_agrees_with_liquidate()
    {
        var owner = anvil.Accounts[0];
        var liquidator = anvil.Accounts[2];
        var world = MorphoWorld.Attach(anvil.Eth, owner, anvil.World.Morpho);
        var random = new Random(20260322);
        var fromBlock = (await world.LatestBlockAsync()).Number + 1;

        var markets = new List<(MorphoMarket Market, double Price)>();
        foreach (var row in Specs)
        {
            var spec = MorphoWorld.MarketSpecs[row];
            var human = Math.Pow(10, -1 + (3 * random.NextDouble()));
            var m = await world.CreateMarketAsync(
                MorphoWorld.ToWad(spec.Lltv), spec.Irm, MorphoWorld.ToWad(spec.Fee), MorphoWorld.OraclePrice(human, spec.LoanDecimals, spec.CollateralDecimals), spec.LoanDecimals, spec.CollateralDecimals);
            await world.SupplyAsync(m, anvil.Accounts[1], BigInteger.Pow(10, 9 + m.LoanDecimals));
            await world.FundAsync(m.Loan, liquidator, BigInteger.Pow(10, 40));
            markets.Add((m, human));
        }

        var users = new List<Address>();
        for (var i = 0; i < Users; i++)
        {
            var user = Address.FromNumber(0xADA7E5, (ulong)i + 1);
            users.Add(user);
            await OpenAsync(world, markets[i % markets.Count], user, i, random);
            if (i % 10 == 2)
            {
                await OpenAsync(world, markets[(i + 1) % markets.Count], user, 3, random); // a borrower in two markets
            }
        }

        foreach (var (m, human) in markets)
        {
            await world.SetPriceAsync(m, MorphoWorld.OraclePrice(human * 0.85, m.LoanDecimals, m.CollateralDecimals));
        }

        var (block, timestamp) = await world.LatestBlockAsync();
        var at = BlockParameter.At(block);
        var caller = new RpcBatchCaller(anvil.Eth.Rpc);
        var scanned = await new MorphoBlueReader(caller, new LogScanner(anvil.Eth.Rpc)).ReadAsync(new MorphoBlueReadRequest(world.Morpho.Address, block) { FromBlock = fromBlock, PositionChunkSize = 40 });
        var given = await new MorphoBlueReader(caller).ReadAsync(
            new MorphoBlueReadRequest(world.Morpho.Address, block) { MarketIds = [.. markets.Select(m => m.Market.Params.Id)], Users = users });
        foreach (var line in scanned.CoverageLines())
        {
            output.WriteLine(line);
        }

        // The ids the contract put in CreateMarket are the ones computed from the params (MorphoWorld hashes them its own way).
        Assert.Equal(markets.Select(m => m.Market.Params.Id).Order(StringComparer.Ordinal), scanned.Markets.Select(m => m.Id));
        Assert.Equal(Json(scanned, block, timestamp), Json(given, block, timestamp));
        Assert.All(scanned.Coverage, c => Assert.True(c.AllBorrowersFound && c.BorrowAssetsCaptured == c.TotalBorrowAssets, c.ToString()));

        var symbols = scanned.Tokens.ToDictionary(t => t.Symbol, t => t.Address);
        int healthy = 0, unhealthy = 0, positions = 0;
        foreach (var (m, _) in markets)
        {
            var s = scanned.Markets.Single(x => x.Id == m.Params.Id);
            var p = m.Params;
            Assert.Equal(p.Id, MorphoBlueMarketId.Compute(symbols[s.LoanToken], symbols[s.CollateralToken], s.Oracle, s.Irm, s.Lltv));
            Assert.Equal((p.LoanToken, p.CollateralToken, p.Oracle, p.Irm, p.Lltv), (symbols[s.LoanToken], symbols[s.CollateralToken], s.Oracle, s.Irm, s.Lltv));
            Assert.Equal(world.Morpho.Address, s.Morpho);
            Assert.Equal(await world.PriceAsync(m, at), s.OraclePrice);
            var chainState = await world.MarketAsync(m, at);
            var state = new MorphoMarketState(s.TotalSupplyAssets, s.TotalSupplyShares, s.TotalBorrowAssets, s.TotalBorrowShares, s.LastUpdate, s.Fee);
            Assert.Equal(chainState, state);

            var kept = s.Positions.ToDictionary(x => x.User);
            Assert.Equal(s.Positions.Select(x => x.User.Hex).Order(StringComparer.Ordinal), s.Positions.Select(x => x.User.Hex));
            foreach (var user in users)
            {
                var chain = await world.PositionAsync(m, user, at);
                if (!kept.TryGetValue(user, out var read))
                {
                    Assert.True(chain.BorrowShares.IsZero && chain.Collateral.IsZero, $"{user} in {p.Id} holds {chain} but is not in the snapshot");
                    continue;
                }

                positions++;
                Assert.Equal(chain, new MorphoPosition(read.SupplyShares, read.BorrowShares, read.Collateral));
                if (read.BorrowShares.IsZero)
                {
                    continue;
                }

                // liquidate accrues interest to the block first: the model does the same from the snapshot's lastUpdate.
                var accrued = state.Copy();
                var rate = m.Accrues ? await world.BorrowRateAsync(m, state) : BigInteger.Zero;
                MorphoBlueAccounting.AccrueInterest(p, accrued, rate, timestamp);
                var position = new MorphoPosition(read.SupplyShares, read.BorrowShares, read.Collateral);
                var isHealthy = MorphoBlueAccounting.IsHealthy(p, accrued, position, s.OraclePrice);
                var quote = MorphoBlueLiquidation.Quote(p, accrued, position, s.OraclePrice, 0, 1);
                string accepted;
                try
                {
                    await world.CallLiquidateAsync(m, liquidator, user, 0, 1, at);
                    accepted = "accepted";
                }
                catch (ContractRevertException e)
                {
                    accepted = MorphoWorld.RevertKind(e);
                }

                Assert.Equal(isHealthy ? nameof(MorphoError.HealthyPosition) : "accepted", accepted);
                Assert.Equal(!isHealthy, quote.Ok);
                (isHealthy ? ref healthy : ref unhealthy)++;
            }
        }

        output.WriteLine($"{positions} positions in {scanned.Markets.Count} markets, {scanned.PairsRead} pairs read; borrowers healthy {healthy}, liquidatable {unhealthy}");
        Assert.Equal(scanned.PositionsKept, positions);
        Assert.True(positions >= 80, $"only {positions} positions");
        Assert.True(healthy >= 10 && unhealthy >= 5, $"healthy {healthy}, liquidatable {unhealthy}: the price move should leave both kinds");
    }

    /// <summary>By <paramref name="kind"/> % 5: 0 posts collateral only, 1 only lends (dropped from the snapshot), else borrows 50% to 99% of its limit.</summary>
    private static async Task OpenAsync(MorphoWorld world, (MorphoMarket Market, double Price) target, Address user, int kind, Random random)
    {
        var (m, human) = target;
        await world.Eth.SetBalanceAsync(user, BigInteger.Pow(10, 21));
        await world.Eth.ImpersonateAccountAsync(user);
        var value = Math.Pow(10, 1 + (4 * random.NextDouble())); // 10 to 100,000 loan units of collateral
        var collateral = new BigInteger(value / human * Math.Pow(10, m.CollateralDecimals));
        switch (kind % 5)
        {
            case 0:
                await world.FundAsync(m.Collateral, user, collateral);
                await world.Morpho.SendWithGasAsync(user, MorphoWorld.Gas, "supplyCollateral", m.Tuple, collateral, user, Array.Empty<byte>());
                break;
            case 1:
                await world.FundAsync(m.Loan, user, BigInteger.Pow(10, 3 + m.LoanDecimals));
                await world.Morpho.SendWithGasAsync(user, MorphoWorld.Gas, "supply", m.Tuple, BigInteger.Pow(10, 3 + m.LoanDecimals), BigInteger.Zero, user, Array.Empty<byte>());
                break;
            default:
                var price = MorphoWorld.OraclePrice(human, m.LoanDecimals, m.CollateralDecimals);
                var limit = MathLib.WMulDown(MathLib.MulDivDown(collateral, price, MorphoBlueVersion.OraclePriceScale), m.Params.Lltv);
                var borrow = limit * (500 + random.Next(490)) / 1_000;
                await world.OpenPositionAsync(m, user, collateral, borrow);
                break;
        }
    }

    /// <summary>The snapshot text of a read: equal texts mean equal markets, positions, tokens and order.</summary>
    private static string Json(MorphoBlueRead read, ulong block, ulong timestamp)
    {
        var sources = read.Sources.ToDictionary(kv => kv.Key, kv => "same");
        var origin = new SnapshotOrigin("chain", "anvil", "all", sources);
        var snapshot = new MarketSnapshot(MarketSnapshot.CurrentSchema, 31337, (long)block, (long)timestamp, origin, read.Tokens, [], [], [], []) { MorphoBlueMarkets = read.Markets };
        var text = SnapshotJson.Serialize(snapshot);
        SnapshotJson.Parse(text, "anvil-morpho.json"); // the read passes the schema's checks (ids, totals, sums)
        return text;
    }
}
