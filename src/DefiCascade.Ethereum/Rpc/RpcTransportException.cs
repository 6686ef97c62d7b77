namespace DefiCascade.Ethereum.Rpc;

/// <summary>The transport failed (connection, timeout, HTTP status). The message names the endpoint only in redacted form.</summary>
public sealed class RpcTransportException : Exception
{
    public RpcTransportException(string message)
        : base(message)
    {
    }
}
