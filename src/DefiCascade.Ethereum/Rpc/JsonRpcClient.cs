using System.Text;
using System.Text.Json;

namespace DefiCascade.Ethereum.Rpc;

/// <summary>One JSON-RPC request: a method and its positional parameters.</summary>
public sealed record RpcRequest(string Method, params object?[] Args);

/// <summary>One answer of a batch: a result, or the node's error for that request.</summary>
public readonly record struct RpcOutcome(JsonElement Result, JsonRpcException? Error);

/// <summary>JSON-RPC 2.0 client (EIP-1474) over any <see cref="IRpcTransport"/>; single calls and batches.</summary>
public sealed class JsonRpcClient
{
    private readonly IRpcTransport _transport;
    private long _nextId;

    public JsonRpcClient(IRpcTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
    }

    public Task<JsonElement> CallAsync(string method, params object?[] args) => CallAsync(method, CancellationToken.None, args);

    public async Task<JsonElement> CallAsync(string method, CancellationToken ct, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(method);
        var id = Interlocked.Increment(ref _nextId);
        var request = Serialize(new RpcRequest(method, args), id);
        var response = await _transport.SendAsync(request, ct).ConfigureAwait(false);
        using var doc = Parse(response, method);
        return Result(doc.RootElement, method, id);
    }

    /// <summary>Sends the requests as one JSON-RPC batch; results come back in request order; the first error throws.</summary>
    public async Task<JsonElement[]> CallBatchAsync(IReadOnlyList<RpcRequest> requests, CancellationToken ct = default)
    {
        var outcomes = await CallBatchOutcomesAsync(requests, ct).ConfigureAwait(false);
        var results = new JsonElement[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            results[i] = outcomes[i].Error is { } error ? throw error : outcomes[i].Result;
        }

        return results;
    }

    /// <summary>
    /// Sends the requests as one JSON-RPC batch; each answer (result or node error) comes back in request order.
    /// A response that is not a well-formed answer to this batch (bad JSON, unknown or missing ids) throws.
    /// </summary>
    public async Task<RpcOutcome[]> CallBatchOutcomesAsync(IReadOnlyList<RpcRequest> requests, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var firstId = Interlocked.Add(ref _nextId, requests.Count) - requests.Count + 1;
        var sb = new StringBuilder("[");
        for (var i = 0; i < requests.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append(Serialize(requests[i], firstId + i));
        }

        var response = await _transport.SendAsync(sb.Append(']').ToString(), ct).ConfigureAwait(false);
        using var doc = Parse(response, requests[0].Method);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            // a node that rejects the whole batch answers with one error object.
            Result(doc.RootElement, $"batch of {requests.Count} starting with {requests[0].Method}", null);
            throw new JsonRpcException(requests[0].Method, -32603, "batch answered with a single non-error object", null);
        }

        var results = new RpcOutcome[requests.Count];
        var seen = new bool[requests.Count];
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var index = item.TryGetProperty("id", out var idEl) && idEl.TryGetInt64(out var id) ? id - firstId : -1;
            if (index < 0 || index >= requests.Count)
            {
                throw new JsonRpcException(requests[0].Method, -32603, "batch response carries an unknown id", null);
            }

            if (seen[index])
            {
                throw new JsonRpcException(requests[(int)index].Method, -32603, "batch response answers the same id twice", null);
            }

            try
            {
                results[index] = new RpcOutcome(Result(item, requests[(int)index].Method, null), null);
            }
            catch (JsonRpcException e) when (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("error", out _))
            {
                results[index] = new RpcOutcome(default, e);
            }

            seen[index] = true;
        }

        var missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new JsonRpcException(requests[missing].Method, -32603, "batch response has no answer for this request", null);
        }

        return results;
    }

    private static string Serialize(RpcRequest request, long id)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", id);
            w.WriteString("method", request.Method);
            w.WriteStartArray("params");
            foreach (var arg in request.Args)
            {
                JsonSerializer.Serialize(w, arg, arg?.GetType() ?? typeof(object));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonDocument Parse(string response, string method)
    {
        try
        {
            return JsonDocument.Parse(response);
        }
        catch (JsonException e)
        {
            throw new JsonRpcException(method, -32700, $"response is not JSON ({e.Message})", null);
        }
    }

    private static JsonElement Result(JsonElement root, string method, long? expectedId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonRpcException(method, -32603, "response is not a JSON-RPC object", null);
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt64(out var n) ? n : 0;
            var message = error.TryGetProperty("message", out var m) ? m.ToString() : "(no message)";
            JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
            throw new JsonRpcException(method, code, message, data);
        }

        if (expectedId is { } want && (!root.TryGetProperty("id", out var id) || !id.TryGetInt64(out var got) || got != want))
        {
            throw new JsonRpcException(method, -32603, "response id does not match the request", null);
        }

        if (!root.TryGetProperty("result", out var result))
        {
            throw new JsonRpcException(method, -32603, "response has neither result nor error", null);
        }

        return result.Clone();
    }
}
