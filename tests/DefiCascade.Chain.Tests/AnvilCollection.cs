using DefiCascade.Chain.Testing;

namespace DefiCascade.Chain.Tests;

/// <summary>Test classes in this collection share one anvil (started once, killed when the collection ends).</summary>
[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}
