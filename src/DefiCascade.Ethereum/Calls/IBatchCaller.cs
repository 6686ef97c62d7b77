namespace DefiCascade.Ethereum.Calls;

/// <summary>
/// Runs many eth_calls at one pinned block and returns their results in order. Implementations differ only in how
/// many round trips that takes: one request per call (the reference), JSON-RPC batches, or Multicall3 aggregate3.
/// Transport failures (after the retry budget) throw; reverts come back as unsuccessful results.
/// </summary>
public interface IBatchCaller
{
    Task<EthCallResult[]> CallAsync(IReadOnlyList<EthCall> calls, ulong block, CancellationToken ct = default);
}
