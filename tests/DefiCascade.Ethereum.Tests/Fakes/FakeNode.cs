using System.Text;
using System.Text.Json;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Tests.Fakes;

/// <summary>What the fake node answers to one request: a raw JSON result, or a JSON-RPC error.</summary>
public sealed record FakeAnswer(string? ResultJson, long ErrorCode = 0, string? ErrorMessage = null, string? ErrorDataJson = null)
{
    public static FakeAnswer Result(string json) => new(json);

    public static FakeAnswer String(string value) => new(JsonSerializer.Serialize(value));

    public static FakeAnswer Error(long code, string message, string? dataJson = null) => new(null, code, message, dataJson);
}

/// <summary>
/// An in-memory JSON-RPC node: single requests and batches are answered per request by a handler given the method and
/// params, with the caller's ids echoed. Everything it received is kept for assertions.
/// </summary>
public sealed class FakeNode(Func<string, JsonElement, FakeAnswer> handler) : IRpcTransport
{
    public List<string> Requests { get; } = [];

    /// <summary>Every method called, one entry per request (a batch of 8 adds 8).</summary>
    public List<string> Methods { get; } = [];

    public Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        Requests.Add(requestJson);
        using var doc = JsonDocument.Parse(requestJson);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return Task.FromResult("[" + string.Join(",", root.EnumerateArray().Select(Answer)) + "]");
        }

        return Task.FromResult(Answer(root));
    }

    private string Answer(JsonElement request)
    {
        var method = request.GetProperty("method").GetString()!;
        Methods.Add(method);
        var answer = handler(method, request.GetProperty("params"));
        var id = request.GetProperty("id").GetRawText();
        var sb = new StringBuilder($$"""{"jsonrpc":"2.0","id":{{id}},""");
        if (answer.ResultJson is { } result)
        {
            sb.Append("\"result\":").Append(result);
        }
        else
        {
            sb.Append($$"""  "error":{"code":{{answer.ErrorCode}},"message":{{JsonSerializer.Serialize(answer.ErrorMessage)}}""".TrimStart());
            if (answer.ErrorDataJson is { } data)
            {
                sb.Append(",\"data\":").Append(data);
            }

            sb.Append('}');
        }

        return sb.Append('}').ToString();
    }
}
