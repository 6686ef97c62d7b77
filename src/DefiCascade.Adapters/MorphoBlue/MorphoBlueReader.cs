using System.Globalization;
using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Adapters.Tokens;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Logs;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Adapters.MorphoBlue;

/// <summary>
/// Reads Morpho Blue markets and positions into snapshot sections at one pinned block. Every read is an eth_call at
/// that block through an <see cref="IBatchCaller"/>, in a fixed number of rounds whatever the size: params and totals
/// of all markets, oracle prices, token metadata, then position(id, user) in chunks.
/// </summary>
public sealed class MorphoBlueReader
{
    private static readonly Lazy<ContractAbi> MorphoAbi = new(() => AdapterAbis.Get("MorphoBlue").Abi);
    private static readonly Lazy<AbiFunction> OraclePrice = new(() => AdapterAbis.Get("MorphoOracle").Abi.Function("price"));

    private readonly IBatchCaller _caller;
    private readonly ILogSource? _logs;

    /// <param name="logs">Needed only to discover markets or users from events; without it, a request names both.</param>
    public MorphoBlueReader(IBatchCaller caller, ILogSource? logs = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        _caller = caller;
        _logs = logs;
    }

    public async Task<MorphoBlueRead> ReadAsync(MorphoBlueReadRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.PositionChunkSize, 1, nameof(request.PositionChunkSize));
        if (request.FromBlock > request.Block)
        {
            throw new ArgumentException($"the event scan would start at block {request.FromBlock}, after the pinned block {request.Block}", nameof(request));
        }

        var block = request.Block;
        MorphoBlueDiscovery? discovery = null;
        if (request.MarketIds is null || request.Users is null)
        {
            var logs = _logs ?? throw new InvalidOperationException("no log source: give MarketIds and Users, or construct the reader with an ILogSource");
            discovery = await MorphoBlueDiscovery.ScanAsync(logs, request.Morpho, request.FromBlock, block, ct).ConfigureAwait(false);
        }

        var ids = (request.MarketIds ?? discovery!.CreatedMarkets).Select(CheckId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var (markets, skipped) = await MarketsAsync(request.Morpho, ids, block, ct).ConfigureAwait(false);
        var prices = await PricesAsync(markets, block, ct).ConfigureAwait(false);
        var tokens = await TokensAsync(markets, block, ct).ConfigureAwait(false);

        var pairs = new List<(MarketRead Market, Address User)>();
        foreach (var m in markets)
        {
            var users = request.Users is { } given
                ? given.Distinct().OrderBy(a => a.Hex, StringComparer.Ordinal).ToArray()
                : discovery!.UsersByMarket.GetValueOrDefault(m.Id) ?? [];
            pairs.AddRange(users.Select(u => (m, u)));
        }

        var positions = await PositionsAsync(request, pairs, ct).ConfigureAwait(false);

        var marketKey = "morpho-blue@" + Number(block);
        var positionsKey = "morpho-blue-positions@" + Number(block);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [marketKey] = $"Morpho Blue {request.Morpho.Hex}: idToMarketParams, market and the oracles' price() by eth_call at block {Number(block)}",
            [positionsKey] = PositionsSourceText(request, discovery),
        };
        foreach (var t in tokens.Values.DistinctBy(t => t.Source))
        {
            sources[t.Source] = $"ERC-20 decimals() and symbol() by eth_call at block {Number(block)}{(t.Source.Contains('(', StringComparison.Ordinal) ? "; " + t.Source : string.Empty)}";
        }

        var byMarket = positions.ToLookup(p => p.MarketId, p => p.Position, StringComparer.Ordinal);
        var pairsByMarket = pairs.GroupBy(p => p.Market.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var snapshots = new List<MorphoBlueMarketSnapshot>();
        var coverage = new List<MorphoMarketCoverage>();
        for (var i = 0; i < markets.Count; i++)
        {
            var m = markets[i];
            var kept = byMarket[m.Id].ToArray();
            snapshots.Add(new MorphoBlueMarketSnapshot(
                m.Id, request.Morpho, tokens[m.Loan].Symbol, tokens[m.Collateral].Symbol, m.Oracle, m.Irm, m.Lltv, prices[i],
                m.State[0], m.State[1], m.State[2], m.State[3], (long)m.State[4], m.State[5], kept, marketKey, positionsKey));
            var shares = kept.Aggregate(BigInteger.Zero, (sum, p) => sum + p.BorrowShares);
            // assets in proportion to the shares found, rounded down: exactly totalBorrowAssets when every share is found.
            var assets = m.State[3].IsZero ? BigInteger.Zero : shares * m.State[2] / m.State[3];
            coverage.Add(new MorphoMarketCoverage(m.Id, pairsByMarket.GetValueOrDefault(m.Id), kept.Length, shares, m.State[3], assets, m.State[2]));
        }

        var tokenList = tokens.Values.DistinctBy(t => t.Address).OrderBy(t => t.Symbol, StringComparer.Ordinal).ToArray();
        return new MorphoBlueRead(block, snapshots, tokenList, coverage, skipped, sources);
    }

