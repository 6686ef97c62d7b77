using System.Numerics;
using DefiCascade.Adapters.MorphoBlue;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.Tests.MorphoBlue;

public class MorphoBlueEventsTests
{
    private static readonly string Id = "0x" + new string('a', 64);
    private static readonly Address User = Address.FromNumber(0x05e4, 7);
    private static readonly Address Other = Address.FromNumber(0x07e4, 9);

    [Theory]
    [InlineData("CreateMarket(bytes32,(address,address,address,address,uint256))")]
    [InlineData("Supply(bytes32,address,address,uint256,uint256)")]
    [InlineData("Borrow(bytes32,address,address,address,uint256,uint256)")]
    [InlineData("SupplyCollateral(bytes32,address,address,uint256)")]
    public void Topics_are_the_hashes_of_the_EventsLib_signatures(string signature)
    {
        var topic = signature[..signature.IndexOf('(', StringComparison.Ordinal)] switch
        {
            "CreateMarket" => MorphoBlueEvents.CreateMarketTopic,
            "Supply" => MorphoBlueEvents.SupplyTopic,
            "Borrow" => MorphoBlueEvents.BorrowTopic,
            _ => MorphoBlueEvents.SupplyCollateralTopic,
        };
        Assert.Equal(Keccak.Hash256(signature), topic);
    }

    [Fact]
    public void Borrow_owner_is_topic_2_not_the_receiver()
    {
        var log = Log(MorphoBlueEvents.BorrowTopic, User, Other);
        Assert.Equal((Id, User), MorphoBlueEvents.TryDecodePositionOwner(log));
    }

    [Fact]
    public void Supply_and_SupplyCollateral_owner_is_topic_3_not_the_caller()
    {
        Assert.Equal((Id, User), MorphoBlueEvents.TryDecodePositionOwner(Log(MorphoBlueEvents.SupplyTopic, Other, User)));
        Assert.Equal((Id, User), MorphoBlueEvents.TryDecodePositionOwner(Log(MorphoBlueEvents.SupplyCollateralTopic, Other, User)));
    }

    [Fact]
    public void Other_events_are_not_position_owners()
    {
        var withdraw = Keccak.Hash256("Withdraw(bytes32,address,address,address,uint256,uint256)");
        Assert.Null(MorphoBlueEvents.TryDecodePositionOwner(Log(withdraw, User, Other)));
        Assert.Null(MorphoBlueEvents.TryDecodeCreateMarket(Log(MorphoBlueEvents.SupplyTopic, User, Other)));
    }

    [Fact]
    public void CreateMarket_gives_the_id_and_params_whose_hash_is_that_id()
    {
        var p = (Loan: Address.FromNumber(1, 1), Collateral: Address.FromNumber(1, 2), Oracle: Address.FromNumber(1, 3), Irm: Address.Zero, Lltv: BigInteger.Parse("860000000000000000"));
        var id = MorphoBlueMarketId.Compute(p.Loan, p.Collateral, p.Oracle, p.Irm, p.Lltv);
        var data = AbiCodec.Encode(AbiType.ParseList("address,address,address,address,uint256"), [p.Loan, p.Collateral, p.Oracle, p.Irm, p.Lltv]);
        var log = new ChainLog(FakeMorphoChain.MorphoAddress, [MorphoBlueEvents.CreateMarketTopic, Hex.Decode(id)], data, 1, 0, "0x01");

        var (decodedId, decoded) = MorphoBlueEvents.TryDecodeCreateMarket(log)!.Value;

        Assert.Equal(id, decodedId);
        Assert.Equal(new MorphoMarketParamsRead(p.Loan, p.Collateral, p.Oracle, p.Irm, p.Lltv), decoded);
        Assert.Equal(id, decoded.Id);
    }

    [Fact]
    public void A_topic_with_dirty_upper_bytes_is_not_an_address()
    {
        var topic = FakeMorphoChain.AddressTopic(User);
        topic[0] = 1;
        Assert.Throws<FormatException>(() => MorphoBlueEvents.TopicAddress(topic));
    }

    [Fact]
    public void Market_id_equals_keccak_of_abi_encode_for_random_params()
    {
        // Core hashes with its own Keccak; the Ethereum layer's (BouncyCastle) is the reference here.
        var random = new Random(20260302);
        var types = AbiType.ParseList("address,address,address,address,uint256");
        for (var i = 0; i < 300; i++)
        {
            Address[] a = [.. Enumerable.Range(0, 4).Select(_ => RandomAddress(random))];
            var lltv = new BigInteger(random.NextInt64()) * random.Next(1, int.MaxValue);
            var expected = Hex.Encode(Keccak.Hash256(AbiCodec.Encode(types, [a[0], a[1], a[2], a[3], lltv])));
            Assert.Equal(expected, MorphoBlueMarketId.Compute(a[0], a[1], a[2], a[3], lltv));
        }
    }

    private static Address RandomAddress(Random random)
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return Address.Parse(Hex.Encode(bytes));
    }

    private static ChainLog Log(byte[] topic0, Address topic2, Address topic3) =>
        new(FakeMorphoChain.MorphoAddress, [topic0, Hex.Decode(Id), FakeMorphoChain.AddressTopic(topic2), FakeMorphoChain.AddressTopic(topic3)], [], 1, 0, "0x01");
}
