namespace DefiCascade.Adapters.Uniswap;

/// <summary>
/// A read from the node failed. The message names the call (method, contract, block) so a user can tell which read
/// broke; it never carries the RPC URL, only what the Ethereum layer already redacted.
/// </summary>
public sealed class ChainReadException : Exception
{
    public ChainReadException(string call, string message, Exception? inner = null)
        : base($"{call} failed: {message}", inner)
    {
        Call = call;
    }

    public string Call { get; }
}
