namespace DefiCascade.Ethereum.Rpc;

/// <summary>
/// What a node's JSON-RPC error means, where the answer decides what a caller does next. Providers disagree on codes
/// (EIP-1474 gives -32005 "limit exceeded" to both rate limits and oversized log queries), so each recognizer reads
/// the code and the message together, and the two are kept apart: a rate limit is retried as is, a refused log range
/// is retried smaller.
/// </summary>
public static class RpcErrors
{
    private static readonly string[] RateLimitPhrases = ["rate limit", "rate-limit", "ratelimit", "too many requests", "request rate", "rate exceeded", "request count exceeded", "exceeded its compute units", "throughput"];

    private static readonly string[] RangePhrases = ["query returned more than", "block range", "range too large", "too many", "limit exceeded", "response size", "exceed"];

    /// <summary>
    /// The node refuses the request because of request rate, not because of the request: 429 (HTTP status reused as a
    /// code), -32029, a rate-limit phrase, or -32005 whose message does not describe an oversized log query.
    /// </summary>
    public static bool IsRateLimit(long code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (code is 429 or -32029 || ContainsAny(message, RateLimitPhrases))
        {
            return true;
        }

        return code == -32005 && !ContainsAny(message, RangePhrases);
    }

    /// <summary>
    /// eth_getLogs refused the block range as too large or as matching too many logs. Codes seen: -32005 (Infura,
    /// "query returned more than 10000 results"), -32602 (Alchemy, "Log response size exceeded", "block range"),
    /// -32000 (geth-style servers, "block range too large", "limit exceeded"), -32600 (some gateways). The message must
    /// say so too: the same codes also mean bad parameters or a rate limit, which a smaller range would not cure.
    /// </summary>
    public static bool IsLogRangeRefusal(long code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return code is -32005 or -32602 or -32000 or -32600
            && ContainsAny(message, RangePhrases)
            && !ContainsAny(message, RateLimitPhrases);
    }

    private static bool ContainsAny(string text, string[] phrases)
    {
        foreach (var p in phrases)
        {
            if (text.Contains(p, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
