using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Replay.Fork;

/// <summary>Which hashing a token's balance mapping uses.</summary>
public enum BalanceLayout
{
    /// <summary>Solidity: the balance of h in mapping slot p lives at keccak256(pad32(h) . pad32(p)).</summary>
    Solidity,

    /// <summary>Vyper (before 0.4 and after): keccak256(pad32(p) . pad32(h)).</summary>
    Vyper,
}

/// <summary>Where a token keeps its balances: the mapping's slot and the layout of its keys.</summary>
public readonly record struct BalanceSlot(int Slot, BalanceLayout Layout)
{
    /// <summary>The storage key of <paramref name="holder"/>'s balance.</summary>
    public BigInteger KeyOf(Address holder)
    {
        var h = Word(Hex.Decode(holder.Hex));
        var p = Word(new BigInteger(Slot).ToByteArray(isUnsigned: true, isBigEndian: true));
        byte[] preimage = Layout == BalanceLayout.Solidity ? [.. h, .. p] : [.. p, .. h];
        return new BigInteger(Keccak.Hash256(preimage), isUnsigned: true, isBigEndian: true);
    }

    public override string ToString() => $"slot {Slot.ToString(CultureInfo.InvariantCulture)} ({Layout} layout)";

    private static byte[] Word(byte[] bytes)
    {
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }
}

/// <summary>
/// Flash-loan style funding on a fork, for tokens without a mint: writes the recipient's balance with anvil_setStorageAt.
/// The balance mapping is found once per token by probing: for slots 0..<see cref="MaxSlot"/>, Solidity then Vyper key
/// layout, write a marker at the recipient's key and read balanceOf; a miss puts the original word back. Proxied tokens
/// (USDC-style) keep their storage at the proxy's address, where the writes go, so they probe the same way. The new
/// balance is the current one plus the amount (above 2^256-1 is an error), checked through balanceOf afterwards.
/// <para>totalSupply is NOT changed: the funding stands for a flash loan, which leaves the supply as it found it, and the
/// replay's actors hand the proceeds on rather than burn them. The disclosures say so. Tokens whose balanceOf is not the
/// raw stored word (rebasing tokens such as stETH, aTokens, balances packed with other fields) are not found and fail
/// with the token named; fund those some other way.</para>
/// </summary>
public sealed class DealFunding : IFunding
{
    /// <summary>The highest mapping slot probed: token contracts with more state variables than this are rare.</summary>
    public const int MaxSlot = 100;

    private static readonly BigInteger Marker = new(Keccak.Hash256("DefiCascade.Replay.Fork DealFunding marker").AsSpan(0, 16), isUnsigned: true, isBigEndian: true);

    private readonly EthClient _eth;
    private readonly ConcurrentDictionary<Address, BalanceSlot> _slots = new();
    private readonly Dictionary<(Address Token, Address To), BigInteger> _dealt = [];
    private readonly object _lock = new();

    public DealFunding(EthClient eth)
    {
        ArgumentNullException.ThrowIfNull(eth);
        _eth = eth;
    }

    /// <summary>One line per token probed and one per (token, recipient) with the total dealt.</summary>
    public IReadOnlyList<string> Disclosures
    {
        get
        {
            lock (_lock)
            {
                return
                [
                    .. _slots.OrderBy(p => p.Key.Hex, StringComparer.Ordinal).Select(p => $"token {p.Key}: balances found at mapping {p.Value}; written with anvil_setStorageAt"),
                    .. _dealt.Select(p => $"gave {p.Key.To} {p.Value.ToString(CultureInfo.InvariantCulture)} base units of token {p.Key.Token} by writing its balance (flash-loan style; totalSupply not changed)"),
                ];
            }
        }
    }

    /// <summary>The balance mapping found for <paramref name="token"/>, if it was probed.</summary>
    public BalanceSlot? SlotOf(Address token) => _slots.TryGetValue(token, out var s) ? s : null;

    public async Task FundAsync(Address token, Address to, BigInteger amount, CancellationToken ct = default)
    {
        if (amount.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "a funding amount is not negative");
        }

        var current = await BalanceOfAsync(token, to, ct).ConfigureAwait(false);
        var target = current + amount;
        if (!UInt256.InRange(target))
        {
            throw new OverflowException($"token {token}: {to}'s balance {current} plus {amount} exceeds 2^256-1");
        }

        if (!_slots.TryGetValue(token, out var slot))
        {
            slot = await ProbeAsync(token, to, ct).ConfigureAwait(false);
            _slots[token] = slot;
        }

        await _eth.SetStorageAtAsync(token, slot.KeyOf(to), target, ct).ConfigureAwait(false);
        var after = await BalanceOfAsync(token, to, ct).ConfigureAwait(false);
        if (after != target)
        {
            throw new InvalidOperationException($"token {token}: wrote {target} at {slot} for {to} but balanceOf reads {after}");
        }

        lock (_lock)
        {
            _dealt[(token, to)] = _dealt.GetValueOrDefault((token, to)) + amount;
        }
    }

    /// <summary>Finds the balance mapping by writing a marker at each candidate key of <paramref name="holder"/>.</summary>
    public async Task<BalanceSlot> ProbeAsync(Address token, Address holder, CancellationToken ct = default)
    {
        for (var slot = 0; slot <= MaxSlot; slot++)
        {
            foreach (var layout in (BalanceLayout[])[BalanceLayout.Solidity, BalanceLayout.Vyper])
            {
                var candidate = new BalanceSlot(slot, layout);
                var key = candidate.KeyOf(holder);
                var original = await GetStorageAtAsync(token, key, ct).ConfigureAwait(false);
                await _eth.SetStorageAtAsync(token, key, Marker, ct).ConfigureAwait(false);
                BigInteger seen;
                try
                {
                    seen = await BalanceOfAsync(token, holder, ct).ConfigureAwait(false);
                }
                finally
                {
                    await _eth.SetStorageAtAsync(token, key, original, CancellationToken.None).ConfigureAwait(false);
                }

                if (seen == Marker)
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            $"token {token}: no balance mapping found (slots 0..{MaxSlot}, Solidity and Vyper layouts): balanceOf is not a plain stored word "
            + "(rebasing, share-based or packed balances?); this token cannot be funded with --funding deal");
    }

    private async Task<BigInteger> BalanceOfAsync(Address token, Address holder, CancellationToken ct)
    {
        var f = AdapterAbis.Get("Erc20").Abi.Function("balanceOf");
        byte[] output;
        try
        {
            output = await _eth.CallAsync(token, f.EncodeCall(holder), BlockParameter.Latest, ct: ct).ConfigureAwait(false);
        }
        catch (ContractRevertException e)
        {
            throw new InvalidOperationException($"token {token}: balanceOf reverted ({e.Reason}); not an ERC-20, cannot fund it", e);
        }

        if (output.Length < 32)
        {
            var code = await _eth.GetCodeAsync(token, BlockParameter.Latest, ct).ConfigureAwait(false);
            throw new InvalidOperationException(code.Length == 0
                ? $"token {token}: no contract code at this address; cannot fund it"
                : $"token {token}: balanceOf returned {output.Length} bytes, not a 32-byte word; not an ERC-20, cannot fund it");
        }

        return (BigInteger)f.DecodeOutput(output)[0];
    }

    private async Task<BigInteger> GetStorageAtAsync(Address account, BigInteger key, CancellationToken ct) =>
        Hex.DecodeQuantity((await _eth.Rpc.CallAsync("eth_getStorageAt", ct, account.Hex, Hex.EncodeQuantity(key), "latest").ConfigureAwait(false)).GetString()!);
}
