using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Testing;

/// <summary>One bulk phase of a crowd build: how many transactions, in how many blocks, and where the time went.</summary>
public sealed record AaveCrowdPhase(string Name, int Transactions, int Blocks, TimeSpan Send, TimeSpan Mine, TimeSpan CheckReceipts);

/// <summary>
/// A crowded Aave world saved to a state file: the once-per-run <see cref="ChainWorld"/> with <see cref="Prices"/> set
/// and <see cref="Users"/> opened on its market. Build statistics cover the crowd only (not the world under it).
/// </summary>
public sealed record AaveCrowdState(
    AaveCrowdSpec Spec,
    string StatePath,
    long StateBytes,
    AaveWorldAddresses Aave,
    IReadOnlyList<BigInteger> Prices,
    Address Funder,
    IReadOnlyList<AaveCrowdUser> Users,
    int Transactions,
    int Blocks,
    BigInteger GasUsed,
    IReadOnlyList<AaveCrowdPhase> Phases,
    TimeSpan SaveTime,
    TimeSpan BuildTime)
{
    public int Borrowers => Users.Count(u => u.IsBorrower);
}

/// <summary>
/// Thousands of Aave borrowers, opened quickly and deterministically from a seed (<see cref="AaveCrowdPlanner"/>), for
/// tests and benchmarks that need a realistic book rather than a handful of accounts. Built once per process and spec
/// on a node started from <see cref="ChainWorld"/>'s state, saved with <see cref="ChainStateFile"/>; each consumer
/// starts its own fresh anvil from the file (<see cref="StartNodeAsync"/>).
/// How it is fast: transactions go out as JSON-RPC batches of eth_sendTransaction from impersonated accounts with explicit
/// gas, nonces and fees (no estimates, no receipt polling), automine off, blocks mined in bulk, then every receipt is
/// fetched in batches and any failed transaction fails the build naming its user and step.
/// </summary>
public static partial class AaveCrowd
{
    /// <summary>Oracle prices (8 decimals) in <see cref="AaveWorld.Config"/>'s order: USDC, WBTC, WETH, DAI.</summary>
    public static IReadOnlyList<BigInteger> Prices { get; } =
    [
        1_0001_0000, // USDC $1.0001; in e-mode it is priced from DAI's feed instead
        60_000_0000_0000,
        3_000_0000_0000,
        9999_0000, // DAI $0.9999
    ];

    private static readonly ConcurrentDictionary<AaveCrowdSpec, Lazy<Task<AaveCrowdState>>> Built = new();

    /// <summary>The crowd of <paramref name="spec"/> (default <see cref="AaveCrowdSpec.Ci"/>), built on first use in this process.</summary>
    public static Task<AaveCrowdState> GetAsync(AaveCrowdSpec? spec = null)
    {
        var key = spec ?? AaveCrowdSpec.Ci;
        // ExecutionAndPublication: concurrent test classes share one build.
        return Built.GetOrAdd(key, k => new Lazy<Task<AaveCrowdState>>(() => Task.Run(() => BuildAsync(k)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>A fresh anvil holding the crowd (the caller disposes it, which kills it).</summary>
    public static Task<AnvilNode> StartNodeAsync(AaveCrowdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ChainStateFile.StartFromAsync(state.StatePath, ChainWorld.NodeArgs);
    }

    /// <summary>
    /// Lets a node started from the crowd send as any crowd account: impersonation is the node's setting, not part of the
    /// saved state. Crowd accounts were given 1,000 ETH for gas.
    /// </summary>
    public static Task AutoImpersonateAsync(AnvilNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Eth.Rpc.CallAsync("anvil_autoImpersonateAccount", true);
    }

    /// <summary>Builds the crowd of <paramref name="spec"/> into a fresh temp folder (deleted at process exit).</summary>
    public static async Task<AaveCrowdState> BuildAsync(AaveCrowdSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var world = await ChainWorld.GetAsync().ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("defi-cascade-crowd-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a temp folder left behind is harmless.
            }
        };

        var clock = Stopwatch.StartNew();
        var users = AaveCrowdPlanner.Plan(spec, Prices);
        await using var node = await ChainStateFile.StartFromAsync(world.StatePath, CrowdBuilder.NodeArgs(spec)).ConfigureAwait(false);
        var accounts = await node.Eth.GetAccountsAsync().ConfigureAwait(false);
        var aave = AaveWorld.Attach(node.Eth, accounts[0], accounts[1], world.Aave);
        var builder = new CrowdBuilder(node, aave);
        await builder.BuildAsync(users).ConfigureAwait(false);

        var path = Path.Combine(folder, $"crowd-{spec.Users}-{spec.Seed}.json");
        var saving = clock.Elapsed;
        await ChainStateFile.SaveAsync(node, path).ConfigureAwait(false);
        return new AaveCrowdState(
            spec,
            path,
            new FileInfo(path).Length,
            world.Aave,
            Prices,
            CrowdBuilder.Funder,
            users,
            builder.Transactions,
            builder.Blocks,
            builder.GasUsed,
            builder.Phases,
            clock.Elapsed - saving,
            clock.Elapsed);
    }
}
