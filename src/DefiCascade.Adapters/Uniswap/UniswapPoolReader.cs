using System.Globalization;
using System.Numerics;
using System.Text;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Adapters.Uniswap;

/// <summary>
/// Reads a Uniswap V2 pair or V3 pool into a snapshot at one pinned block: every eth_call names that block, so the
/// reserves, slot0, liquidity and the whole tick book describe one consistent state even while the chain moves on.
/// Reads are sequential (one eth_call each).
/// </summary>
public sealed class UniswapPoolReader
{
    /// <summary>TickMath.MIN_TICK / MAX_TICK: the bitmap words that can hold an initialized tick lie between them.</summary>
    public const int MinTick = -887272;
    public const int MaxTick = 887272;

    private readonly EthClient _eth;

    public UniswapPoolReader(EthClient eth)
    {
        ArgumentNullException.ThrowIfNull(eth);
        _eth = eth;
    }

    /// <summary>The number of the latest block: a quote must pin one number, since "latest" moves between reads.</summary>
    public async Task<ulong> LatestBlockAsync(CancellationToken ct = default)
    {
        try
        {
            return await _eth.GetBlockNumberAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException("eth_blockNumber", e.Message, e);
        }
    }

    /// <summary>Detects the pool kind (V3 answers slot0(), a V2 pair getReserves()) and reads it at <paramref name="block"/>.</summary>
    public async Task<UniswapPoolRead> ReadAsync(Address pool, ulong block, CancellationToken ct = default)
    {
        var at = BlockParameter.At(block);
        byte[] code;
        try
        {
            code = await _eth.GetCodeAsync(pool, at, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException($"eth_getCode {pool.Hex} at block {block}", e.Message, e);
        }

        if (code.Length == 0)
        {
            throw new ChainReadException($"eth_getCode {pool.Hex} at block {block}", "no contract at that address at that block");
        }

        if (await TryCallAsync(pool, "slot0()", "uint160,int24,uint16,uint16,uint16,uint8,bool", block, ct).ConfigureAwait(false) is { } slot0)
        {
            return await ReadV3Async(pool, block, slot0, ct).ConfigureAwait(false);
        }

        if (await TryCallAsync(pool, "getReserves()", "uint112,uint112,uint32", block, ct).ConfigureAwait(false) is { } reserves)
        {
            var (t0, t1) = await TokensAsync(pool, block, ct).ConfigureAwait(false);
            var v2 = new UniswapV2PoolSnapshot(pool, t0.Symbol, t1.Symbol, (BigInteger)reserves[0], (BigInteger)reserves[1], Source(block));
            return new UniswapPoolRead(v2, t0, t1, block);
        }

        throw new ChainReadException($"slot0() and getReserves() on {pool.Hex} at block {block}", "the contract answers neither: it is not a Uniswap V3 pool or V2 pair");
    }

    /// <summary>Word positions of the compressed range [MIN_TICK, MAX_TICK] for this spacing (TickBitmap.position).</summary>
    public static (int First, int Last) WordRange(int tickSpacing) =>
        (Compress(MinTick, tickSpacing) >> 8, Compress(MaxTick, tickSpacing) >> 8);

    private static int Compress(int tick, int spacing)
    {
        // Solidity's int24 division truncates; the pool rounds toward negative infinity (TickBitmap.nextInitializedTickWithinOneWord).
        var compressed = tick / spacing;
        return tick < 0 && tick % spacing != 0 ? compressed - 1 : compressed;
    }

    private static string Source(ulong block) => "rpc " + block.ToString(CultureInfo.InvariantCulture);

    private static bool IsChainFailure(Exception e) =>
        e is RpcTransportException or JsonRpcException or ContractRevertException or AbiException or TimeoutException or FormatException;

    private async Task<UniswapPoolRead> ReadV3Async(Address pool, ulong block, object[] slot0, CancellationToken ct)
    {
        var fee = (int)(BigInteger)(await CallAsync(pool, "fee()", "uint24", block, ct).ConfigureAwait(false))[0];
        var spacing = (int)(BigInteger)(await CallAsync(pool, "tickSpacing()", "int24", block, ct).ConfigureAwait(false))[0];
        var liquidity = (BigInteger)(await CallAsync(pool, "liquidity()", "uint128", block, ct).ConfigureAwait(false))[0];
        if (spacing <= 0)
        {
            throw new ChainReadException($"tickSpacing() on {pool.Hex} at block {block}", $"answered {spacing}, not a positive spacing");
        }

        var (t0, t1) = await TokensAsync(pool, block, ct).ConfigureAwait(false);
        var ticks = new List<TickSnapshot>();
        var (first, last) = WordRange(spacing);
        for (var word = first; word <= last; word++)
        {
            var bits = (BigInteger)(await CallAsync(pool, "tickBitmap(int16)", "uint256", block, ct, word).ConfigureAwait(false))[0];
            for (var bit = 0; !bits.IsZero; bit++, bits >>= 1)
            {
                if (bits.IsEven)
                {
                    continue;
                }

                var tick = ((word * 256) + bit) * spacing;
                var info = await CallAsync(pool, "ticks(int24)", "uint128,int128,uint256,uint256,int56,uint160,uint32,bool", block, ct, tick).ConfigureAwait(false);
                ticks.Add(new TickSnapshot(tick, (BigInteger)info[1], (BigInteger)info[0]));
            }
        }

        // null bounds: the whole book was read, so a swap past the last tick is out of liquidity, not out of data.
        var v3 = new UniswapV3PoolSnapshot(
            pool, t0.Symbol, t1.Symbol, fee, spacing, (BigInteger)slot0[0], (int)(BigInteger)slot0[1], liquidity, ticks, null, null, Source(block));
        return new UniswapPoolRead(v3, t0, t1, block);
    }

    private async Task<(SnapshotToken Token0, SnapshotToken Token1)> TokensAsync(Address pool, ulong block, CancellationToken ct)
    {
        var a0 = (Address)(await CallAsync(pool, "token0()", "address", block, ct).ConfigureAwait(false))[0];
        var a1 = (Address)(await CallAsync(pool, "token1()", "address", block, ct).ConfigureAwait(false))[0];
        return (await TokenAsync(a0, block, ct).ConfigureAwait(false), await TokenAsync(a1, block, ct).ConfigureAwait(false));
    }

    private async Task<SnapshotToken> TokenAsync(Address token, ulong block, CancellationToken ct)
    {
        // decimals() and symbol() are optional in ERC-20: raw amounts do not need them, only the human price does.
        var decimals = await TryCallAsync(token, "decimals()", "uint8", block, ct).ConfigureAwait(false) is { } d ? (int)(BigInteger)d[0] : (int?)null;
        var symbol = await SymbolAsync(token, block, ct).ConfigureAwait(false);
        var source = decimals is null ? Source(block) + " (decimals() unreadable: 18 assumed)" : Source(block);
        return new SnapshotToken(symbol, token, decimals ?? 18, source);
    }

    private async Task<string> SymbolAsync(Address token, ulong block, CancellationToken ct)
    {
        if (await TryCallAsync(token, "symbol()", "string", block, ct).ConfigureAwait(false) is [string { Length: > 0 } text])
        {
            return text;
        }

        // early tokens (MKR, SAI) return bytes32 padded with zeros.
        if (await TryCallAsync(token, "symbol()", "bytes32", block, ct).ConfigureAwait(false) is [byte[] raw]
            && Encoding.UTF8.GetString(raw).TrimEnd('\0') is { Length: > 0 } fixedText
            && fixedText.All(c => !char.IsControl(c)))
        {
            return fixedText;
        }

        return token.Hex;
    }

    /// <summary>Null when the contract reverts or answers something that does not decode: how a missing function shows.</summary>
    private async Task<object[]?> TryCallAsync(Address to, string signature, string outputs, ulong block, CancellationToken ct, params object[] args)
    {
        try
        {
            return await RawCallAsync(to, signature, outputs, block, ct, args).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ContractRevertException or AbiException)
        {
            return null;
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException(CallName(to, signature, block), e.Message, e);
        }
    }

    private async Task<object[]> CallAsync(Address to, string signature, string outputs, ulong block, CancellationToken ct, params object[] args)
    {
        try
        {
            return await RawCallAsync(to, signature, outputs, block, ct, args).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException(CallName(to, signature, block), e.Message, e);
        }
    }

    private async Task<object[]> RawCallAsync(Address to, string signature, string outputs, ulong block, CancellationToken ct, object[] args)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var inputTypes = AbiType.ParseList(signature[(open + 1)..^1]);
        byte[] data = [.. AbiSignature.Selector(signature), .. AbiCodec.Encode(inputTypes, args)];
        var output = await _eth.CallAsync(to, data, BlockParameter.At(block), ct: ct).ConfigureAwait(false);
        return AbiCodec.Decode(AbiType.ParseList(outputs), output);
    }

    private static string CallName(Address to, string signature, ulong block) =>
        $"eth_call {signature} on {to.Hex} at block {block.ToString(CultureInfo.InvariantCulture)}";
}
