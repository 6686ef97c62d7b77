using System.Text.Json;

namespace DefiCascade.Ethereum.Rpc.Fixtures;

/// <summary>
/// Answers from a fixture recorded by <see cref="RecordingRpcTransport"/>, matching requests by method and params and
/// giving the caller's ids back. A request asked more often than recorded gets its recorded answers in order, then the
/// last one again (a receipt poll, eth_blockNumber). A request the fixture lacks throws, naming method and params.
/// </summary>
public sealed class ReplayRpcTransport : IRpcTransport
{
    private readonly Dictionary<string, Queue<string>> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public ReplayRpcTransport(IEnumerable<string> fixtureLines, string fixtureName = "fixture")
    {
        ArgumentNullException.ThrowIfNull(fixtureLines);
        var number = 0;
        foreach (var line in fixtureLines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var key = RpcFixtureFormat.Normalize(root.GetProperty("request").GetRawText()).Key;
                var response = root.TryGetProperty("response", out var r) ? r.GetRawText()
                    : root.TryGetProperty("responseText", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!
                    : throw new FormatException("neither response nor responseText");
                if (!_answers.TryGetValue(key, out var queue))
                {
                    _answers[key] = queue = new Queue<string>();
                }

                queue.Enqueue(response);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException)
            {
                throw new FormatException($"{fixtureName} line {number}: not a fixture entry ({e.Message})", e);
            }
        }
    }

    public static ReplayRpcTransport FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ReplayRpcTransport(File.ReadLines(path), Path.GetFileName(path));
    }

    public Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        var (key, ids) = RpcFixtureFormat.Normalize(requestJson);
        string stored;
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var queue) && queue.Count > 0)
            {
                stored = queue.Dequeue();
                _last[key] = stored;
            }
            else if (!_last.TryGetValue(key, out stored!))
            {
                var shown = key.Length <= 400 ? key : key[..400] + "...";
                throw new RpcTransportException($"the replay fixture has no answer for {shown}", RpcFailureKind.NotRecorded, "not in the fixture");
            }
        }

        try
        {
            return Task.FromResult(RpcFixtureFormat.MapIds(stored, RpcFixtureFormat.ToCallerIds(ids)));
        }
        catch (JsonException)
        {
            return Task.FromResult(stored); // recorded as garbled text: replay it as such
        }
    }
}
