using System.Globalization;
using System.Text;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Adapters.Snapshots;

/// <summary>
/// What a snapshot holds: at most one Aave V3 market (by its PoolAddressesProvider), at most one Morpho Blue instance,
/// and any number of Uniswap pools, all read at <see cref="Block"/>.
/// </summary>
public sealed record SnapshotRequest(ulong Block)
{
    public Address? AaveProvider { get; init; }

    public string AaveMarketName { get; init; } = "Aave V3";

    /// <summary>First block of the Supply/Borrow scan (the Pool's deployment block; earlier blocks hold no events of it).</summary>
    public ulong AaveFromBlock { get; init; }

    /// <summary>Users given instead of discovered from events.</summary>
    public IReadOnlyList<Address>? AaveUsers { get; init; }

    public Address? Morpho { get; init; }

    public IReadOnlyList<string>? MorphoMarketIds { get; init; }

    public ulong MorphoFromBlock { get; init; }

    public IReadOnlyList<Address> Pools { get; init; } = [];

    /// <summary>Read V3 tick books only this many ticks either side of the current tick (null: the whole book).</summary>
    public int? TickWindow { get; init; }

    /// <summary>Users per batched read of positions, and so per checkpoint.</summary>
    public int UserChunkSize { get; init; } = 500;

    public bool IsEmpty => AaveProvider is null && Morpho is null && Pools.Count == 0;

    /// <summary>What the snapshot is of, as text: the checkpoint key. Never holds the RPC URL.</summary>
    public string Identity(ulong chainId)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"chain {chainId} block {Block}");
        sb.Append(CultureInfo.InvariantCulture, $"; aave {AaveProvider?.Hex ?? "-"} '{AaveMarketName}' from {AaveFromBlock} users {(AaveUsers is null ? "events" : string.Join(",", AaveUsers.Select(u => u.Hex)))}");
        sb.Append(CultureInfo.InvariantCulture, $"; morpho {Morpho?.Hex ?? "-"} from {MorphoFromBlock} markets {(MorphoMarketIds is null ? "events" : string.Join(",", MorphoMarketIds))}");
        sb.Append(CultureInfo.InvariantCulture, $"; pools {string.Join(",", Pools.Select(p => p.Hex))} window {TickWindow?.ToString(CultureInfo.InvariantCulture) ?? "all"}");
        return sb.ToString();
    }

    /// <summary>A short description for the checkpoint file and messages.</summary>
    public string Describe(ulong chainId) =>
        $"chain {chainId}, block {Block}" + (AaveProvider is { } a ? $", Aave V3 provider {a.Hex}" : string.Empty)
        + (Morpho is { } m ? $", Morpho Blue {m.Hex}" : string.Empty) + (Pools.Count > 0 ? $", {Pools.Count} pools" : string.Empty);
}

/// <summary>Where a snapshot run is: a stage, how far, and a line for a human.</summary>
public sealed record SnapshotProgress(string Stage, long Done, long Total, string Detail);
