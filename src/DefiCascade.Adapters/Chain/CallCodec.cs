using System.Collections.Concurrent;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;

namespace DefiCascade.Adapters.Chain;

/// <summary>Encodes reads from a human signature ("ticks(int24)") and decodes their outputs ("uint128,int128"), with parsed types cached.</summary>
public static class CallCodec
{
    private static readonly ConcurrentDictionary<string, (byte[] Selector, IReadOnlyList<AbiType> Inputs)> Functions = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IReadOnlyList<AbiType>> Outputs = new(StringComparer.Ordinal);

    public static EthCall Call(Address to, string signature, params object[] args)
    {
        var (selector, inputs) = Functions.GetOrAdd(signature, s =>
        {
            var open = s.IndexOf('(', StringComparison.Ordinal);
            return (AbiSignature.Selector(s), AbiType.ParseList(s[(open + 1)..^1]));
        });
        return new EthCall(to, [.. selector, .. AbiCodec.Encode(inputs, args)]);
    }

    public static object[] Decode(string outputs, byte[] data) =>
        AbiCodec.Decode(Outputs.GetOrAdd(outputs, AbiType.ParseList), data);

    /// <summary>Decoded outputs, or null when the call reverted or answered something that does not decode (how a missing function shows).</summary>
    public static object[]? TryDecode(string outputs, EthCallResult result)
    {
        if (!result.Success)
        {
            return null;
        }

        try
        {
            return Decode(outputs, result.ReturnData);
        }
        catch (AbiException)
        {
            return null;
        }
    }
}
