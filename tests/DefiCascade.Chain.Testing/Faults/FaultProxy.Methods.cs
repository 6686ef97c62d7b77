using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefiCascade.Chain.Testing.Faults;

public sealed partial class FaultProxy
{
    private readonly ConcurrentQueue<string> _methods = new();

    /// <summary>Every JSON-RPC method the proxy was asked, in arrival order (batches in their order), refused or not.</summary>
    public IReadOnlyList<string> Methods => _methods.ToArray();

    private void NoteMethods(string request)
    {
        foreach (var call in Calls(request))
        {
            if (call["method"]?.GetValue<string>() is { } method)
            {
                _methods.Enqueue(method);
            }
        }
    }

    /// <summary>
    /// Answers the calls whose method starts with a refused prefix with -32601 (the wording of geth's "the method X does
    /// not exist/is not available"), forwards the rest, and merges the answers in request order. Null: nothing refused.
    /// </summary>
    private async Task<(int Status, string Body)?> RefuseMethodsAsync(string request, IReadOnlyList<string> prefixes, CancellationToken ct)
    {
        var calls = Calls(request);
        var refused = calls.Where(c => c["method"]?.GetValue<string>() is { } m && prefixes.Any(p => m.StartsWith(p, StringComparison.Ordinal))).ToHashSet();
        if (refused.Count == 0)
        {
            return null;
        }

        JsonObject Missing(JsonObject c) => new()
        {
            ["jsonrpc"] = "2.0",
            ["id"] = c["id"]?.DeepClone(),
            ["error"] = new JsonObject { ["code"] = -32601, ["message"] = $"the method {c["method"]!.GetValue<string>()} does not exist/is not available" },
        };

        if (JsonNode.Parse(request) is not JsonArray)
        {
            return (200, Missing(calls[0]).ToJsonString());
        }

        var rest = calls.Where(c => !refused.Contains(c)).ToArray();
        var forwarded = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (rest.Length > 0)
        {
            var (status, body) = await ForwardAsync(new JsonArray(rest.Select(c => (JsonNode?)c.DeepClone()).ToArray()).ToJsonString(), ct).ConfigureAwait(false);
            if (status != 200 || JsonNode.Parse(body) is not JsonArray answers)
            {
                return (status, body);
            }

            foreach (var answer in answers.OfType<JsonObject>())
            {
                forwarded[answer["id"]?.ToJsonString() ?? "null"] = answer.DeepClone();
            }
        }

        var merged = new JsonArray(calls.Select(c => refused.Contains(c)
            ? (JsonNode)Missing(c)
            : forwarded.TryGetValue(c["id"]?.ToJsonString() ?? "null", out var a) ? a.DeepClone() : Missing(c)).ToArray());
        return (200, merged.ToJsonString());
    }

    private static JsonObject[] Calls(string request)
    {
        try
        {
            return JsonNode.Parse(request) switch
            {
                JsonArray array => array.OfType<JsonObject>().ToArray(),
                JsonObject single => [single],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
