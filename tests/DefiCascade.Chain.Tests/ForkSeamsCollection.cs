using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Tests;

/// <summary>The fork seams' own anvil: their oracle re-pointing and balance writes never meet another collection's.</summary>
[CollectionDefinition(Name)]
public sealed class ForkSeamsCollection : ICollectionFixture<ForkSeamsFixture>
{
    public const string Name = "anvil-fork-seams";
}

/// <summary>
/// A fresh anvil from the once-per-run world (<see cref="ChainWorld"/>) with its Aave market, Uniswap V2 factory and V3
/// WETH9 attached; killed when the collection ends.
/// </summary>
public sealed class ForkSeamsFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the fork seams' anvil is not started");

    public ChainWorldState State { get; private set; } = null!;

    public AaveWorld Aave { get; private set; } = null!;

    public V2World V2 { get; private set; } = null!;

    /// <summary>Anvil's unlocked default accounts: [0] deploys and administers, [1] treasury, [2] liquidator, [3] lender.</summary>
    public IReadOnlyList<Address> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        State = await ChainWorld.GetAsync().ConfigureAwait(false);
        _node = await ChainStateFile.StartFromAsync(State.StatePath, ChainWorld.NodeArgs).ConfigureAwait(false);
        Accounts = await _node.Eth.GetAccountsAsync().ConfigureAwait(false);
        Aave = AaveWorld.Attach(_node.Eth, Accounts[0], Accounts[1], State.Aave);
        V2 = V2World.Attach(_node.Eth, Accounts[0], State.V2);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