    /// <summary>One market as idToMarketParams and market answered. State: the six IMorpho.Market fields in order.</summary>
    private sealed record MarketRead(string Id, Address Loan, Address Collateral, Address Oracle, Address Irm, BigInteger Lltv, BigInteger[] State);

    private async Task<(List<MarketRead> Markets, List<MorphoSkippedMarket> Skipped)> MarketsAsync(Address morpho, string[] ids, ulong block, CancellationToken ct)
    {
        var paramsFn = MorphoAbi.Value.Function("idToMarketParams");
        var marketFn = MorphoAbi.Value.Function("market");
        var calls = ids.SelectMany(id => new[] { new EthCall(morpho, paramsFn.EncodeCall(Hex.Decode(id))), new EthCall(morpho, marketFn.EncodeCall(Hex.Decode(id))) }).ToArray();
        var results = await BatchAsync(calls, $"idToMarketParams/market x{ids.Length} on {morpho.Hex}", block, ct).ConfigureAwait(false);
        var markets = new List<MarketRead>();
        var skipped = new List<MorphoSkippedMarket>();
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            var p = Decode(paramsFn, results[2 * i], morpho, $"idToMarketParams({id})", block);
            var state = Decode(marketFn, results[(2 * i) + 1], morpho, $"market({id})", block).Select(v => (BigInteger)v).ToArray();
            if (state[4].IsZero)
            {
                throw new ChainReadException(CallName(morpho, $"market({id})", block), "lastUpdate is 0: no such market was created by then");
            }

            var m = new MarketRead(id, (Address)p[0], (Address)p[1], (Address)p[2], (Address)p[3], (BigInteger)p[4], state);
            var derived = MorphoBlueMarketId.Compute(m.Loan, m.Collateral, m.Oracle, m.Irm, m.Lltv);
            if (derived != id)
            {
                throw new ChainReadException(CallName(morpho, $"idToMarketParams({id})", block), $"answered params whose id is {derived}");
            }

            // Idle markets (MarketParams with no collateral or oracle) lend nothing: borrowing there cannot pass the health check.
            if (m.Collateral == Address.Zero || m.Oracle == Address.Zero)
            {
                skipped.Add(new MorphoSkippedMarket(id, "idle market (no collateral token or no oracle): nobody can borrow"));
                continue;
            }

            markets.Add(m);
        }

