using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.Tests.MorphoBlue;

/// <summary>
/// An in-memory Morpho Blue, its oracles and ERC-20s behind <see cref="IBatchCaller"/>: answers idToMarketParams,
/// market, position, price, decimals and symbol as the contracts encode them, and counts batches and calls.
/// Unknown calls revert, as a missing function does.
/// </summary>
internal sealed class FakeMorphoChain : IBatchCaller
{
    public static readonly Address MorphoAddress = Address.FromNumber(0x11111111, 1);

    private static readonly byte[] ParamsSelector = AbiSignature.Selector("idToMarketParams(bytes32)");
    private static readonly byte[] MarketSelector = AbiSignature.Selector("market(bytes32)");
    private static readonly byte[] PositionSelector = AbiSignature.Selector("position(bytes32,address)");
    private static readonly byte[] PriceSelector = AbiSignature.Selector("price()");
    private static readonly byte[] DecimalsSelector = AbiSignature.Selector("decimals()");
    private static readonly byte[] SymbolSelector = AbiSignature.Selector("symbol()");

    public Dictionary<string, (Address Loan, Address Collateral, Address Oracle, Address Irm, BigInteger Lltv)> Params { get; } = new(StringComparer.Ordinal);

    /// <summary>totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate, fee.</summary>
    public Dictionary<string, BigInteger[]> Markets { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Id, Address User), (BigInteger Supply, BigInteger Borrow, BigInteger Collateral)> Positions { get; } = [];

    /// <summary>null: price() reverts.</summary>
    public Dictionary<Address, BigInteger?> Prices { get; } = [];

    public Dictionary<Address, (string Symbol, int Decimals)> Tokens { get; } = [];

    public List<ChainLog> Logs { get; } = [];

    public int Batches { get; private set; }

    public int Calls { get; private set; }

    public List<ulong> BlocksAsked { get; } = [];

    /// <summary>Creates a market as createMarket would, logs CreateMarket, and returns its id.</summary>
    public string CreateMarket(Address loan, Address collateral, Address oracle, Address irm, BigInteger lltv, BigInteger price, long lastUpdate = 1_000)
    {
        var id = MorphoBlueMarketId.Compute(loan, collateral, oracle, irm, lltv);
        Params[id] = (loan, collateral, oracle, irm, lltv);
        Markets[id] = [0, 0, 0, 0, lastUpdate, 0];
        Prices[oracle] = price;
        var data = AbiCodec.Encode(AbiType.ParseList("address,address,address,address,uint256"), [loan, collateral, oracle, irm, lltv]);
        Logs.Add(new ChainLog(MorphoAddress, [Topic("CreateMarket(bytes32,(address,address,address,address,uint256))"), Hex.Decode(id)], data, 10, Logs.Count, "0x01"));
        return id;
    }

    /// <summary>Sets a position, adds it to the market's totals (assets = shares / 1e6, the virtual-share ratio) and logs the event that made it.</summary>
    public void Open(string id, Address user, BigInteger supplyShares, BigInteger borrowShares, BigInteger collateral)
    {
        Positions[(id, user)] = (supplyShares, borrowShares, collateral);
        var m = Markets[id];
        m[0] += supplyShares / 1_000_000;
        m[1] += supplyShares;
        m[2] += borrowShares / 1_000_000;
        m[3] += borrowShares;
        var caller = Address.FromNumber(0xca11e4, 1);
        var receiver = Address.FromNumber(0x4ece17e4, 1);
        var words = AbiCodec.Encode(AbiType.ParseList("uint256,uint256"), [BigInteger.One, BigInteger.One]);
        if (!supplyShares.IsZero)
        {
            Logs.Add(Log("Supply(bytes32,address,address,uint256,uint256)", id, caller, user, words));
        }

        if (!collateral.IsZero)
        {
            Logs.Add(Log("SupplyCollateral(bytes32,address,address,uint256)", id, caller, user, words[..32]));
        }

        if (!borrowShares.IsZero)
        {
            // Borrow: (id, onBehalf, receiver) indexed; caller sits in the data.
            var data = AbiCodec.Encode(AbiType.ParseList("address,uint256,uint256"), [caller, BigInteger.One, BigInteger.One]);
            Logs.Add(Log("Borrow(bytes32,address,address,address,uint256,uint256)", id, user, receiver, data));
        }
    }

