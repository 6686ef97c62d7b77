using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Tests;

/// <summary>Aave tests get their own anvil, so their price moves never meet another collection's transactions.</summary>
[CollectionDefinition(Name)]
public sealed class AaveWorldCollection : ICollectionFixture<AaveWorldFixture>
{
    public const string Name = "anvil-aave";
}

/// <summary>
/// A fresh anvil started from the once-per-run world (<see cref="ChainWorld"/>), with its prepared Aave V3 market
/// attached; killed when the collection ends.
/// </summary>
public sealed class AaveWorldFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the Aave anvil is not started");

    public AaveWorld World { get; private set; } = null!;

    /// <summary>Anvil's unlocked default accounts: [0] deploys and administers, [1] is the treasury, [2] liquidates, [3] lends.</summary>
    public IReadOnlyList<Address> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var world = await ChainWorld.GetAsync().ConfigureAwait(false);
        _node = await ChainStateFile.StartFromAsync(world.StatePath, ChainWorld.NodeArgs).ConfigureAwait(false);
        Accounts = await _node.Eth.GetAccountsAsync().ConfigureAwait(false);
        World = AaveWorld.Attach(_node.Eth, Accounts[0], Accounts[1], world.Aave);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
