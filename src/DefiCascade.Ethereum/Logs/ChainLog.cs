using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum.Logs;

/// <summary>
/// Which logs to fetch: emitted by any of <paramref name="Addresses"/>, with topic0 (the event signature hash) one of
/// <paramref name="Topic0"/>. Further topic positions are not filtered: the adapters decode what they need.
/// </summary>
public sealed record LogFilter(IReadOnlyList<Address> Addresses, IReadOnlyList<byte[]> Topic0);

/// <summary>One log as eth_getLogs returns it.</summary>
public sealed record ChainLog(Address Address, IReadOnlyList<byte[]> Topics, byte[] Data, ulong BlockNumber, int LogIndex, string TransactionHash);

/// <summary>A scanned chunk: its logs (in chain order) and the last block it covers, the resume point.</summary>
public sealed record LogChunk(IReadOnlyList<ChainLog> Logs, ulong ScannedThrough);

/// <summary>
/// eth_getLogs over [from, to], chunked: the scanner calls <c>onChunk</c> after each completed range, in block order,
/// so a caller can checkpoint ScannedThrough and resume from ScannedThrough + 1 after an interruption.
/// </summary>
public interface ILogSource
{
    Task ScanAsync(LogFilter filter, ulong fromBlock, ulong toBlock, Func<LogChunk, CancellationToken, Task> onChunk, CancellationToken ct = default);
}
