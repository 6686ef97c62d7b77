using DefiCascade.Chain.Testing;

namespace DefiCascade.Chain.Tests;

/// <summary>Test classes in this collection share one anvil (started once, killed when the collection ends).</summary>
[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}

/// <summary>
/// The Uniswap V2 differential test's own anvil, started from the once-per-run world (<see cref="ChainWorld"/>) and
/// killed when the collection ends.
/// </summary>
[CollectionDefinition(Name)]
public sealed class V2WorldCollection : ICollectionFixture<ChainWorldFixture>
{
    public const string Name = "anvil-v2";
}
