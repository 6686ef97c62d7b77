using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using Xunit;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// One anvil per xunit test collection. Use it as a collection fixture: declare
/// <c>[CollectionDefinition("anvil")] public class AnvilCollection : ICollectionFixture&lt;AnvilFixture&gt;;</c>
/// in the test assembly (xunit finds collection definitions only there).
/// </summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the anvil fixture is not started");

    public EthClient Eth => Node.Eth;

    /// <summary>Anvil's unlocked default accounts (10, each holding 10,000 ETH).</summary>
    public IReadOnlyList<Address> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _node = await AnvilNode.StartAsync().ConfigureAwait(false);
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
