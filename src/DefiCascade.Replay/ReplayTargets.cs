using DefiCascade.Core.Primitives;

namespace DefiCascade.Replay;

/// <summary>A pool the replay trades in, as the snapshot names it.</summary>
public sealed record PoolTarget(Address Address, string Token0, string Token1, int Fee);

/// <summary>
/// The contracts a replay acts on, resolved before the starting block: the Aave Pool, every reserve's token, aToken
/// and the treasury its protocol fee goes to, the feeds' decimals, the pools (snapshot order) and the swap router.
/// </summary>
public sealed record ReplayTargets(
    Address AavePool,
    IReadOnlyDictionary<string, Address> Tokens,
    IReadOnlyDictionary<string, Address> ATokens,
    IReadOnlyDictionary<string, Address> Treasuries,
    IReadOnlyDictionary<string, int> FeedDecimals,
    IReadOnlyList<PoolTarget> Pools,
    Address V3Router,
    Address Bot);
