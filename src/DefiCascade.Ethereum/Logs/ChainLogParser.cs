using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum.Logs;

/// <summary>
/// Reads an eth_getLogs answer field by field. Every malformed value is an error naming the range, the log's position
/// and the field: a log silently dropped or misread would become a wrong position in a simulation.
/// </summary>
public static class ChainLogParser
{
    /// <summary>The logs of one answer for [from, to], sorted by (block, log index).</summary>
    public static IReadOnlyList<ChainLog> ParseAll(JsonElement result, ulong from, ulong to)
    {
        var where = $"eth_getLogs [{from}, {to}]";
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new LogScanException($"{where}: expected an array of logs, got {result.ValueKind}");
        }

        var logs = new List<ChainLog>();
        var position = 0;
        foreach (var item in result.EnumerateArray())
        {
            var at = $"{where}, log #{position++}";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new LogScanException($"{at}: expected an object, got {item.ValueKind}");
            }

            // removed: true marks a log of a block reorganized away; it is not part of the chain being scanned.
            if (item.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            var log = Parse(item, at);
            if (log.BlockNumber < from || log.BlockNumber > to)
            {
                throw new LogScanException($"{at}: field 'blockNumber' is {log.BlockNumber}, outside the requested range");
            }

            logs.Add(log);
        }

        logs.Sort(static (a, b) => a.BlockNumber != b.BlockNumber ? a.BlockNumber.CompareTo(b.BlockNumber) : a.LogIndex.CompareTo(b.LogIndex));
        for (var i = 1; i < logs.Count; i++)
        {
            if (logs[i].BlockNumber == logs[i - 1].BlockNumber && logs[i].LogIndex == logs[i - 1].LogIndex)
            {
                throw new LogScanException($"{where}: two logs share block {logs[i].BlockNumber} and log index {logs[i].LogIndex}");
            }
        }

        return logs;
    }

    /// <summary>One log object; <paramref name="at"/> prefixes every error.</summary>
    public static ChainLog Parse(JsonElement log, string at)
    {
        var address = Text(log, "address", at);
        if (!Address.TryParse(address, out var parsed))
        {
            throw new LogScanException($"{at}: field 'address' is not a 20-byte hex address: '{Clip(address)}'");
        }

        if (!log.TryGetProperty("topics", out var topicsJson) || topicsJson.ValueKind != JsonValueKind.Array)
        {
            throw new LogScanException($"{at}: field 'topics' is missing or not an array");
        }

        var topics = new List<byte[]>();
        foreach (var t in topicsJson.EnumerateArray())
        {
            var field = $"topics[{topics.Count}]";
            var bytes = t.ValueKind == JsonValueKind.String ? Bytes(t.GetString()!, field, at) : throw new LogScanException($"{at}: field '{field}' is not a string");
            topics.Add(bytes.Length == 32 ? bytes : throw new LogScanException($"{at}: field '{field}' has {bytes.Length} bytes, a topic has 32"));
        }

        if (topics.Count > 4)
        {
            throw new LogScanException($"{at}: field 'topics' has {topics.Count} entries, a log has at most 4");
        }

        var data = Bytes(Text(log, "data", at), "data", at);
        var block = Quantity(log, "blockNumber", at, ulong.MaxValue);
        var index = Quantity(log, "logIndex", at, int.MaxValue);
        var tx = Text(log, "transactionHash", at);
        if (Bytes(tx, "transactionHash", at).Length != 32)
        {
            throw new LogScanException($"{at}: field 'transactionHash' is not a 32-byte hash: '{Clip(tx)}'");
        }

        return new ChainLog(parsed, topics, data, (ulong)block, (int)index, tx.ToLowerInvariant());
    }

    private static string Text(JsonElement log, string field, string at) =>
        log.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new LogScanException($"{at}: field '{field}' is missing or not a string");

    private static byte[] Bytes(string hex, string field, string at)
    {
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new LogScanException($"{at}: field '{field}' is not 0x-prefixed hex: '{Clip(hex)}'");
        }

        try
        {
            return Hex.Decode(hex);
        }
        catch (FormatException e)
        {
            throw new LogScanException($"{at}: field '{field}' is not hex data ({e.Message})");
        }
    }

    private static BigInteger Quantity(JsonElement log, string field, string at, BigInteger max)
    {
        var text = Text(log, field, at);
        BigInteger value;
        try
        {
            value = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? Hex.DecodeQuantity(text)
                : throw new FormatException("not 0x-prefixed");
        }
        catch (FormatException e)
        {
            throw new LogScanException($"{at}: field '{field}' is not a hex quantity: '{Clip(text)}' ({e.Message})");
        }

        return value <= max ? value : throw new LogScanException($"{at}: field '{field}' is {value.ToString(CultureInfo.InvariantCulture)}, above {max}");
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
