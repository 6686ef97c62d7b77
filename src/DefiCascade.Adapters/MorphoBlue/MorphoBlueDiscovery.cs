using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.MorphoBlue;

/// <summary>
/// What the event scan found: markets created (in chain order) and, per market id, the accounts that supplied,
/// borrowed or posted collateral (sorted by address).
/// </summary>
public sealed record MorphoBlueDiscovery(
    IReadOnlyList<string> CreatedMarkets,
    IReadOnlyDictionary<string, IReadOnlyList<Address>> UsersByMarket,
    int LogsScanned,
    ulong FromBlock,
    ulong ToBlock)
{
    /// <summary>
    /// One scan of <paramref name="morpho"/>'s CreateMarket, Supply, Borrow and SupplyCollateral logs over
    /// [<paramref name="fromBlock"/>, <paramref name="toBlock"/>].
    /// </summary>
    public static async Task<MorphoBlueDiscovery> ScanAsync(ILogSource logs, Address morpho, ulong fromBlock, ulong toBlock, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var filter = new LogFilter(
            [morpho],
            [MorphoBlueEvents.CreateMarketTopic, MorphoBlueEvents.SupplyTopic, MorphoBlueEvents.BorrowTopic, MorphoBlueEvents.SupplyCollateralTopic]);
        var created = new List<string>();
        var users = new Dictionary<string, HashSet<Address>>(StringComparer.Ordinal);
        var count = 0;
        await logs.ScanAsync(
            filter,
            fromBlock,
            toBlock,
            (chunk, _) =>
            {
                foreach (var log in chunk.Logs)
                {
                    // the filter names the address, but a log source that ignores it must not smuggle in another contract's events.
                    if (log.Address != morpho)
                    {
                        continue;
                    }

                    count++;
                    if (MorphoBlueEvents.TryDecodeCreateMarket(log) is { } market)
                    {
                        created.Add(market.Id);
                    }
                    else if (MorphoBlueEvents.TryDecodePositionOwner(log) is { } owner)
                    {
                        if (!users.TryGetValue(owner.Id, out var set))
                        {
                            users[owner.Id] = set = [];
                        }

                        set.Add(owner.OnBehalf);
                    }
                }

                return Task.CompletedTask;
            },
            ct).ConfigureAwait(false);

        var byMarket = users.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<Address>)kv.Value.OrderBy(a => a.Hex, StringComparer.Ordinal).ToArray(),
            StringComparer.Ordinal);
        return new MorphoBlueDiscovery(created, byMarket, count, fromBlock, toBlock);
    }
}
