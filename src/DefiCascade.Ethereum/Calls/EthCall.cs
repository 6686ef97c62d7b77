using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum.Calls;

/// <summary>One read-only call: the contract and the ABI-encoded calldata (selector + arguments).</summary>
public sealed record EthCall(Address To, byte[] Data);

/// <summary>
/// What one call of a batch returned. A revert is an answer (Success false, ReturnData the revert data), not an
/// exception: a batch of 1,000 reads must not fail because one token lacks symbol().
/// </summary>
public readonly record struct EthCallResult(bool Success, byte[] ReturnData);
