using Xunit;
using System.Diagnostics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Testing;

/// <summary>The once-per-run world: its saved state file and where every protocol's base infrastructure lives in it.</summary>
public sealed record ChainWorldState(
    string StatePath,
    long StateBytes,
    TimeSpan BuildTime,
    V2WorldAddresses V2,
    V3WorldAddresses V3,
    AaveWorldAddresses Aave,
    MorphoWorldAddresses Morpho);

/// <summary>
/// Deploys the base infrastructure of all four worlds once per test run on one anvil, saves its state and kills it;
/// every differential test then starts a fresh anvil from that file (<see cref="StartNodeAsync"/>) and attaches its
/// world. In the world, anvil's account [0] deployed everything; [1] is Aave's treasury, [3] Aave's lender and [2]
/// Aave's funded liquidator. Contents:
/// <list type="bullet">
/// <item>Uniswap V2: the factory (pairs and their 18-decimal tokens are each test's, per seed).</item>
/// <item>Uniswap V3: the factory with fee tier 100 enabled, WETH9, NonfungiblePositionManager and SwapRouter (pools of
/// the 100, 500, 3000 and 10000 tiers are each test's).</item>
/// <item>Aave V3: the market of <see cref="AaveWorld.Config"/> (USDC 6, WBTC 8, WETH and DAI 18 decimals, e-mode
/// "stables", protocol fees), prepared by <see cref="AaveWorld.PrepareAsync"/>: a year of interest accrued, then all-zero
/// rates, the liquidator funded.</item>
/// <item>Morpho Blue: Morpho with address(0) and IrmMock and every LLTV of <see cref="MorphoWorld.MarketSpecs"/>
/// enabled, and those markets created (ERC20Mock tokens of 6, 8 and 18 decimals, OracleMock, fees).</item>
/// </list>
/// </summary>
public static class ChainWorld
{
    /// <summary>Every node of the world runs with these: a block gas limit far above 30M (the V3 test's long tick walks).</summary>
    public static readonly IReadOnlyList<string> NodeArgs = ["--gas-limit", "1000000000"];

    // ExecutionAndPublication: concurrent first callers (collections start in parallel) share one deployment.
    private static readonly Lazy<Task<ChainWorldState>> World = new(() => Task.Run(BuildAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The world, built on first use and then the same for the rest of the process.</summary>
    public static Task<ChainWorldState> GetAsync() => World.Value;

    /// <summary>A fresh anvil loaded from the world's state (the caller disposes it, which kills it).</summary>
    public static async Task<AnvilNode> StartNodeAsync()
    {
        var state = await GetAsync().ConfigureAwait(false);
        return await ChainStateFile.StartFromAsync(state.StatePath, NodeArgs).ConfigureAwait(false);
    }

    private static async Task<ChainWorldState> BuildAsync()
    {
        var clock = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("defi-cascade-world-").FullName;
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

        var path = Path.Combine(folder, "world.json");
        await using var node = await AnvilNode.StartAsync(NodeArgs).ConfigureAwait(false);
        var eth = node.Eth;
        var accounts = await eth.GetAccountsAsync().ConfigureAwait(false);
        var v2 = await V2World.DeployAsync(eth, accounts[0]).ConfigureAwait(false);
        var v3 = await V3World.DeployAsync(eth, accounts[0]).ConfigureAwait(false);
        var aave = await AaveWorld.DeployAsync(eth, accounts[0], accounts[1]).ConfigureAwait(false);
        await aave.PrepareAsync(accounts[3], accounts[2]).ConfigureAwait(false);
        var morpho = await MorphoWorld.DeployAsync(eth, accounts[0], MorphoWorld.MarketSpecs.Select(m => MorphoWorld.ToWad(m.Lltv))).ConfigureAwait(false);
        await morpho.CreateSpecMarketsAsync().ConfigureAwait(false);
        await ChainStateFile.SaveAsync(node, path).ConfigureAwait(false);
        return new ChainWorldState(path, new FileInfo(path).Length, clock.Elapsed, v2.Addresses, v3.Addresses, aave.Addresses, morpho.Addresses);
    }
}

/// <summary>
/// A collection fixture: a fresh anvil started from the once-per-run world (<see cref="ChainWorld"/>), killed when the
/// collection ends.
/// </summary>
public sealed class ChainWorldFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the world's anvil is not started");

    public EthClient Eth => Node.Eth;

    public ChainWorldState World { get; private set; } = null!;

    /// <summary>Anvil's unlocked default accounts, as the world left them (see <see cref="ChainWorld"/> for their roles there).</summary>
    public IReadOnlyList<Address> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        World = await ChainWorld.GetAsync().ConfigureAwait(false);
        _node = await ChainStateFile.StartFromAsync(World.StatePath, ChainWorld.NodeArgs).ConfigureAwait(false);
        Accounts = await _node.Eth.GetAccountsAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
