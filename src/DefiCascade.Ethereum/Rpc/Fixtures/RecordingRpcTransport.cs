using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefiCascade.Ethereum.Rpc.Fixtures;

/// <summary>
/// Passes every request to the inner transport and keeps {request, response} for a fixture file
/// (<see cref="RpcFixtureFormat"/>). The file is written whole on <see cref="Flush"/> and on dispose, through a temp file
/// and a rename, so a crash leaves the previous fixture or the new one, never half of one. Failed round trips (the
/// inner transport threw) are not recorded.
/// </summary>
public sealed class RecordingRpcTransport : IRpcTransport, IDisposable
{
    private readonly IRpcTransport _inner;
    private readonly string _path;
    private readonly List<string> _lines = [];
    private readonly object _lock = new();

    public RecordingRpcTransport(IRpcTransport inner, string fixturePath)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(fixturePath);
        _inner = inner;
        _path = Path.GetFullPath(fixturePath);
    }

    public int Recorded
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    public async Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        var (key, ids) = RpcFixtureFormat.Normalize(requestJson);
        var response = await _inner.SendAsync(requestJson, ct).ConfigureAwait(false);
        var line = new JsonObject { ["request"] = JsonNode.Parse(key) };
        try
        {
            line["response"] = JsonNode.Parse(RpcFixtureFormat.MapIds(response, RpcFixtureFormat.ToPositions(ids)));
        }
        catch (JsonException)
        {
            // a garbled answer is recorded as it came, so a replay garbles the same way.
            line["responseText"] = response;
        }

        lock (_lock)
        {
            _lines.Add(line.ToJsonString());
        }

        return response;
    }

    public void Flush()
    {
        string text;
        lock (_lock)
        {
            text = string.Concat(_lines.Select(l => l + "\n"));
        }

        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, _path, overwrite: true);
    }

    public void Dispose() => Flush();
}
