using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.Snapshots;

/// <summary>
/// The Aave stages of a checkpoint as JSON: users discovered so far (with the block the scan reached) and the users
/// read so far (every number the reader returned, as decimal strings), so a resumed run rebuilds exactly the same reads.
/// </summary>
internal static class AaveCheckpointCodec
{
    public static JsonObject Users(ulong scannedThrough, IEnumerable<Address> users) => new()
    {
        ["scannedThrough"] = scannedThrough.ToString(CultureInfo.InvariantCulture),
        ["users"] = new JsonArray(users.Select(u => (JsonNode)JsonValue.Create(u.Hex)!).ToArray()),
    };

    public static (ulong ScannedThrough, IReadOnlyList<Address> Users) ReadUsers(JsonNode node) =>
        (ulong.Parse(Text(node, "scannedThrough"), CultureInfo.InvariantCulture),
         Array(node, "users").Select(u => Address.Parse(u!.GetValue<string>())).ToArray());

    public static JsonObject Positions(int usersDone, IEnumerable<AaveV3UserRead> users, IEnumerable<AaveV3EModeRead> extraEModes) => new()
    {
        ["usersDone"] = usersDone,
        ["users"] = new JsonArray(users.Select(User).ToArray()),
        ["extraEModes"] = new JsonArray(extraEModes.Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.Id,
            ["label"] = e.Label,
            ["ltv"] = e.LtvBps,
            ["lt"] = e.LiquidationThresholdBps,
            ["bonus"] = e.LiquidationBonusBps,
            ["priceSource"] = e.PriceSource.Hex,
        }).ToArray()),
    };

    public static (int UsersDone, IReadOnlyList<AaveV3UserRead> Users, IReadOnlyList<AaveV3EModeRead> ExtraEModes) ReadPositions(JsonNode node) =>
        (node["usersDone"]!.GetValue<int>(),
         Array(node, "users").Select(u => ReadUser(u!)).ToArray(),
         Array(node, "extraEModes").Select(e => new AaveV3EModeRead(
             e!["id"]!.GetValue<int>(),
             Text(e, "label"),
             e["ltv"]!.GetValue<int>(),
             e["lt"]!.GetValue<int>(),
             e["bonus"]!.GetValue<int>(),
             Address.Parse(Text(e, "priceSource")))).ToArray());

    private static JsonNode User(AaveV3UserRead u) => new JsonObject
    {
        ["user"] = u.User.Hex,
        ["eMode"] = u.EMode,
        ["configuration"] = Big(u.Configuration.Data),
        ["accountData"] = new JsonArray(
            Big(u.AccountData.TotalCollateralBase), Big(u.AccountData.TotalDebtBase), Big(u.AccountData.AvailableBorrowsBase),
            Big(u.AccountData.CurrentLiquidationThreshold), Big(u.AccountData.Ltv), Big(u.AccountData.HealthFactor)),
        ["reserves"] = new JsonArray(u.Reserves.Select(r => (JsonNode)new JsonArray(
            JsonValue.Create(r.Reserve), JsonValue.Create(r.Asset), JsonValue.Create(r.UsingAsCollateral), JsonValue.Create(r.Borrowing),
            Big(r.ScaledATokenBalance), Big(r.ATokenBalance), Big(r.ScaledVariableDebt), Big(r.VariableDebt), Big(r.StableDebt))).ToArray()),
    };

    private static AaveV3UserRead ReadUser(JsonNode n)
    {
        var a = Array(n, "accountData").Select(x => Parse(x!)).ToArray();
        var reserves = Array(n, "reserves").Select(r =>
        {
            var f = r!.AsArray();
            return new AaveV3UserReserve(
                f[0]!.GetValue<int>(), f[1]!.GetValue<string>(), f[2]!.GetValue<bool>(), f[3]!.GetValue<bool>(),
                Parse(f[4]!), Parse(f[5]!), Parse(f[6]!), Parse(f[7]!), Parse(f[8]!));
        }).ToArray();
        return new AaveV3UserRead(
            Address.Parse(Text(n, "user")),
            n["eMode"]!.GetValue<int>(),
            new UserConfiguration(BigInteger.Parse(Text(n, "configuration"), CultureInfo.InvariantCulture)),
            reserves,
            new UserAccountData(a[0], a[1], a[2], a[3], a[4], a[5]));
    }

    private static JsonNode Big(BigInteger value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture))!;

    private static BigInteger Parse(JsonNode node) => BigInteger.Parse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Text(JsonNode node, string field) =>
        node[field]?.GetValue<string>() ?? throw new FormatException($"checkpoint field '{field}' is missing");

    private static JsonArray Array(JsonNode node, string field) =>
        node[field] as JsonArray ?? throw new FormatException($"checkpoint field '{field}' is missing or not an array");
}
