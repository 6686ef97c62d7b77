using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefiCascade.Chain.Testing.Faults;

/// <summary>The eth_getLogs range rule: providers refuse filters spanning more than a fixed number of blocks.</summary>
public sealed partial class FaultProxy
{
    /// <summary>
    /// The answer when some eth_getLogs call of the request spans more than <paramref name="limit"/> blocks: an error
    /// object for each such call, and for a batch the node's answers to the other calls next to them (JSON-RPC matches
    /// answers by id, in any order).
    /// Null when nothing is refused (or the body is not JSON-RPC: the node reports that itself).
    /// </summary>
    private async Task<(int Status, string Body)?> RefuseWideLogsAsync(string request, ulong limit, LogRangeRefusal refusal, CancellationToken ct)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(request);
        }
        catch (JsonException)
        {
            return null;
        }

        var calls = root switch
        {
            JsonArray array => array.OfType<JsonObject>().ToArray(),
            JsonObject single => [single],
            _ => [],
        };
        ulong? head = null;
        var refused = new List<JsonObject>();
        foreach (var call in calls.Where(c => c["method"]?.GetValue<string>() == "eth_getLogs"))
        {
            var filter = call["params"] is JsonArray { Count: > 0 } p ? p[0] as JsonObject : null;
            if (filter is null || filter.ContainsKey("blockHash"))
            {
                continue;
            }

            head ??= await HeadAsync(ct).ConfigureAwait(false);
            var from = Block(filter["fromBlock"], head.Value);
            var to = Block(filter["toBlock"], head.Value);
            if (from is { } f && to is { } t && t >= f && t - f + 1 > limit)
            {
                refused.Add(call);
            }
        }

        if (refused.Count == 0)
        {
            return null;
        }

        Counted(FaultKind.LogRangeRefused, refused.Count);
        var errors = refused.Select(c => new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = c["id"]?.DeepClone(),
            ["error"] = new JsonObject { ["code"] = refusal.Code, ["message"] = refusal.Message },
        }).ToArray();
        if (root is not JsonArray)
        {
            return (200, errors[0].ToJsonString());
        }

        var rest = calls.Except(refused).ToArray();
        var answers = new JsonArray();
        if (rest.Length > 0)
        {
            var (status, body) = await ForwardAsync(new JsonArray(rest.Select(c => (JsonNode?)c.DeepClone()).ToArray()).ToJsonString(), ct).ConfigureAwait(false);
            if (status != 200 || JsonNode.Parse(body) is not JsonArray forwarded)
            {
                return (status, body);
            }

            foreach (var answer in forwarded)
            {
                answers.Add(answer?.DeepClone());
            }
        }

        foreach (var error in errors)
        {
            answers.Add(error);
        }

        return (200, answers.ToJsonString());
    }

    private async Task<ulong> HeadAsync(CancellationToken ct)
    {
        var (_, body) = await ForwardAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}""", ct).ConfigureAwait(false);
        return ulong.Parse(JsonNode.Parse(body)!["result"]!.GetValue<string>()[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>A filter bound as a number: absent means latest (eth_getLogs' default), tags resolve against the head.</summary>
    private static ulong? Block(JsonNode? bound, ulong head)
    {
        var text = bound?.GetValue<string>() ?? "latest";
        return text switch
        {
            "earliest" => 0,
            "latest" or "pending" or "safe" or "finalized" => head,
            _ when text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}
