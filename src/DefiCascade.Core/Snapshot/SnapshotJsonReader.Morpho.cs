using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

internal sealed partial class SnapshotJsonReader
{
    private static readonly BigInteger Wad = BigInteger.Pow(10, 18);

    // ConstantsLib.MAX_FEE of Morpho Blue 1.0.0.
    private static readonly BigInteger MaxMorphoFee = Wad / 4;

    private static readonly BigInteger MaxUint128 = (BigInteger.One << 128) - 1;
    private static readonly BigInteger MaxUint256 = (BigInteger.One << 256) - 1;

    private List<MorphoBlueMarketSnapshot> ReadMorphoMarkets(JsonNodeReader list, long blockTimestamp)
    {
        var markets = new List<MorphoBlueMarketSnapshot>();
        var ids = new HashSet<(Address Morpho, string Id)>();
        foreach (var node in list.Items())
        {
            node.AllowOnly(
                "id", "morpho", "loanToken", "collateralToken", "oracle", "irm", "lltv", "oraclePrice", "totalSupplyAssets", "totalSupplyShares",
                "totalBorrowAssets", "totalBorrowShares", "lastUpdate", "fee", "source", "positionsSource", "positions");
            var idNode = node.Child("id");
            var idText = idNode.String();
            if (!MorphoBlueMarketId.IsWellFormed(idText))
            {
                throw idNode.Error($"'{idText}' is not a 0x-prefixed 32-byte hex market id");
            }

            var id = MorphoBlueMarketId.Normalize(idText);
            var morpho = node.Child("morpho").Address();
            var loan = Asset(node.Child("loanToken"));
            var collateral = Asset(node.Child("collateralToken"));
            var oracle = node.Child("oracle").Address();
            var irm = node.Child("irm").Address();

            // Morpho.enableLltv admits only lltv < WAD.
            var lltvNode = node.Child("lltv");
            var lltv = lltvNode.Unsigned();
            if (lltv >= Wad)
            {
                throw lltvNode.Error($"{lltv} is not below 1e18 (Morpho.enableLltv requires lltv < WAD)");
            }

            // The id is derived, not chosen: a mismatch means the params or the tokens' addresses are not the market's.
            var expected = MorphoBlueMarketId.Compute(_tokens[loan].Address, _tokens[collateral].Address, oracle, irm, lltv);
            if (id != expected)
            {
                throw idNode.Error($"{id} is not keccak256(abi.encode(loanToken, collateralToken, oracle, irm, lltv)) = {expected}");
            }

            if (!ids.Add((morpho, id)))
            {
                throw idNode.Error($"duplicate market {id} of {morpho}");
            }

            var price = Uint(node.Child("oraclePrice"), MaxUint256);
            if (price.IsZero)
            {
                // A missing price is an error, never a default: at 0 every borrower would look insolvent.
                throw node.Child("oraclePrice").Error("must be greater than zero");
            }

            var supplyAssets = Uint(node.Child("totalSupplyAssets"), MaxUint128);
            var supplyShares = Uint(node.Child("totalSupplyShares"), MaxUint128);
            var borrowAssetsNode = node.Child("totalBorrowAssets");
            var borrowAssets = Uint(borrowAssetsNode, MaxUint128);
            var borrowShares = Uint(node.Child("totalBorrowShares"), MaxUint128);

            // Morpho keeps borrows within supply: borrow and withdraw check liquidity; accrual and bad debt move both totals.
            if (borrowAssets > supplyAssets)
            {
                throw borrowAssetsNode.Error($"{borrowAssets} exceeds totalSupplyAssets {supplyAssets}");
            }

            // createMarket stamps lastUpdate with the block timestamp, so a created market has one in (0, block].
            var lastUpdate = node.Child("lastUpdate").Long(1, blockTimestamp);
            var feeNode = node.Child("fee");
            var fee = feeNode.Unsigned();
            if (fee > MaxMorphoFee)
            {
                throw feeNode.Error($"{fee} exceeds MAX_FEE 250000000000000000");
            }

            var source = ReadSource(node);
            var positionsSource = SourceKey(node.Child("positionsSource"));
            var positions = ReadMorphoPositions(node.Child("positions"), supplyShares, borrowShares);
            markets.Add(new MorphoBlueMarketSnapshot(
                id, morpho, loan, collateral, oracle, irm, lltv, price, supplyAssets, supplyShares, borrowAssets, borrowShares, lastUpdate, fee,
                positions, source, positionsSource));
        }

        return markets;
    }

    private List<MorphoBluePositionSnapshot> ReadMorphoPositions(JsonNodeReader list, BigInteger totalSupplyShares, BigInteger totalBorrowShares)
    {
        var positions = new List<MorphoBluePositionSnapshot>();
        var users = new HashSet<Address>();
        BigInteger supplied = 0;
        BigInteger borrowed = 0;
        foreach (var node in list.Items())
        {
            node.AllowOnly("user", "supplyShares", "borrowShares", "collateral");
            var userNode = node.Child("user");
            var user = userNode.Address();
            if (!users.Add(user))
            {
                throw userNode.Error($"duplicate user {user}");
            }

            var position = new MorphoBluePositionSnapshot(
                user, Uint(node.Child("supplyShares"), MaxUint256), Uint(node.Child("borrowShares"), MaxUint128), Uint(node.Child("collateral"), MaxUint128));
            supplied += position.SupplyShares;
            borrowed += position.BorrowShares;

            // The market's totals are the sums over every position: a subset can never exceed them.
            if (supplied > totalSupplyShares)
            {
                throw node.Child("supplyShares").Error($"the positions' supply shares so far ({supplied}) exceed the market's totalSupplyShares {totalSupplyShares}");
            }

            if (borrowed > totalBorrowShares)
            {
                throw node.Child("borrowShares").Error($"the positions' borrow shares so far ({borrowed}) exceed the market's totalBorrowShares {totalBorrowShares}");
            }

            positions.Add(position);
        }

        return positions;
    }

    private static BigInteger Uint(JsonNodeReader node, BigInteger max)
    {
        var value = node.Unsigned();
        return value <= max ? value : throw node.Error($"{value} does not fit a uint{(max == MaxUint128 ? 128 : 256)}");
    }

    private string SourceKey(JsonNodeReader node)
    {
        var key = node.NonEmptyString();
        return _sources.ContainsKey(key) ? key : throw node.Error($"'{key}' is not a key of origin.sources");
    }
}
