using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.MorphoBlue;

/// <summary>A market's params as CreateMarket logged them (IMorpho.MarketParams).</summary>
public sealed record MorphoMarketParamsRead(Address LoanToken, Address CollateralToken, Address Oracle, Address Irm, BigInteger Lltv)
{
    /// <summary>MarketParamsLib.id of these params.</summary>
    public string Id => Core.Snapshot.MorphoBlueMarketId.Compute(LoanToken, CollateralToken, Oracle, Irm, Lltv);
}

/// <summary>
/// The Morpho Blue 1.0.0 events the reader scans (EventsLib.sol), with topic0 from contracts-abi/MorphoBlue.json. A
/// position can only gain collateral or borrow shares through SupplyCollateral or Borrow, so their onBehalf
/// addresses are every account that can be at risk; Supply adds the lenders.
/// </summary>
public static class MorphoBlueEvents
{
    private static readonly Lazy<ContractAbi> Abi = new(() => AdapterAbis.Get("MorphoBlue").Abi);

    public static byte[] CreateMarketTopic => Topic("CreateMarket");

    public static byte[] SupplyTopic => Topic("Supply");

    public static byte[] BorrowTopic => Topic("Borrow");

    public static byte[] SupplyCollateralTopic => Topic("SupplyCollateral");

    /// <summary>CreateMarket(Id indexed id, MarketParams marketParams): the id (topic 1) and the params (data), or null for another event.</summary>
    public static (string Id, MorphoMarketParamsRead Params)? TryDecodeCreateMarket(ChainLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Topics.Count != 2 || !log.Topics[0].AsSpan().SequenceEqual(CreateMarketTopic))
        {
            return null;
        }

        var words = AbiCodec.Decode(AbiType.ParseList("address,address,address,address,uint256"), log.Data);
        var p = new MorphoMarketParamsRead((Address)words[0], (Address)words[1], (Address)words[2], (Address)words[3], (BigInteger)words[4]);
        return (Hex.Encode(log.Topics[1]), p);
    }

    /// <summary>
    /// The (market id, onBehalf) of a Supply, Borrow or SupplyCollateral log, or null for another event. onBehalf is
    /// topic 3 of Supply and SupplyCollateral (id, caller, onBehalf) but topic 2 of Borrow, whose caller is not indexed
    /// (id, onBehalf, receiver).
    /// </summary>
    public static (string Id, Address OnBehalf)? TryDecodePositionOwner(ChainLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Topics.Count != 4)
        {
            return null;
        }

        var topic0 = log.Topics[0].AsSpan();
        int index;
        if (topic0.SequenceEqual(SupplyTopic) || topic0.SequenceEqual(SupplyCollateralTopic))
        {
            index = 3;
        }
        else if (topic0.SequenceEqual(BorrowTopic))
        {
            index = 2;
        }
        else
        {
            return null;
        }

        return (Hex.Encode(log.Topics[1]), TopicAddress(log.Topics[index]));
    }

    /// <summary>An indexed address: the low 20 bytes of a 32-byte topic (the upper 12 are zero).</summary>
    public static Address TopicAddress(byte[] topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length != 32 || topic.AsSpan(0, 12).ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"topic {Hex.Encode(topic)} is not an indexed address");
        }

        return Address.Parse(Hex.Encode(topic.AsSpan(12)));
    }

    private static byte[] Topic(string name) =>
        Keccak.Hash256(Abi.Value.Events.Single(e => e.Name == name).Signature);
}
