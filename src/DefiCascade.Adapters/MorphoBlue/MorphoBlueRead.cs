using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.MorphoBlue;

/// <summary>
/// What to read. Markets: <see cref="MarketIds"/>, or when null every CreateMarket of <see cref="Morpho"/> from
/// <see cref="FromBlock"/> to <see cref="Block"/>. Candidate users: <see cref="Users"/> (tried in every market), or
/// when null the onBehalf of every Supply, Borrow and SupplyCollateral in that range. Everything is read at Block.
/// </summary>
public sealed record MorphoBlueReadRequest(Address Morpho, ulong Block)
{
    public IReadOnlyList<string>? MarketIds { get; init; }

    /// <summary>First block of the event scans: the Morpho deployment block, or a later one when the caller knows.</summary>
    public ulong FromBlock { get; init; }

    public IReadOnlyList<Address>? Users { get; init; }

    /// <summary>position(id, user) reads per batch; the callback runs after each.</summary>
    public int PositionChunkSize { get; init; } = 500;

    /// <summary>Called after each chunk of positions, in order: progress and checkpoints for long reads.</summary>
    public Func<MorphoPositionChunk, CancellationToken, Task>? OnPositionChunk { get; init; }
}

/// <summary>One chunk of position reads: chunk <see cref="Index"/> of <see cref="Count"/>, pairs read so far, and the positions it kept.</summary>
public sealed record MorphoPositionChunk(int Index, int Count, int PairsRead, int PairsTotal, IReadOnlyList<MorphoPositionRead> Kept);

public sealed record MorphoPositionRead(string MarketId, MorphoBluePositionSnapshot Position);

/// <summary>
/// How much of one market the read captured. When every borrower was found the borrow shares add up to the
/// market's totalBorrowShares exactly (the contract's totals are sums over positions).
/// </summary>
/// <param name="PairsRead">position(id, user) reads in this market.</param>
/// <param name="PositionsKept">Positions with borrow shares or collateral (lender-only positions are dropped).</param>
/// <param name="BorrowAssetsCaptured">BorrowSharesCaptured x totalBorrowAssets / totalBorrowShares, rounded down; equals totalBorrowAssets when complete.</param>
public sealed record MorphoMarketCoverage(
    string MarketId,
    int PairsRead,
    int PositionsKept,
    BigInteger BorrowSharesCaptured,
    BigInteger TotalBorrowShares,
    BigInteger BorrowAssetsCaptured,
    BigInteger TotalBorrowAssets)
{
    public bool AllBorrowersFound => BorrowSharesCaptured == TotalBorrowShares;
}

/// <summary>A market left out, and why (an idle market: no collateral token or oracle, so nobody can borrow).</summary>
public sealed record MorphoSkippedMarket(string MarketId, string Reason);

/// <summary>
/// The read: markets sorted by id with positions sorted by user, the tokens they name, coverage per market, and
/// the source texts their <c>source</c> and <c>positionsSource</c> keys stand for (merge into origin.sources).
/// </summary>
public sealed record MorphoBlueRead(
    ulong Block,
    IReadOnlyList<MorphoBlueMarketSnapshot> Markets,
    IReadOnlyList<SnapshotToken> Tokens,
    IReadOnlyList<MorphoMarketCoverage> Coverage,
    IReadOnlyList<MorphoSkippedMarket> Skipped,
    IReadOnlyDictionary<string, string> Sources)
{
    public int PairsRead => Coverage.Sum(c => c.PairsRead);

    public int PositionsKept => Coverage.Sum(c => c.PositionsKept);

    /// <summary>One line per market for origin.coverage and logs.</summary>
    public IEnumerable<string> CoverageLines() =>
        Coverage.Select(c =>
            $"{c.MarketId}: {c.PositionsKept} positions of {c.PairsRead} read, borrow shares {c.BorrowSharesCaptured} of {c.TotalBorrowShares} "
            + $"({(c.AllBorrowersFound ? "all borrowers" : "INCOMPLETE")}), borrow assets {c.BorrowAssetsCaptured} of {c.TotalBorrowAssets}")
        .Concat(Skipped.Select(s => $"{s.MarketId}: skipped, {s.Reason}"));
}
