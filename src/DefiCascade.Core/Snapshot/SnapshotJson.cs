namespace DefiCascade.Core.Snapshot;

/// <summary>
/// The snapshot file format (fixtures/SNAPSHOT-SCHEMA.md). Works on strings: Core does no I/O.
/// </summary>
public static class SnapshotJson
{
    /// <summary>Parses and validates; <paramref name="sourceName"/> (usually the file name) is quoted in every error.</summary>
    /// <exception cref="SnapshotFormatException">The text is not a valid snapshot.</exception>
    public static MarketSnapshot Parse(string json, string sourceName) => SnapshotJsonReader.Read(json, sourceName);

    /// <summary>
    /// Deterministic text: lists keep their order, origin.sources is sorted by key, "\n" line
    /// endings, one line per token, price, feed, reserve, position and tick.
    /// </summary>
    public static string Serialize(MarketSnapshot snapshot) => SnapshotJsonWriter.Write(snapshot);
}
