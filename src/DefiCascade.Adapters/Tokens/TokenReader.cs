using System.Globalization;
using System.Numerics;
using System.Text;
using DefiCascade.Adapters.Chain;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;

namespace DefiCascade.Adapters.Tokens;

/// <summary>ERC-20 decimals() and symbol() of many tokens in one batched read at a pinned block.</summary>
public static class TokenReader
{
    /// <summary>In the order given; duplicates are read once.</summary>
    public static async Task<IReadOnlyList<SnapshotToken>> ReadAsync(IBatchCaller caller, IReadOnlyList<Address> tokens, ulong block, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(tokens);
        var distinct = tokens.Distinct().ToArray();
        var calls = distinct.SelectMany(t => new[] { CallCodec.Call(t, "decimals()"), CallCodec.Call(t, "symbol()") }).ToArray();
        var results = await caller.CallAsync(calls, block, ct).ConfigureAwait(false);
        var byAddress = new Dictionary<Address, SnapshotToken>();
        for (var i = 0; i < distinct.Length; i++)
        {
            byAddress[distinct[i]] = Token(distinct[i], results[2 * i], results[(2 * i) + 1], block);
        }

        return tokens.Select(t => byAddress[t]).ToArray();
    }

    private static SnapshotToken Token(Address token, EthCallResult decimalsResult, EthCallResult symbolResult, ulong block)
    {
        // decimals() and symbol() are optional in ERC-20: raw amounts do not need them, only human prices do.
        var decimals = CallCodec.TryDecode("uint8", decimalsResult) is [BigInteger d] ? (int)d : (int?)null;
        var source = "rpc " + block.ToString(CultureInfo.InvariantCulture);
        return new SnapshotToken(Symbol(token, symbolResult), token, decimals ?? 18, decimals is null ? source + " (decimals() unreadable: 18 assumed)" : source);
    }

    private static string Symbol(Address token, EthCallResult result)
    {
        if (CallCodec.TryDecode("string", result) is [string { Length: > 0 } text] && text.All(c => !char.IsControl(c)))
        {
            return text;
        }

        // early tokens (MKR, SAI) return bytes32 padded with zeros.
        if (CallCodec.TryDecode("bytes32", result) is [byte[] raw]
            && Encoding.UTF8.GetString(raw).TrimEnd('\0') is { Length: > 0 } fixedText
            && fixedText.All(c => !char.IsControl(c)))
        {
            return fixedText;
        }

        return token.Hex;
    }
}
