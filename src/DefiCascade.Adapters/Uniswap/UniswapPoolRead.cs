using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.Uniswap;

/// <summary>
/// One pool as read at <paramref name="Block"/>: the snapshot (a <see cref="UniswapV2PoolSnapshot"/> or a
/// <see cref="UniswapV3PoolSnapshot"/>) and its two tokens in pool order, so a caller can build the exact model.
/// </summary>
public sealed record UniswapPoolRead(PoolSnapshot Snapshot, SnapshotToken Token0, SnapshotToken Token1, ulong Block);
