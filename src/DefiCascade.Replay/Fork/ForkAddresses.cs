using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;

namespace DefiCascade.Replay.Fork;

/// <summary>
/// Deterministic addresses for what the fork seams add to a chain: the last 20 bytes of keccak256(label || salt), so a
/// rerun lands on the same accounts and the disclosures read the same. No private key exists for them: they act only
/// while impersonated, or hold code written with anvil_setCode.
/// </summary>
public static class ForkAddresses
{
    /// <summary>The account granted ASSET_LISTING_ADMIN for the one setAssetSources call.</summary>
    public static Address ReplayAdmin { get; } = Derive("DefiCascade.Replay.Fork replay admin", null);

    /// <summary>Where the settable feed for <paramref name="asset"/> is installed.</summary>
    public static Address FakeAggregator(Address asset) => Derive("DefiCascade.Replay.Fork fake aggregator", asset);

    public static Address Derive(string label, Address? salt)
    {
        ArgumentNullException.ThrowIfNull(label);
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(label), .. salt is { } s ? Hex.Decode(s.Hex) : []];
        return Address.Parse(Hex.Encode(Keccak.Hash256(bytes).AsSpan(12)));
    }
}
