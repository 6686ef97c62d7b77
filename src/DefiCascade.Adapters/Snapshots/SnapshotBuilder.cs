using System.Globalization;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.MorphoBlue;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.Snapshots;

/// <summary>What a snapshot run captured, for the coverage report (the snapshot's origin.coverage says it in words).</summary>
public sealed record SnapshotCoverage(
    ulong ChainId,
    ulong Block,
    long BlockTimestamp,
    AaveV3Coverage? Aave,
    int AaveCrossChecked,
    MorphoBlueRead? Morpho,
    IReadOnlyList<UniswapPoolRead> Pools,
    IReadOnlyList<string> DerivedPrices,
    bool Resumed);

public sealed record SnapshotBuildResult(MarketSnapshot Snapshot, SnapshotCoverage Coverage);

/// <summary>
/// Reads everything a <see cref="SnapshotRequest"/> names at one block and assembles one <see cref="MarketSnapshot"/>:
/// the Aave V3 market (users from events or a list; positions cross-checked against getUserAccountData), Morpho Blue
/// markets, Uniswap pools; tokens merged by address. The long stages (the event scan, the positions) checkpoint after
/// every chunk, so an interrupted run resumes. The snapshot holds nothing that depends on how the reads went
/// (retries, resumes, timing): the same block gives the same bytes.
/// </summary>
public sealed class SnapshotBuilder
{
    private const string AaveUsersStage = "aave-users";
    private const string AavePositionsStage = "aave-positions";

    private readonly EthClient _eth;
    private readonly IBatchCaller _caller;
    private readonly ILogSource _logs;

