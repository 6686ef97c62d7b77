using System.Numerics;
using DefiCascade.Adapters.MorphoBlue;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.Tests.MorphoBlue;

public class MorphoBlueReaderTests
{
    private const ulong Block = 100;
    private static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    private static readonly Address Usdc = Address.FromNumber(0x70c, 1);
    private static readonly Address Weth = Address.FromNumber(0x70c, 2);
    private static readonly Address Wbtc = Address.FromNumber(0x70c, 3);
    private static readonly Address Irm = Address.FromNumber(0x144, 1);

    [Fact]
    public async Task Discovered_markets_and_positions_come_sorted_with_lenders_dropped_and_coverage_complete()
    {
        var (chain, ids) = World();
        var logs = new FakeLogSource(chain.Logs);
        var chunks = new List<MorphoPositionChunk>();
        var request = new MorphoBlueReadRequest(FakeMorphoChain.MorphoAddress, Block)
        {
            PositionChunkSize = 3,
            OnPositionChunk = (c, _) => { chunks.Add(c); return Task.CompletedTask; },
        };

        var read = await new MorphoBlueReader(chain, logs).ReadAsync(request);

        Assert.Equal(ids.Order(StringComparer.Ordinal), read.Markets.Select(m => m.Id));
        var weth = read.Markets.Single(m => m.CollateralToken == "WETH");
        Assert.Equal(new[] { User(3), User(4), User(5) }, weth.Positions.Select(p => p.User)); // user 1 only lends
        Assert.Equal(new MorphoBluePositionSnapshot(User(4), 0, 7 * E18, 3 * E18), weth.Positions[1]);
        Assert.Equal(("USDC", "WETH", 86 * E18 / 100, 2_000 * BigInteger.Pow(10, 24)), (weth.LoanToken, weth.CollateralToken, weth.Lltv, weth.OraclePrice));
        Assert.Equal(chain.Markets[weth.Id], new[] { weth.TotalSupplyAssets, weth.TotalSupplyShares, weth.TotalBorrowAssets, weth.TotalBorrowShares, weth.LastUpdate, weth.Fee });
        Assert.All(read.Coverage, c => Assert.True(c.AllBorrowersFound, c.ToString()));
        Assert.All(read.Coverage, c => Assert.Equal(c.TotalBorrowAssets, c.BorrowAssetsCaptured));
        Assert.Equal(7, read.PairsRead); // 4 users in the WETH market, 3 in the WBTC market
        Assert.Equal(3, chunks.Count);
        Assert.Equal(new[] { 3, 6, 7 }, chunks.Select(c => c.PairsRead));
        Assert.Equal(read.PositionsKept, chunks.Sum(c => c.Kept.Count));
        Assert.Equal(new[] { "USDC", "WBTC", "WETH" }, read.Tokens.Select(t => t.Symbol));
        Assert.All(chain.BlocksAsked, b => Assert.Equal(Block, b));
        // markets, prices, tokens and three position chunks: a fixed number of rounds, never one per read.
        Assert.Equal(6, chain.Batches);
        Assert.Equal(1, logs.Scans);
    }

