namespace DefiCascade.Ethereum.Rpc;

/// <summary>
/// Moves one JSON-RPC request (or batch) and returns the raw response. Live and replay differ only here
/// (HTTP, recording, fixtures), so the client above never knows where its answers come from.
/// </summary>
public interface IRpcTransport
{
    Task<string> SendAsync(string requestJson, CancellationToken ct);
}
