namespace DefiCascade.Ethereum.Abi;

/// <summary>Selectors and topics: the Keccak-256 of a canonical signature such as "transfer(address,uint256)".</summary>
public static class AbiSignature
{
    /// <summary>The 4-byte function (or custom error) selector.</summary>
    public static byte[] Selector(string signature) => Keccak.Hash256(Canonical(signature))[..4];

    /// <summary>The event's topic 0 (the whole 32-byte hash).</summary>
    public static byte[] EventTopic(string signature) => Keccak.Hash256(Canonical(signature));

    /// <summary>Normalizes "transfer(address, uint)" to "transfer(address,uint256)".</summary>
    public static string Canonical(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !signature.EndsWith(')'))
        {
            throw new FormatException($"'{signature}' is not a signature like name(type,...)");
        }

        var types = AbiType.ParseList(signature[(open + 1)..^1]);
        return signature[..open].Trim() + "(" + string.Join(",", types.Select(t => t.Name)) + ")";
    }
}