        return (markets, skipped);
    }

    private async Task<BigInteger[]> PricesAsync(List<MarketRead> markets, ulong block, CancellationToken ct)
    {
        var fn = OraclePrice.Value;
        var results = await BatchAsync(markets.Select(m => new EthCall(m.Oracle, fn.EncodeCall())).ToArray(), $"price() x{markets.Count}", block, ct).ConfigureAwait(false);
        var prices = new BigInteger[markets.Count];
        for (var i = 0; i < markets.Count; i++)
        {
            var call = $"eth_call price() on oracle {markets[i].Oracle.Hex} of market {markets[i].Id} at block {Number(block)}";
            if (!results[i].Success)
            {
                throw new ChainReadException(call, "reverted: the market has no price at this block");
            }

            prices[i] = DecodeAs(fn, results[i], call);
            if (prices[i].IsZero)
            {
                // A missing price is an error, never a default: at 0 every borrower of the market would look insolvent.
                throw new ChainReadException(call, "answered 0");
            }
        }

        return prices;
    }

    private async Task<Dictionary<Address, SnapshotToken>> TokensAsync(List<MarketRead> markets, ulong block, CancellationToken ct)
    {
        var addresses = markets.SelectMany(m => new[] { m.Loan, m.Collateral }).Distinct().OrderBy(a => a.Hex, StringComparer.Ordinal).ToArray();
        IReadOnlyList<SnapshotToken> read;
        try
        {
            read = await TokenReader.ReadAsync(_caller, addresses, block, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException($"decimals()/symbol() of {addresses.Length} tokens at block {Number(block)}", e.Message, e);
        }

        // Two tokens may share a symbol (bridged variants, mocks): the snapshot names assets by symbol, so qualify them.
        var clashing = read.GroupBy(t => t.Symbol, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return read.ToDictionary(t => t.Address, t => clashing.Contains(t.Symbol) ? t with { Symbol = $"{t.Symbol}@{t.Address.Hex}" } : t);
    }

    private async Task<List<MorphoPositionRead>> PositionsAsync(MorphoBlueReadRequest request, List<(MarketRead Market, Address User)> pairs, CancellationToken ct)
    {
        var fn = MorphoAbi.Value.Function("position");
        var kept = new List<MorphoPositionRead>();
        var size = request.PositionChunkSize;
        var count = (pairs.Count + size - 1) / size;
        for (var chunk = 0; chunk < count; chunk++)
        {
            var slice = pairs.GetRange(chunk * size, Math.Min(size, pairs.Count - (chunk * size)));
            var calls = slice.Select(p => new EthCall(request.Morpho, fn.EncodeCall(Hex.Decode(p.Market.Id), p.User))).ToArray();
            var results = await BatchAsync(calls, $"position x{calls.Length} on {request.Morpho.Hex}", request.Block, ct).ConfigureAwait(false);
            var chunkKept = new List<MorphoPositionRead>();
            for (var i = 0; i < slice.Count; i++)
            {
                var (m, user) = slice[i];
                var r = Decode(fn, results[i], request.Morpho, $"position({m.Id}, {user.Hex})", request.Block);
                var position = new MorphoBluePositionSnapshot(user, (BigInteger)r[0], (BigInteger)r[1], (BigInteger)r[2]);
                // Lenders alone carry no liquidation risk; borrowers and collateral posters do.
                if (!position.BorrowShares.IsZero || !position.Collateral.IsZero)
                {
                    chunkKept.Add(new MorphoPositionRead(m.Id, position));
                }
            }

            kept.AddRange(chunkKept);
            if (request.OnPositionChunk is { } onChunk)
            {
                await onChunk(new MorphoPositionChunk(chunk, count, (chunk * size) + slice.Count, pairs.Count, chunkKept), ct).ConfigureAwait(false);
            }
        }

        return kept;
    }

    private static string PositionsSourceText(MorphoBlueReadRequest request, MorphoBlueDiscovery? discovery)
    {
        var users = request.Users is { } given
            ? $"{given.Count} accounts given by the caller, tried in every market"
            : $"onBehalf of Supply, Borrow and SupplyCollateral events of {request.Morpho.Hex} in blocks {Number(discovery!.FromBlock)}..{Number(discovery.ToBlock)}";
        return $"{users}; position(id, user) by eth_call at block {Number(request.Block)}; kept when borrowShares or collateral > 0";
    }

    private static string CheckId(string id) =>
        MorphoBlueMarketId.IsWellFormed(id) ? id.ToLowerInvariant() : throw new ArgumentException($"'{id}' is not a 0x-prefixed 32-byte market id", nameof(id));

    private async Task<EthCallResult[]> BatchAsync(IReadOnlyList<EthCall> calls, string what, ulong block, CancellationToken ct)
    {
        if (calls.Count == 0)
        {
            return [];
        }

        try
        {
            var results = await _caller.CallAsync(calls, block, ct).ConfigureAwait(false);
            return results.Length == calls.Count
                ? results
                : throw new ChainReadException($"eth_call {what} at block {Number(block)}", $"{results.Length} results for {calls.Count} calls");
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException($"eth_call {what} at block {Number(block)}", e.Message, e);
        }
    }

    private static object[] Decode(AbiFunction fn, EthCallResult result, Address to, string what, ulong block)
    {
        var call = CallName(to, what, block);
        if (!result.Success)
        {
            throw new ChainReadException(call, "reverted");
        }

        try
        {
            return fn.DecodeOutput(result.ReturnData);
        }
        catch (AbiException e)
        {
            throw new ChainReadException(call, $"answered {result.ReturnData.Length} bytes that do not decode as {fn.Name}'s outputs: {e.Message}", e);
        }
    }

    private static BigInteger DecodeAs(AbiFunction fn, EthCallResult result, string call)
    {
        try
        {
            return (BigInteger)fn.DecodeOutput(result.ReturnData)[0];
        }
        catch (AbiException e)
        {
            throw new ChainReadException(call, $"answered {result.ReturnData.Length} bytes that are not a uint256: {e.Message}", e);
        }
    }

    private static bool IsChainFailure(Exception e) =>
        e is RpcTransportException or JsonRpcException or AbiException or TimeoutException or FormatException;

    private static string CallName(Address to, string what, ulong block) => $"eth_call {what} on {to.Hex} at block {Number(block)}";

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
