namespace DefiCascade.Ethereum.Rpc;

/// <summary>
/// How a <see cref="RetryingRpcTransport"/> retries: exponential backoff with full jitter (a delay drawn uniformly from
/// [0, min(MaxDelay, BaseDelay x 2^(retry-1))]), so clients that failed together do not retry together. The budget is
/// per transport instance: a provider that keeps refusing must end the run, not stretch it indefinitely.
/// </summary>
public sealed record RpcRetryPolicy
{
    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries the transport may make over its lifetime, all requests together.</summary>
    public int MaxTotalRetries { get; init; } = 200;

    /// <summary>Time the transport may spend waiting between attempts over its lifetime.</summary>
    public TimeSpan MaxTotalDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Seed of the jitter: the same seed gives the same delays (reproducible runs and tests).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The upper bound of the delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayCap(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // 2^30 x any sane base delay is past MaxDelay already: cap the exponent so the arithmetic cannot overflow.
        var factor = Math.Pow(2, Math.Min(retry - 1, 30));
        var ms = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * factor);
        return TimeSpan.FromMilliseconds(ms);
    }

    internal void Validate()
    {
        if (MaxAttempts < 1 || MaxTotalRetries < 0 || BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay || MaxTotalDelay < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"retry policy: attempts {MaxAttempts} must be >= 1, total retries {MaxTotalRetries} >= 0, 0 <= base delay {BaseDelay} <= max delay {MaxDelay}, total delay {MaxTotalDelay} >= 0");
        }
    }
}

/// <summary>A retrying transport stopped: attempts or budget are used up. Names the request's methods, never the endpoint.</summary>
public sealed class RpcRetryExhaustedException : RpcTransportException
{
    public RpcRetryExhaustedException(string message, string reason, int attempts, RpcFailureKind lastFailure)
        : base(message, RpcFailureKind.GaveUp, reason)
    {
        Attempts = attempts;
        LastFailure = lastFailure;
    }

    public int Attempts { get; }

    public RpcFailureKind LastFailure { get; }
}
