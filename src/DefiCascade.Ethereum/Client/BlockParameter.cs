using System.Globalization;

namespace DefiCascade.Ethereum.Client;

/// <summary>The block a read is made at: every on-chain read names one (STYLE.md habit 4).</summary>
public readonly record struct BlockParameter
{
    private readonly string? _tag;

    private BlockParameter(string tag, ulong? number)
    {
        _tag = tag;
        Number = number;
    }

    public static BlockParameter Latest { get; } = new("latest", null);

    public static BlockParameter Pending { get; } = new("pending", null);

    public static BlockParameter Earliest { get; } = new("earliest", null);

    public ulong? Number { get; }

    public static BlockParameter At(ulong number) => new("0x" + number.ToString("x", CultureInfo.InvariantCulture), number);

    /// <summary>The JSON-RPC form: a tag or a hex block number.</summary>
    public string ToRpc() => _tag ?? "latest";

    public override string ToString() => ToRpc();
}
