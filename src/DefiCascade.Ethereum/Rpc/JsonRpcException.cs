using System.Text.Json;

namespace DefiCascade.Ethereum.Rpc;

/// <summary>The node answered with a JSON-RPC error object.</summary>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException(string method, long code, string nodeMessage, JsonElement? data)
        : base($"{method} failed: node error {code}: {nodeMessage}")
    {
        Method = method;
        Code = code;
        NodeMessage = nodeMessage;
        ErrorData = data;
    }

    public string Method { get; }

    public long Code { get; }

    public string NodeMessage { get; }

    /// <summary>The error's data member (for reverts: the revert data as hex), if any.</summary>
    public JsonElement? ErrorData { get; }
}
