namespace DefiCascade.Chain.Testing.Faults;

/// <summary>What a <see cref="FaultProxy"/> can do to one HTTP request instead of answering it faithfully.</summary>
public enum FaultKind
{
    /// <summary>HTTP 429 with a Retry-After header; the request never reaches the node.</summary>
    TooManyRequests,

    /// <summary>HTTP 500; the request never reaches the node.</summary>
    InternalServerError,

    /// <summary>HTTP 502; the request never reaches the node.</summary>
    BadGateway,

    /// <summary>HTTP 503; the request never reaches the node.</summary>
    ServiceUnavailable,

    /// <summary>The node answers, the proxy holds the answer past the client's timeout, then drops the connection.</summary>
    Timeout,

    /// <summary>The node's answer cut in half, sent as a complete HTTP 200 body.</summary>
    TruncatedJson,

    /// <summary>The node's answer with every JSON-RPC id shifted, so it answers no request that was sent.</summary>
    WrongId,

    /// <summary>The connection closed without any response; the request never reaches the node.</summary>
    DroppedConnection,

    /// <summary>Not random: eth_getLogs over more than <see cref="FaultPlan.MaxLogBlockRange"/> blocks refused as providers do.</summary>
    LogRangeRefused,
}

/// <summary>The JSON-RPC error a provider answers an over-wide eth_getLogs with.</summary>
public sealed record LogRangeRefusal(long Code, string Message)
{
    /// <summary>Infura's and many nodes' answer.</summary>
    public static LogRangeRefusal TooManyResults { get; } = new(-32005, "query returned more than 10000 results");

    /// <summary>The other common wording (e.g. public endpoints with a fixed block window).</summary>
    public static LogRangeRefusal RangeTooLarge { get; } = new(-32000, "block range too large");
}

/// <summary>
/// Which faults a <see cref="FaultProxy"/> injects: each HTTP request (a batch is one) draws once, from a hash of
/// <see cref="Seed"/>, its content (ids aside) and how often that content came before, so the same seed and requests get
/// the same faults, and a resend or retry never shifts another request's. The draw picks at most one
/// kind, with the given per-request probabilities (summing to at most 1). The eth_getLogs range limit is a rule, applied
/// to every request, because real providers refuse wide ranges deterministically.
/// </summary>
public sealed record FaultPlan
{
    public int Seed { get; init; }

    public IReadOnlyDictionary<FaultKind, double> Probabilities { get; init; } = new Dictionary<FaultKind, double>();

    /// <summary>eth_getLogs spanning more blocks than this is refused; null means no limit.</summary>
    public ulong? MaxLogBlockRange { get; init; }

    public LogRangeRefusal LogRangeError { get; init; } = LogRangeRefusal.TooManyResults;

    /// <summary>
    /// A rule, like the log range: methods starting with any of these prefixes (e.g. "anvil_", "hardhat_", "evm_") are
    /// answered with JSON-RPC error -32601, as a mainnet node answers methods it does not have; they never reach the node.
    /// </summary>
    public IReadOnlyList<string> RefusedMethodPrefixes { get; init; } = [];

    /// <summary>The methods a real network's node lacks: anvil's, hardhat's and the evm_ cheat methods.</summary>
    public static FaultPlan RealNetworkMethods { get; } = new() { RefusedMethodPrefixes = ["anvil_", "hardhat_", "evm_"] };

    /// <summary>The Retry-After header of a 429, in whole seconds.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a <see cref="FaultKind.Timeout"/> holds the answer: make it longer than the client's timeout.</summary>
    public TimeSpan TimeoutHold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The first this-many requests after the plan is set pass untouched (the log-range rule still applies), so a
    /// test can let a run get partway (e.g. past a checkpoint) and then fail it, deterministically.
    /// </summary>
    public int AfterRequests { get; init; }

    /// <summary>A faithful proxy.</summary>
    public static FaultPlan None { get; } = new();

    /// <summary>Every request gets <paramref name="kind"/>.</summary>
    public static FaultPlan Always(FaultKind kind) => new() { Probabilities = new Dictionary<FaultKind, double> { [kind] = 1.0 } };

    /// <summary>A fault on <paramref name="rate"/> of the requests, spread evenly over the given kinds (default: all random ones).</summary>
    public static FaultPlan Random(int seed, double rate, params FaultKind[] kinds)
    {
        var chosen = kinds.Length > 0 ? kinds : Enum.GetValues<FaultKind>().Where(k => k != FaultKind.LogRangeRefused).ToArray();
        return new FaultPlan { Seed = seed, Probabilities = chosen.ToDictionary(k => k, _ => rate / chosen.Length) };
    }

    internal void Validate()
    {
        if (Probabilities.ContainsKey(FaultKind.LogRangeRefused))
        {
            throw new ArgumentException("LogRangeRefused is a rule (MaxLogBlockRange), not a random fault", nameof(Probabilities));
        }

        if (Probabilities.Values.Any(p => p is < 0 or > 1 or double.NaN) || Probabilities.Values.Sum() > 1 + 1e-9)
        {
            throw new ArgumentException("fault probabilities must each lie in 0..1 and sum to at most 1", nameof(Probabilities));
        }
    }
}
