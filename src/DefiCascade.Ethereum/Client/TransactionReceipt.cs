using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum.Client;

/// <summary>One log entry of a receipt.</summary>
public sealed record LogEntry(Address Address, IReadOnlyList<byte[]> Topics, byte[] Data);

/// <summary>A mined transaction's receipt (the fields this project reads).</summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    ulong BlockNumber,
    bool Succeeded,
    BigInteger GasUsed,
    Address? ContractAddress,
    IReadOnlyList<LogEntry> Logs);

/// <summary>Names for a call so that a revert says which contract and function failed, and can decode custom errors.</summary>
public sealed record CallContext(string ContractName, string Function, Abi.ContractAbi? Abi = null);
