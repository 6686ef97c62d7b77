using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// One Morpho Blue market at the snapshot block: its params (IMorpho.MarketParams, tokens by symbol), the oracle's
/// price() at that block, the raw IMorpho.Market totals and the positions found. Shares stay shares: the Lending
/// model converts them to assets with the contract's rounding.
/// </summary>
/// <param name="Id">MarketParamsLib.id: 0x + 64 lower-case hex digits, keccak256(abi.encode(MarketParams)).</param>
/// <param name="Morpho">The Morpho contract holding the market.</param>
/// <param name="Lltv">Liquidation LTV, wad (0.86e18 = 86%).</param>
/// <param name="OraclePrice">IOracle.price() at the block: 1 collateral base unit in loan base units, scaled by 1e36.</param>
/// <param name="LastUpdate">Block timestamp of the market's last interest accrual.</param>
/// <param name="Fee">Share of interest taken as fee, wad (at most 0.25e18).</param>
/// <param name="PositionsSource">A source key naming how the positions were found (event scan, list).</param>
public sealed record MorphoBlueMarketSnapshot(
    string Id,
    Address Morpho,
    string LoanToken,
    string CollateralToken,
    Address Oracle,
    Address Irm,
    BigInteger Lltv,
    BigInteger OraclePrice,
    BigInteger TotalSupplyAssets,
    BigInteger TotalSupplyShares,
    BigInteger TotalBorrowAssets,
    BigInteger TotalBorrowShares,
    long LastUpdate,
    BigInteger Fee,
    IReadOnlyList<MorphoBluePositionSnapshot> Positions,
    string Source,
    string PositionsSource);

/// <summary>IMorpho.Position of one user in one market: raw shares and collateral (collateral-token base units).</summary>
public sealed record MorphoBluePositionSnapshot(Address User, BigInteger SupplyShares, BigInteger BorrowShares, BigInteger Collateral);

/// <summary>MarketParamsLib.id of Morpho Blue: the market id is keccak256 of the five abi-encoded params.</summary>
public static class MorphoBlueMarketId
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>keccak256(abi.encode(loanToken, collateralToken, oracle, irm, lltv)) as 0x + 64 lower-case hex digits.</summary>
    public static string Compute(Address loanToken, Address collateralToken, Address oracle, Address irm, BigInteger lltv)
    {
        if (lltv.Sign < 0 || lltv >= BigInteger.One << 256)
        {
            throw new ArgumentOutOfRangeException(nameof(lltv), lltv, "lltv must fit a uint256");
        }

        // abi.encode of five static values: five 32-byte words, addresses and the number left-padded with zeros.
        var encoded = new byte[5 * 32];
        Address[] addresses = [loanToken, collateralToken, oracle, irm];
        for (var i = 0; i < addresses.Length; i++)
        {
            Convert.FromHexString(addresses[i].Hex.AsSpan(2)).CopyTo(encoded, (i * 32) + 12);
        }

        var number = lltv.ToByteArray(isUnsigned: true, isBigEndian: true);
        number.CopyTo(encoded, encoded.Length - number.Length);
        return "0x" + Convert.ToHexStringLower(Keccak256.Hash(encoded));
    }

    /// <summary>True for 0x + 64 hex digits (either case).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 66 } && id.StartsWith("0x", StringComparison.Ordinal) && !id.AsSpan(2).ContainsAnyExcept(HexDigits);

    internal static string Normalize(string id) => id.ToLower(CultureInfo.InvariantCulture);
}
