namespace DefiCascade.Core.Snapshot;

/// <summary>
/// A snapshot file that cannot be trusted: the message names the file and the JSON path, so a
/// reader can fix the input without a debugger (e.g. "x.json: aaveV3Markets[0].reserves[2].ltvBps: ...").
/// </summary>
public sealed class SnapshotFormatException : Exception
{
    public SnapshotFormatException(string source, string field, string detail, Exception? inner = null)
        : base($"{source}: {field}: {detail}", inner)
    {
        Source = source;
        Field = field;
        Detail = detail;
    }

    /// <summary>The file (or other name) the caller gave to <see cref="SnapshotJson.Parse"/>.</summary>
    public new string Source { get; }

    /// <summary>JSON path of the offending value; "$" for the document as a whole.</summary>
    public string Field { get; }

    public string Detail { get; }
}
