namespace DefiCascade.Ethereum.Rpc;

/// <summary>RPC URLs often carry an API key in the path or query: only this redacted form may be printed.</summary>
public static class RpcUrl
{
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri ? $"{url.Scheme}://{url.Host}/***" : "***";
    }
}
