using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefiCascade.Ethereum.Rpc.Fixtures;

/// <summary>
/// The JSONL fixture of <see cref="RecordingRpcTransport"/> and <see cref="ReplayRpcTransport"/>: one line per round trip,
/// {"request": ..., "response": ...} (or "responseText" for an answer that was not JSON). Requests are stored as
/// method and params only; ids become positions (0 for a single request, 0..n-1 in a batch), in the request and in the
/// response alike, so a replay matches whatever ids the caller's client picks. No endpoint is ever stored.
/// </summary>
public static class RpcFixtureFormat
{
    /// <summary>The request without jsonrpc and ids, compact: the lookup key of a replay.</summary>
    public static (string Key, IReadOnlyList<string> CallerIds) Normalize(string requestJson)
    {
        ArgumentNullException.ThrowIfNull(requestJson);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(requestJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"not a JSON-RPC request: {e.Message}", nameof(requestJson), e);
        }

        var ids = new List<string>();
        JsonNode Strip(JsonNode? item)
        {
            var obj = item as JsonObject ?? throw new ArgumentException("a JSON-RPC request must be an object or an array of objects", nameof(requestJson));
            ids.Add(obj["id"]?.ToJsonString() ?? "null");
            return new JsonObject
            {
                ["method"] = obj["method"]?.DeepClone(),
                ["params"] = obj["params"]?.DeepClone() ?? new JsonArray(),
            };
        }

        JsonNode key = root is JsonArray batch ? new JsonArray(batch.Select(Strip).ToArray()) : Strip(root);
        return (key.ToJsonString(), ids);
    }

    /// <summary>Rewrites the response's ids: caller ids to positions (recording) or positions to caller ids (replay).</summary>
    public static string MapIds(string responseJson, Func<string, string?> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var root = JsonNode.Parse(responseJson);
        void Rewrite(JsonNode? item)
        {
            if (item is JsonObject obj && obj["id"] is { } id && map(id.ToJsonString()) is { } replacement)
            {
                obj["id"] = JsonNode.Parse(replacement);
            }
        }

        if (root is JsonArray array)
        {
            foreach (var item in array)
            {
                Rewrite(item);
            }
        }
        else
        {
            Rewrite(root);
        }

        return root?.ToJsonString() ?? "null";
    }

    /// <summary>Caller id to its position, for recording.</summary>
    public static Func<string, string?> ToPositions(IReadOnlyList<string> callerIds)
    {
        ArgumentNullException.ThrowIfNull(callerIds);
        var positions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < callerIds.Count; i++)
        {
            positions.TryAdd(callerIds[i], i.ToString(CultureInfo.InvariantCulture));
        }

        return id => positions.GetValueOrDefault(id);
    }

    /// <summary>Position to the caller's id, for replay.</summary>
    public static Func<string, string?> ToCallerIds(IReadOnlyList<string> callerIds)
    {
        ArgumentNullException.ThrowIfNull(callerIds);
        return id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < callerIds.Count ? callerIds[i] : null;
    }
}
