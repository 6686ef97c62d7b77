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
    /// The same from the file's bytes (UTF-8, with or without a byte-order mark): what the CLI reads, since a
    /// 1M-position file is ~155 MB and decoding it into a string first doubles that and the time to parse.
    /// </summary>
    /// <exception cref="SnapshotFormatException">The bytes are not a valid snapshot (bytes that are not UTF-8 included).</exception>
    public static MarketSnapshot Parse(ReadOnlyMemory<byte> utf8, string sourceName) => SnapshotJsonReader.Read(utf8, sourceName);

    /// <summary>
    /// Deterministic text: lists keep their order, origin.sources is sorted by key, "\n" line
    /// endings, one line per token, price, feed, reserve, position and tick.
    /// </summary>
    public static string Serialize(MarketSnapshot snapshot) => SnapshotJsonWriter.Write(snapshot);
}
