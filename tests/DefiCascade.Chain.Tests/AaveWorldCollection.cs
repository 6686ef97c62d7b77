using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Tests;

/// <summary>Aave tests get their own anvil, so their price moves never meet another collection's transactions.</summary>
[CollectionDefinition(Name)]
public sealed class AaveWorldCollection : ICollectionFixture<AaveWorldFixture>
{
    public const string Name = "anvil-aave";
}

/// <summary>One anvil with one Aave V3 market, deployed once for the collection (CHAIN.md: about a second).</summary>
public sealed class AaveWorldFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the Aave anvil is not started");

    public AaveWorld World { get; private set; } = null!;

    /// <summary>Anvil's unlocked default accounts: [0] deploys and administers, [1] is the treasury, [2] liquidates, [3] lends.</summary>
    public IReadOnlyList<Address> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _node = await AnvilNode.StartAsync().ConfigureAwait(false);
        Accounts = await _node.Eth.GetAccountsAsync().ConfigureAwait(false);
        World = await AaveWorld.DeployAsync(_node.Eth, Accounts[0], Accounts[1]).ConfigureAwait(false);
        await World.PrepareAsync(Accounts[3], Accounts[2]).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
