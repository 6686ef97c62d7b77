using DefiCascade.Chain.Testing;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// The Morpho Blue differential test's own anvil: it pins block timestamps (evm_setNextBlockTimestamp), which would
/// disturb tests sharing a node, and runs in parallel with the shared "anvil" collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AnvilMorphoCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil-morpho";
}
