using DefiCascade.Chain.Testing;
namespace DefiCascade.Chain.Tests;

/// <summary>
/// The Morpho Blue differential test's own anvil, started from the once-per-run world (<see cref="ChainWorld"/>): it
/// pins block timestamps (evm_setNextBlockTimestamp), which would disturb tests sharing a node, and runs in parallel
/// with the other collections.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AnvilMorphoCollection : ICollectionFixture<ChainWorldFixture>
{
    public const string Name = "anvil-morpho";
}
