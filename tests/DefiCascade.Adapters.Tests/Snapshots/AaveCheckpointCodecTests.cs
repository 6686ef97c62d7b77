using System.Numerics;
using System.Text.Json.Nodes;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.Snapshots;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.Tests.Snapshots;

public sealed class AaveCheckpointCodecTests
{
    [Fact]
    public void Users_and_positions_come_back_from_the_checkpoint_file_exactly()
    {
        var big = BigInteger.Pow(2, 200) + 12345; // past 64 bits: decimal strings, never JSON numbers
        var user = new AaveV3UserRead(
            Address.FromNumber(9, 1),
            2,
            new UserConfiguration(BigInteger.Parse("6", System.Globalization.CultureInfo.InvariantCulture)),
            [new AaveV3UserReserve(1, "WETH", true, true, big, big + 1, 7, 8, 9)],
            new UserAccountData(1, 2, 3, 8250, 8000, big));
        var eMode = new AaveV3EModeRead(5, "orphan", 9000, 9300, 10100, Address.FromNumber(9, 9));

        var users = AaveCheckpointCodec.ReadUsers(JsonNode.Parse(AaveCheckpointCodec.Users(77, [user.User]).ToJsonString())!);
        var positions = AaveCheckpointCodec.ReadPositions(JsonNode.Parse(AaveCheckpointCodec.Positions(500, [user], [eMode]).ToJsonString())!);

        Assert.Equal(77UL, users.ScannedThrough);
        Assert.Equal([user.User], users.Users);
        Assert.Equal(500, positions.UsersDone);
        var back = Assert.Single(positions.Users);
        Assert.Equal((user.User, user.EMode, user.Configuration, user.AccountData), (back.User, back.EMode, back.Configuration, back.AccountData));
        Assert.Equal(user.Reserves, back.Reserves);
        Assert.Equal(eMode, Assert.Single(positions.ExtraEModes));
    }
}