    public SnapshotBuilder(EthClient eth, IBatchCaller caller, ILogSource logs)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(logs);
        _eth = eth;
        _caller = caller;
        _logs = logs;
    }

    public async Task<SnapshotBuildResult> BuildAsync(
        SnapshotRequest request, ulong chainId, SnapshotCheckpoint checkpoint, IProgress<SnapshotProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (request.IsEmpty)
        {
            throw new ArgumentException("a snapshot needs an Aave V3 market, a Morpho Blue instance or at least one pool", nameof(request));
        }

        var block = request.Block;
        var describes = request.Describe(chainId);
        var timestamp = await Read($"eth_getBlockByNumber {block}", () => _eth.GetBlockTimestampAsync(block, ct)).ConfigureAwait(false);
        var tokens = new TokenTable();
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var coverageText = new List<string>();
        var prices = new List<MarketPrice>();
        var oracles = new List<OracleFeedSnapshot>();
        var aaveMarkets = new List<AaveV3MarketSnapshot>();
        AaveV3SnapshotPieces? aave = null;
        if (request.AaveProvider is { } provider)
        {
            aave = await ReadAaveAsync(request, provider, checkpoint, describes, progress, ct).ConfigureAwait(false);
            tokens.AddAll(aave.Tokens);
            prices.AddRange(aave.Prices);
            oracles.AddRange(aave.Oracles);
            aaveMarkets.Add(aave.Market);
            Merge(sources, aave.Sources);
            coverageText.Add($"Aave V3 '{request.AaveMarketName}': {aave.CoverageText}");
        }

        MorphoBlueRead? morpho = null;
        var morphoMarkets = new List<MorphoBlueMarketSnapshot>();
        if (request.Morpho is { } morphoAddress)
        {
            progress?.Report(new SnapshotProgress("morpho", 0, 1, $"Morpho Blue {morphoAddress.Hex}: markets and positions"));
            var reader = new MorphoBlueReader(_caller, _logs);
            morpho = await reader.ReadAsync(
                new MorphoBlueReadRequest(morphoAddress, block)
                {
                    MarketIds = request.MorphoMarketIds,
                    FromBlock = request.MorphoFromBlock,
                    OnPositionChunk = (c, _) =>
                    {
                        progress?.Report(new SnapshotProgress("morpho", c.PairsRead, c.PairsTotal, $"Morpho Blue positions: {c.PairsRead:N0} of {c.PairsTotal:N0} read"));
                        return Task.CompletedTask;
                    },
                },
                ct).ConfigureAwait(false);
            var renames = tokens.AddAll(morpho.Tokens);
            morphoMarkets.AddRange(morpho.Markets.Select(m => m with { LoanToken = renames(m.LoanToken), CollateralToken = renames(m.CollateralToken) }));
            Merge(sources, morpho.Sources);
            coverageText.Add($"Morpho Blue {morphoAddress.Hex}: {morpho.Markets.Count} markets; " + string.Join("; ", morpho.CoverageLines()));
        }

        var pools = new List<UniswapPoolRead>();
        var poolReader = new UniswapPoolReader(_eth, _caller);
        for (var i = 0; i < request.Pools.Count; i++)
        {
            progress?.Report(new SnapshotProgress("pools", i, request.Pools.Count, $"pool {request.Pools[i].Hex}"));
            pools.Add(await poolReader.ReadAsync(request.Pools[i], block, request.TickWindow, ct).ConfigureAwait(false));
        }

        var poolSnapshots = pools.Select(p =>
        {
            // one call per token: a pool may pair two tokens with the same symbol.
            var symbol0 = tokens.AddAll([p.Token0])(p.Token0.Symbol);
            var symbol1 = tokens.AddAll([p.Token1])(p.Token1.Symbol);
            return p.Snapshot with { Token0 = symbol0, Token1 = symbol1 };
        }).ToArray();
        if (pools.Count > 0)
        {
            sources[PoolSourceKey(block)] = $"eth_call at block {block}: Uniswap V2 getReserves / V3 slot0, liquidity, fee, tickSpacing, tickBitmap words and ticks()"
                + (request.TickWindow is { } w ? $" within {w} ticks of the current tick (bounds recorded per pool)" : " (the whole initialized tick book)");
            var ticks = pools.Sum(p => p.Snapshot is UniswapV3PoolSnapshot v3 ? v3.Ticks.Count : 0);
            coverageText.Add($"Uniswap: {pools.Count} pools, {ticks} initialized ticks" + (request.TickWindow is { } tw ? $" (books within {tw} ticks of the price)" : " (whole books)"));
            foreach (var p in pools)
            {
                sources.TryAdd(p.Snapshot.Source, $"eth_call at block {block}");
            }
        }

        var derived = PoolPrices.Derive(tokens, prices, poolSnapshots, block);
        prices.AddRange(derived.Prices);
        if (derived.Prices.Count > 0)
        {
            sources[PoolPrices.SourceKey(block)] = $"USD prices of tokens no oracle prices, from the spot price of a pool at block {block} against a priced token: "
                + string.Join("; ", derived.Notes);
        }

        sources.TryAdd("rpc " + block.ToString(CultureInfo.InvariantCulture), $"eth_call at block {block}");
        var snapshot = new MarketSnapshot(
            MarketSnapshot.CurrentSchema,
            (long)chainId,
            (long)block,
            timestamp,
            new SnapshotOrigin(
                "chain",
                $"Read from chain {chainId} at block {block} (timestamp {timestamp}) by defi-cascade snapshot: {describes}. "
                    + "Every number was read at that block; the external market price of a token is its oracle price (or a pool's spot price where it has no oracle).",
                coverageText.Count == 0 ? "nothing but the pools named" : string.Join(" | ", coverageText),
                sources),
            tokens.All,
            prices,
            oracles,
            aaveMarkets,
            poolSnapshots)
        {
            MorphoBlueMarkets = morphoMarkets,
        };

        // the file must be what simulate reads: a snapshot that would not parse is never written.
        var checkedSnapshot = SnapshotJson.Parse(SnapshotJson.Serialize(snapshot), "the snapshot just read");
        var coverage = new SnapshotCoverage(chainId, block, timestamp, aave?.Coverage, aave?.CrossChecked ?? 0, morpho, pools, derived.Notes, checkpoint.Resumed);
        return new SnapshotBuildResult(checkedSnapshot, coverage);
    }

    private static string PoolSourceKey(ulong block) => "rpc " + block.ToString(CultureInfo.InvariantCulture);

    private static void Merge(IDictionary<string, string> into, IReadOnlyDictionary<string, string> from)
    {
        foreach (var (key, text) in from)
        {
            if (into.TryGetValue(key, out var existing) && existing != text)
            {
                into[key] = existing + " | " + text;
            }
            else
            {
                into[key] = text;
            }
        }
    }

    private static async Task<T> Read<T>(string call, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is Ethereum.Rpc.RpcTransportException or Ethereum.Rpc.JsonRpcException or FormatException)
        {
            throw new ChainReadException(call, e.Message, e);
        }
    }

    private async Task<AaveV3SnapshotPieces> ReadAaveAsync(
        SnapshotRequest request, Address provider, SnapshotCheckpoint checkpoint, string describes, IProgress<SnapshotProgress>? progress, CancellationToken ct)
    {
        var block = request.Block;
        var reader = new AaveV3Reader(_caller, _logs, request.UserChunkSize);
        progress?.Report(new SnapshotProgress("aave-market", 0, 1, $"Aave V3 market of provider {provider.Hex}"));
        var market = await reader.ReadMarketAsync(provider, block, ct).ConfigureAwait(false);

        IReadOnlyList<Address> users;
        if (request.AaveUsers is { } given)
        {
            users = UsersFile.Sorted(given);
        }
        else
        {
            // next = the first block not scanned yet: the saved ScannedThrough + 1 on a resume.
            var (next, known) = checkpoint.Get(AaveUsersStage) is { } saved
                ? AaveCheckpointCodec.ReadUsers(saved) is var (through, found) ? (through + 1, found) : default
                : (request.AaveFromBlock, (IReadOnlyList<Address>)[]);
            var total = block - request.AaveFromBlock + 1;
            users = next > block
                ? known
                : await reader.DiscoverUsersAsync(
                    market.Pool,
                    next,
                    block,
                    (chunk, soFar, _) =>
                    {
                        checkpoint.Put(AaveUsersStage, AaveCheckpointCodec.Users(chunk.ScannedThrough, soFar), describes);
                        progress?.Report(new SnapshotProgress(
                            "aave-users", (long)(chunk.ScannedThrough - request.AaveFromBlock + 1), (long)total, $"Aave users: scanned to block {chunk.ScannedThrough}, {soFar.Count:N0} found"));
                        return Task.CompletedTask;
                    },
                    known,
                    ct).ConfigureAwait(false);
        }

        var (done, readUsers, extra) = checkpoint.Get(AavePositionsStage) is { } savedPositions
            ? AaveCheckpointCodec.ReadPositions(savedPositions)
            : (0, (IReadOnlyList<AaveV3UserRead>)[], (IReadOnlyList<AaveV3EModeRead>)[]);
        var allRead = new List<AaveV3UserRead>(readUsers);
        var allExtra = new List<AaveV3EModeRead>(extra);
        var rest = users.Skip(done).ToArray();
        var positions = await reader.ReadPositionsAsync(
            market,
            rest,
            block,
            (chunk, _) =>
            {
                allRead.AddRange(chunk.Users);
                allExtra = allExtra.Concat(chunk.ExtraEModesSoFar).DistinctBy(e => e.Id).OrderBy(e => e.Id).ToList();
                var finished = done + chunk.FirstIndex + chunk.Users.Count;
                checkpoint.Put(AavePositionsStage, AaveCheckpointCodec.Positions(finished, allRead, allExtra), describes);
                progress?.Report(new SnapshotProgress("aave-positions", finished, users.Count, $"Aave positions: {finished:N0} of {users.Count:N0} users read"));
                return Task.CompletedTask;
            },
            ct).ConfigureAwait(false);
        var combined = AaveV3PositionsRead.Combine(block, [new AaveV3PositionsRead(block, readUsers, extra), positions]);
        return AaveV3SnapshotBuilder.Build(market, combined, users.Count, new AaveV3SnapshotOptions(request.AaveMarketName));
    }
}