    [Fact]
    public async Task Missing_borrowers_show_as_incomplete_coverage()
    {
        var (chain, ids) = World();
        var request = new MorphoBlueReadRequest(FakeMorphoChain.MorphoAddress, Block) { MarketIds = ids, Users = [User(1), User(3)] };

        var read = await new MorphoBlueReader(chain).ReadAsync(request);

        var weth = read.Coverage.Single(c => c.MarketId == read.Markets.Single(m => m.CollateralToken == "WETH").Id);
        Assert.False(weth.AllBorrowersFound);
        Assert.Equal(2 * E18, weth.BorrowSharesCaptured); // user 3 alone of 2 + 7 + 1
        Assert.Equal(10 * E18, weth.TotalBorrowShares);
        Assert.Equal(2 * E18 * (10 * E18 / 1_000_000) / (10 * E18), weth.BorrowAssetsCaptured);
        Assert.Contains(read.CoverageLines(), l => l.Contains("INCOMPLETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_read_makes_a_snapshot_that_passes_validation()
    {
        var (chain, _) = World();
        var read = await new MorphoBlueReader(chain, new FakeLogSource(chain.Logs)).ReadAsync(new MorphoBlueReadRequest(FakeMorphoChain.MorphoAddress, Block));
        var origin = new SnapshotOrigin("chain", "fake Morpho", string.Join("; ", read.CoverageLines()), read.Sources);
        var snapshot = new MarketSnapshot(MarketSnapshot.CurrentSchema, 1, (long)Block, 1_200, origin, read.Tokens, [], [], [], []) { MorphoBlueMarkets = read.Markets };

        var text = SnapshotJson.Serialize(snapshot);
        var parsed = SnapshotJson.Parse(text, "read.json");

        Assert.Equal(text, SnapshotJson.Serialize(parsed));
        Assert.Equal(read.Markets.Sum(m => m.Positions.Count), parsed.MorphoBlueMarkets.Sum(m => m.Positions.Count));
    }

    [Fact]
    public async Task A_reverting_oracle_is_an_error_naming_the_market_and_the_oracle()
    {
        var (chain, ids) = World();
        var (_, _, oracle, _, _) = chain.Params[ids[1]];
        chain.Prices[oracle] = null;

        var e = await Assert.ThrowsAsync<ChainReadException>(() => new MorphoBlueReader(chain).ReadAsync(Given(ids)));

        Assert.Contains(ids[1], e.Message, StringComparison.Ordinal);
        Assert.Contains(oracle.Hex, e.Message, StringComparison.Ordinal);
        Assert.Contains("reverted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zero_price_is_an_error_not_a_default()
    {
        var (chain, ids) = World();
        chain.Prices[chain.Params[ids[0]].Oracle] = 0;
        var e = await Assert.ThrowsAsync<ChainReadException>(() => new MorphoBlueReader(chain).ReadAsync(Given(ids)));
        Assert.Contains("answered 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_market_not_created_at_the_block_is_an_error()
    {
        var (chain, _) = World();
        var unknown = "0x" + new string('7', 64);
        var e = await Assert.ThrowsAsync<ChainReadException>(() => new MorphoBlueReader(chain).ReadAsync(Given([unknown])));
        Assert.Contains($"market({unknown})", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such market", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Params_that_do_not_hash_to_the_id_are_an_error()
    {
        var (chain, ids) = World();
        chain.Params[ids[0]] = chain.Params[ids[0]] with { Lltv = 1 };
        var e = await Assert.ThrowsAsync<ChainReadException>(() => new MorphoBlueReader(chain).ReadAsync(Given(ids)));
        Assert.Contains($"idToMarketParams({ids[0]})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_markets_are_skipped_and_said_so()
    {
        var (chain, ids) = World();
        var idle = chain.CreateMarket(Usdc, Address.Zero, Address.Zero, Address.Zero, 0, 1);
        chain.Prices.Remove(Address.Zero);

        var read = await new MorphoBlueReader(chain).ReadAsync(Given([.. ids, idle]));

        Assert.Equal(2, read.Markets.Count);
        Assert.Equal(idle, Assert.Single(read.Skipped).MarketId);
        Assert.Contains(read.CoverageLines(), l => l.StartsWith(idle + ": skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_sharing_a_symbol_are_qualified_by_address()
    {
        var (chain, ids) = World();
        chain.Tokens[Wbtc] = ("WETH", 8);
        var read = await new MorphoBlueReader(chain).ReadAsync(Given(ids));
        Assert.Contains(read.Tokens, t => t.Symbol == "WETH@" + Wbtc.Hex);
        Assert.Contains(read.Tokens, t => t.Symbol == "WETH@" + Weth.Hex);
    }

    [Fact]
    public async Task Without_a_log_source_the_request_must_name_markets_and_users()
    {
        var (chain, ids) = World();
        var reader = new MorphoBlueReader(chain);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(new MorphoBlueReadRequest(FakeMorphoChain.MorphoAddress, Block) { MarketIds = ids }));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ReadAsync(Given(["0x12"])));
    }

    private static MorphoBlueReadRequest Given(IReadOnlyList<string> ids) =>
        new(FakeMorphoChain.MorphoAddress, Block) { MarketIds = ids, Users = [.. Enumerable.Range(1, 8).Select(i => User((ulong)i))] };

    private static Address User(ulong n) => Address.FromNumber(0x05e4, n);

    /// <summary>USDC loans against WETH (86%) and WBTC (77%); user 1 only lends, 2 posts collateral only in WBTC, the others borrow.</summary>
    private static (FakeMorphoChain Chain, string[] Ids) World()
    {
        var chain = new FakeMorphoChain();
        chain.Tokens[Usdc] = ("USDC", 6);
        chain.Tokens[Weth] = ("WETH", 18);
        chain.Tokens[Wbtc] = ("WBTC", 8);
        var weth = chain.CreateMarket(Usdc, Weth, Address.FromNumber(0x04ac1e, 1), Irm, 86 * E18 / 100, 2_000 * BigInteger.Pow(10, 24));
        var wbtc = chain.CreateMarket(Usdc, Wbtc, Address.FromNumber(0x04ac1e, 2), Irm, 77 * E18 / 100, 60_000 * BigInteger.Pow(10, 34));
        chain.Open(weth, User(1), 100 * E18, 0, 0);
        chain.Open(weth, User(5), 0, 1 * E18, 1 * E18);
        chain.Open(weth, User(3), 0, 2 * E18, 2 * E18);
        chain.Open(weth, User(4), 0, 7 * E18, 3 * E18);
        chain.Open(wbtc, User(1), 100 * E18, 0, 0);
        chain.Open(wbtc, User(2), 0, 0, 5);
        chain.Open(wbtc, User(6), 0, 3 * E18, 1_000);
        return (chain, [weth, wbtc]);
    }
}