    public Task<EthCallResult[]> CallAsync(IReadOnlyList<EthCall> calls, ulong block, CancellationToken ct = default)
    {
        Batches++;
        Calls += calls.Count;
        BlocksAsked.Add(block);
        return Task.FromResult(calls.Select(Answer).ToArray());
    }

    public static byte[] Topic(string signature) => Keccak.Hash256(signature);

    public static byte[] AddressTopic(Address a) => [.. new byte[12], .. Hex.Decode(a.Hex)];

    private ChainLog Log(string signature, string id, Address topic2, Address topic3, byte[] data) =>
        new(MorphoAddress, [Topic(signature), Hex.Decode(id), AddressTopic(topic2), AddressTopic(topic3)], data, 20, Logs.Count, "0x02");

    private EthCallResult Answer(EthCall call)
    {
        var selector = call.Data[..4];
        var args = call.Data[4..];
        if (call.To == MorphoAddress && selector.SequenceEqual(ParamsSelector))
        {
            var id = Hex.Encode(args);
            var p = Params.GetValueOrDefault(id);
            return Ok("address,address,address,address,uint256", p.Loan, p.Collateral, p.Oracle, p.Irm, p.Lltv);
        }

        if (call.To == MorphoAddress && selector.SequenceEqual(MarketSelector))
        {
            var m = Markets.GetValueOrDefault(Hex.Encode(args)) ?? [0, 0, 0, 0, 0, 0];
            return Ok("uint128,uint128,uint128,uint128,uint128,uint128", [.. m.Cast<object>()]);
        }

        if (call.To == MorphoAddress && selector.SequenceEqual(PositionSelector))
        {
            var decoded = AbiCodec.Decode(AbiType.ParseList("bytes32,address"), args);
            var p = Positions.GetValueOrDefault((Hex.Encode((byte[])decoded[0]), (Address)decoded[1]));
            return Ok("uint256,uint128,uint128", p.Supply, p.Borrow, p.Collateral);
        }

        if (selector.SequenceEqual(PriceSelector) && Prices.TryGetValue(call.To, out var price))
        {
            return price is { } v ? Ok("uint256", v) : new EthCallResult(false, []);
        }

        if (Tokens.TryGetValue(call.To, out var token))
        {
            if (selector.SequenceEqual(DecimalsSelector))
            {
                return Ok("uint8", token.Decimals);
            }

            if (selector.SequenceEqual(SymbolSelector))
            {
                return Ok("string", token.Symbol);
            }
        }

        return new EthCallResult(false, []);
    }

    private static EthCallResult Ok(string types, params object[] values) => new(true, AbiCodec.Encode(AbiType.ParseList(types), values));
}

/// <summary>An <see cref="ILogSource"/> over a list, delivered in chunks of <paramref name="chunkBlocks"/> blocks, honouring the range and topics.</summary>
internal sealed class FakeLogSource(IReadOnlyList<ChainLog> logs, ulong chunkBlocks = 5) : ILogSource
{
    public int Scans { get; private set; }

    public async Task ScanAsync(LogFilter filter, ulong fromBlock, ulong toBlock, Func<LogChunk, CancellationToken, Task> onChunk, CancellationToken ct = default)
    {
        Scans++;
        for (var start = fromBlock; start <= toBlock; start += chunkBlocks)
        {
            var end = Math.Min(toBlock, start + chunkBlocks - 1);
            var chunk = logs
                .Where(l => l.BlockNumber >= start && l.BlockNumber <= end)
                .Where(l => filter.Addresses.Contains(l.Address) && filter.Topic0.Any(t => t.AsSpan().SequenceEqual(l.Topics[0])))
                .ToArray();
            await onChunk(new LogChunk(chunk, end), ct);
        }
    }
}
