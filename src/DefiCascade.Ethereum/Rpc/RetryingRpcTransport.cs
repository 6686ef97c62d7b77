using System.Collections.Concurrent;
using System.Globalization;

namespace DefiCascade.Ethereum.Rpc;

/// <summary>
/// Wraps a transport and retries what may pass: transient transport failures (<see cref="RpcTransportException.IsTransient"/>),
/// answers that are not a well-formed answer to the request (<see cref="RpcResponseCheck"/>) and rate-limit errors.
/// Final failures (HTTP 400, 401, 403, an unreachable host) are rethrown at once. Delays follow <see cref="RpcRetryPolicy"/>;
/// the wait itself is injectable so tests do not sleep.
/// </summary>
public sealed class RetryingRpcTransport : IRpcTransport
{
    private readonly IRpcTransport _inner;
    private readonly RpcRetryPolicy _policy;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Random _jitter;
    private readonly object _budgetLock = new();
    private readonly ConcurrentDictionary<RpcFailureKind, long> _failures = new();
    private int _retries;
    private TimeSpan _waited;

    public RetryingRpcTransport(IRpcTransport inner, RpcRetryPolicy? policy = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _policy = policy ?? new RpcRetryPolicy();
        _policy.Validate();
        _delay = delay ?? Task.Delay;
        _jitter = new Random(_policy.Seed);
    }

    /// <summary>Retries made so far, all requests together.</summary>
    public int Retries
    {
        get
        {
            lock (_budgetLock)
            {
                return _retries;
            }
        }
    }

    /// <summary>Time spent waiting between attempts so far.</summary>
    public TimeSpan Waited
    {
        get
        {
            lock (_budgetLock)
            {
                return _waited;
            }
        }
    }

    /// <summary>Failed attempts by kind (retried or not).</summary>
    public IReadOnlyDictionary<RpcFailureKind, long> FailuresByKind => new Dictionary<RpcFailureKind, long>(_failures);

    public async Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requestJson);
        var check = RpcResponseCheck.ForRequest(requestJson);
        for (var attempt = 1; ; attempt++)
        {
            RpcTransportException failure;
            try
            {
                var response = await _inner.SendAsync(requestJson, ct).ConfigureAwait(false);
                var problem = check.Problem(response);
                if (problem is null)
                {
                    return response;
                }

                failure = problem;
            }
            catch (RpcTransportException e) when (e.Kind != RpcFailureKind.GaveUp)
            {
                failure = e;
            }

            _failures.AddOrUpdate(failure.Kind, 1, static (_, n) => n + 1);
            if (!failure.IsTransient)
            {
                throw failure;
            }

            var delay = Reserve(check, attempt, failure);
            await _delay(delay, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Takes one retry and its delay from the budget, or throws when the attempts or the budget are used up.</summary>
    private TimeSpan Reserve(RpcResponseCheck check, int attempt, RpcTransportException failure)
    {
        lock (_budgetLock)
        {
            string? why = null;
            TimeSpan delay = default;
            if (attempt >= _policy.MaxAttempts)
            {
                why = string.Empty;
            }
            else if (_retries >= _policy.MaxTotalRetries)
            {
                why = ": the retry budget is used up";
            }
            else
            {
                var cap = _policy.DelayCap(attempt);
                delay = TimeSpan.FromMilliseconds(_jitter.NextDouble() * cap.TotalMilliseconds);
                if (_waited + delay > _policy.MaxTotalDelay)
                {
                    why = string.Create(CultureInfo.InvariantCulture, $": the next wait would pass the total of {_policy.MaxTotalDelay.TotalSeconds:0.#} s");
                }
            }

            if (why is not null)
            {
                var message = string.Create(
                    CultureInfo.InvariantCulture,
                    $"gave up on {check.Describe()} after {attempt} attempts{why} (last failure: {failure.Reason}); retry budget {_policy.MaxTotalRetries} used {_retries}, waited {_waited.TotalSeconds:0.###} s");
                throw new RpcRetryExhaustedException(message, failure.Reason, attempt, failure.Kind);
            }

            _retries++;
            _waited += delay;
            return delay;
        }
    }
}
