using DefiCascade.Core.Primitives;
using Xunit;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// A class or collection fixture: a fresh anvil started from the once-per-run CI crowd (<see cref="AaveCrowd"/>), its
/// Aave market attached and every address impersonable; killed when the tests end.
/// </summary>
public sealed class AaveCrowdFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the crowd's anvil is not started");

    public AaveCrowdState Crowd { get; private set; } = null!;

    public AaveWorld World { get; private set; } = null!;

    /// <summary>Anvil's unlocked default accounts: [0] administers the market, [1] is the treasury, [2] liquidates, [3] lends.</summary>
    public IReadOnlyList<Address> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Crowd = await AaveCrowd.GetAsync().ConfigureAwait(false);
        _node = await AaveCrowd.StartNodeAsync(Crowd).ConfigureAwait(false);
        await AaveCrowd.AutoImpersonateAsync(_node).ConfigureAwait(false);
        Accounts = await _node.Eth.GetAccountsAsync().ConfigureAwait(false);
        World = AaveWorld.Attach(_node.Eth, Accounts[0], Accounts[1], Crowd.Aave);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
