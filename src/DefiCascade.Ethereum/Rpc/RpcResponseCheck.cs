using System.Text.Json;

namespace DefiCascade.Ethereum.Rpc;

/// <summary>
/// Whether a raw response is a well-formed answer to a raw request: JSON, the right shape (object for a request, array
/// for a batch), exactly the request's ids, and not a rate-limit refusal. A node error for the request itself is a
/// well-formed answer: the client reports it. Used by <see cref="RetryingRpcTransport"/> to tell a garbled or
/// throttled answer (worth another attempt) from a real one.
/// </summary>
public sealed class RpcResponseCheck
{
    private readonly List<string> _ids = [];
    private readonly List<string> _methods = [];

    private RpcResponseCheck(bool isBatch, bool understood)
    {
        IsBatch = isBatch;
        Understood = understood;
    }

    public bool IsBatch { get; }

    /// <summary>False when the request itself was not parseable JSON-RPC: then any response passes.</summary>
    public bool Understood { get; }

    /// <summary>"eth_call", or "a batch of 8 (eth_call, eth_getCode)".</summary>
    public string Describe()
    {
        var distinct = string.Join(", ", _methods.Distinct(StringComparer.Ordinal));
        return !IsBatch ? (distinct.Length > 0 ? distinct : "(unknown method)") : $"a batch of {_methods.Count} ({distinct})";
    }

    public static RpcResponseCheck ForRequest(string requestJson)
    {
        ArgumentNullException.ThrowIfNull(requestJson);
        try
        {
            using var doc = JsonDocument.Parse(requestJson);
            var root = doc.RootElement;
            var check = new RpcResponseCheck(root.ValueKind == JsonValueKind.Array, root.ValueKind is JsonValueKind.Array or JsonValueKind.Object);
            var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : [root];
            foreach (var item in items)
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id))
                {
                    return new RpcResponseCheck(check.IsBatch, false);
                }

                check._ids.Add(id.GetRawText());
                check._methods.Add(item.TryGetProperty("method", out var m) ? m.ToString() : "(unknown method)");
            }

            return check;
        }
        catch (JsonException)
        {
            return new RpcResponseCheck(false, false);
        }
    }

    /// <summary>Null when <paramref name="responseJson"/> is a usable answer, else the failure that makes it unusable.</summary>
    public RpcTransportException? Problem(string responseJson)
    {
        if (!Understood)
        {
            return null;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(responseJson);
        }
        catch (JsonException)
        {
            return Malformed("response is not JSON (empty or truncated?)");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (RateLimit(root) is { } limited)
                {
                    return limited;
                }

                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    // an error for the request (or the whole batch): valid unless it names another request's id.
                    return root.TryGetProperty("id", out var eid) && eid.ValueKind != JsonValueKind.Null && !_ids.Contains(eid.GetRawText())
                        ? Malformed("error response carries an id the request does not have")
                        : null;
                }

                if (IsBatch)
                {
                    return Malformed("a batch was answered with a single object");
                }

                if (!root.TryGetProperty("id", out var id) || id.GetRawText() != _ids[0])
                {
                    return Malformed("response id does not match the request id");
                }

                return root.TryGetProperty("result", out _) ? null : Malformed("response has neither result nor error");
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return Malformed($"response is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object or array");
            }

            if (!IsBatch)
            {
                return Malformed("a single request was answered with an array");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id))
                {
                    return Malformed("a batch answer without an id");
                }

                if (RateLimit(item) is { } limited)
                {
                    // hosted nodes throttle batches per item: the batch is retried whole.
                    return limited;
                }

                var text = id.GetRawText();
                if (!_ids.Contains(text))
                {
                    return Malformed($"batch answer carries id {text}, which the batch does not have");
                }

                if (!seen.Add(text))
                {
                    return Malformed($"batch answers id {text} twice");
                }
            }

            return seen.Count == _ids.Count ? null : Malformed($"batch answered {seen.Count} of {_ids.Count} requests");
        }
    }

    private static RpcTransportException? RateLimit(JsonElement answer)
    {
        if (!answer.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var code = error.TryGetProperty("code", out var c) && c.TryGetInt64(out var n) ? n : 0;
        var message = error.TryGetProperty("message", out var m) ? m.ToString() : string.Empty;
        if (!RpcErrors.IsRateLimit(code, message))
        {
            return null;
        }

        var reason = $"rate limited: node error {code}: {message}";
        return new RpcTransportException(reason, RpcFailureKind.RateLimited, reason);
    }

    private static RpcTransportException Malformed(string reason) => new(reason, RpcFailureKind.MalformedResponse, reason);
}
