namespace DefiCascade.Ethereum.Rpc;

/// <summary>Why a request did not get a usable answer; decides whether trying again can help.</summary>
public enum RpcFailureKind
{
    /// <summary>Not classified (a transport that does not say).</summary>
    Unknown,

    /// <summary>The endpoint answered with a non-success HTTP status (see <see cref="RpcTransportException.HttpStatus"/>).</summary>
    HttpStatus,

    /// <summary>No answer within the transport's timeout.</summary>
    Timeout,

    /// <summary>Connection refused, reset or dropped mid-answer.</summary>
    ConnectionFailed,

    /// <summary>The endpoint cannot be reached for a reason that will not pass by itself (DNS, TLS, bad URL).</summary>
    Unreachable,

    /// <summary>An answer arrived but is not a well-formed JSON-RPC answer to the request (not JSON, wrong ids).</summary>
    MalformedResponse,

    /// <summary>The node answered with a JSON-RPC error that means rate limiting.</summary>
    RateLimited,

    /// <summary>A retrying transport used up its attempts or budget.</summary>
    GaveUp,

    /// <summary>A replay fixture holds no answer for the request.</summary>
    NotRecorded,
}

/// <summary>
/// The transport failed (connection, timeout, HTTP status, malformed answer). The message names the endpoint only in
/// redacted form; <see cref="Reason"/> is a short description that names no endpoint at all.
/// </summary>
public class RpcTransportException : Exception
{
    public RpcTransportException(string message)
        : this(message, RpcFailureKind.Unknown, message)
    {
    }

    public RpcTransportException(string message, RpcFailureKind kind, string reason, int? httpStatus = null)
        : base(message)
    {
        Kind = kind;
        Reason = reason;
        HttpStatus = httpStatus;
    }

    public RpcFailureKind Kind { get; }

    /// <summary>E.g. "HTTP 429 Too Many Requests", "timeout after 30 s", "connection refused".</summary>
    public string Reason { get; }

    public int? HttpStatus { get; }

    /// <summary>
    /// Whether the same request may succeed later: 408, 429 and 5xx statuses, timeouts, dropped connections,
    /// malformed answers and rate limits. Other 4xx statuses, unreachable endpoints and exhausted retries are final.
    /// </summary>
    public bool IsTransient => Kind switch
    {
        RpcFailureKind.HttpStatus => HttpStatus is 408 or 429 or >= 500,
        RpcFailureKind.Timeout or RpcFailureKind.ConnectionFailed or RpcFailureKind.MalformedResponse or RpcFailureKind.RateLimited => true,
        _ => false,
    };
}
