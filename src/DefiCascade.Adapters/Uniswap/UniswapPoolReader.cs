using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Adapters.Chain;
using DefiCascade.Adapters.Tokens;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Adapters.Uniswap;

/// <summary>
/// Reads a Uniswap V2 pair or V3 pool into a snapshot at one pinned block: every eth_call names that block, so the
/// reserves, slot0, liquidity and the whole tick book describe one consistent state even while the chain moves on.
/// Reads go through an <see cref="IBatchCaller"/> in four rounds (pool, tokens, bitmap words, ticks), however large
/// the book: a tickSpacing-1 pool's 6,932 bitmap words are one batched read, not 6,932 round trips.
/// </summary>
public sealed class UniswapPoolReader
{
    /// <summary>TickMath.MIN_TICK / MAX_TICK: the bitmap words that can hold an initialized tick lie between them.</summary>
    public const int MinTick = -887272;
    public const int MaxTick = 887272;

    private const string Slot0Outputs = "uint160,int24,uint16,uint16,uint16,uint8,bool";
    private const string TickOutputs = "uint128,int128,uint256,uint256,int56,uint160,uint32,bool";

    private readonly EthClient _eth;
    private readonly IBatchCaller _caller;

    /// <summary>Reads through JSON-RPC batches of eth_call on <paramref name="eth"/>'s connection.</summary>
    public UniswapPoolReader(EthClient eth)
        : this(eth, new RpcBatchCaller(eth?.Rpc ?? throw new ArgumentNullException(nameof(eth))))
    {
    }

    public UniswapPoolReader(EthClient eth, IBatchCaller caller)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(caller);
        _eth = eth;
        _caller = caller;
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

    /// <summary>
    /// Detects the pool kind (V3 answers slot0(), a V2 pair getReserves()) and reads it at <paramref name="block"/>.
    /// With <paramref name="tickWindow"/> only ticks within that distance of the current tick are read, and the
    /// snapshot records the bounds so a swap past them reports "data exhausted", not "out of liquidity".
    /// </summary>
    public async Task<UniswapPoolRead> ReadAsync(Address pool, ulong block, int? tickWindow = null, CancellationToken ct = default)
    {
        if (tickWindow is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tickWindow), tickWindow, "a tick window is a distance in ticks, not negative");
        }

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

        var head = await BatchAsync(
            [
                CallCodec.Call(pool, "slot0()"), CallCodec.Call(pool, "getReserves()"), CallCodec.Call(pool, "token0()"), CallCodec.Call(pool, "token1()"),
                CallCodec.Call(pool, "fee()"), CallCodec.Call(pool, "tickSpacing()"), CallCodec.Call(pool, "liquidity()"),
            ],
            $"slot0/getReserves/token0/token1 on {pool.Hex}",
            block,
            ct).ConfigureAwait(false);
        var token0 = Required(head[2], "address", pool, "token0()", block);
        var token1 = Required(head[3], "address", pool, "token1()", block);
        IReadOnlyList<SnapshotToken> tokens;
        try
        {
            tokens = await TokenReader.ReadAsync(_caller, [(Address)token0[0], (Address)token1[0]], block, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException($"decimals()/symbol() of the tokens of {pool.Hex} at block {block}", e.Message, e);
        }

        if (CallCodec.TryDecode(Slot0Outputs, head[0]) is { } slot0)
        {
            var fee = (int)(BigInteger)Required(head[4], "uint24", pool, "fee()", block)[0];
            var spacing = (int)(BigInteger)Required(head[5], "int24", pool, "tickSpacing()", block)[0];
            var liquidity = (BigInteger)Required(head[6], "uint128", pool, "liquidity()", block)[0];
            if (spacing <= 0)
            {
                throw new ChainReadException(CallName(pool, "tickSpacing()", block), $"answered {spacing}, not a positive spacing");
            }

            var tick = (int)(BigInteger)slot0[1];
            var (lower, upper) = tickWindow is { } w ? (Math.Max(MinTick, tick - w), Math.Min(MaxTick, tick + w)) : (MinTick, MaxTick);
            var ticks = await TickBookAsync(pool, spacing, lower, upper, block, ct).ConfigureAwait(false);
            // null bounds: the whole book was read, so a swap past the last tick is out of liquidity, not out of data.
            var v3 = new UniswapV3PoolSnapshot(
                pool, tokens[0].Symbol, tokens[1].Symbol, fee, spacing, (BigInteger)slot0[0], tick, liquidity, ticks,
                tickWindow is null ? null : lower, tickWindow is null ? null : upper, Source(block));
            return new UniswapPoolRead(v3, tokens[0], tokens[1], block);
        }

        if (CallCodec.TryDecode("uint112,uint112,uint32", head[1]) is { } reserves)
        {
            var v2 = new UniswapV2PoolSnapshot(pool, tokens[0].Symbol, tokens[1].Symbol, (BigInteger)reserves[0], (BigInteger)reserves[1], Source(block));
            return new UniswapPoolRead(v2, tokens[0], tokens[1], block);
        }

        throw new ChainReadException($"slot0() and getReserves() on {pool.Hex} at block {block}", "the contract answers neither: it is not a Uniswap V3 pool or V2 pair");
    }

    /// <summary>Word positions of the compressed range [MIN_TICK, MAX_TICK] for this spacing (TickBitmap.position).</summary>
    public static (int First, int Last) WordRange(int tickSpacing) => WordRange(tickSpacing, MinTick, MaxTick);

    /// <summary>Word positions holding the initialized ticks in [lower, upper] for this spacing.</summary>
    public static (int First, int Last) WordRange(int tickSpacing, int lower, int upper) =>
        (Compress(lower, tickSpacing) >> 8, Compress(upper, tickSpacing) >> 8);

    private static int Compress(int tick, int spacing)
    {
        // Solidity's int24 division truncates; the pool rounds toward negative infinity (TickBitmap.nextInitializedTickWithinOneWord).
        var compressed = tick / spacing;
        return tick < 0 && tick % spacing != 0 ? compressed - 1 : compressed;
    }

    private static string Source(ulong block) => "rpc " + block.ToString(CultureInfo.InvariantCulture);

    private static bool IsChainFailure(Exception e) =>
        e is RpcTransportException or JsonRpcException or ContractRevertException or AbiException or TimeoutException or FormatException;

    private async Task<List<TickSnapshot>> TickBookAsync(Address pool, int spacing, int lower, int upper, ulong block, CancellationToken ct)
    {
        var (first, last) = WordRange(spacing, lower, upper);
        var words = Enumerable.Range(first, last - first + 1).ToArray();
        var bitmaps = await BatchAsync(
            words.Select(w => CallCodec.Call(pool, "tickBitmap(int16)", (BigInteger)w)).ToArray(), $"tickBitmap(int16) x{words.Length} on {pool.Hex}", block, ct).ConfigureAwait(false);
        var initialized = new List<int>();
        for (var i = 0; i < words.Length; i++)
        {
            var bits = (BigInteger)Required(bitmaps[i], "uint256", pool, $"tickBitmap({words[i]})", block)[0];
            for (var bit = 0; !bits.IsZero; bit++, bits >>= 1)
            {
                var tick = ((words[i] * 256) + bit) * spacing;
                if (!bits.IsEven && tick >= lower && tick <= upper)
                {
                    initialized.Add(tick);
                }
            }
        }

        var infos = await BatchAsync(
            initialized.Select(t => CallCodec.Call(pool, "ticks(int24)", (BigInteger)t)).ToArray(), $"ticks(int24) x{initialized.Count} on {pool.Hex}", block, ct).ConfigureAwait(false);
        var ticks = new List<TickSnapshot>(initialized.Count);
        for (var i = 0; i < initialized.Count; i++)
        {
            var info = Required(infos[i], TickOutputs, pool, $"ticks({initialized[i]})", block);
            ticks.Add(new TickSnapshot(initialized[i], (BigInteger)info[1], (BigInteger)info[0]));
        }

        return ticks;
    }

    private async Task<EthCallResult[]> BatchAsync(IReadOnlyList<EthCall> calls, string what, ulong block, CancellationToken ct)
    {
        try
        {
            return await _caller.CallAsync(calls, block, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChainFailure(e))
        {
            throw new ChainReadException($"eth_call {what} at block {block.ToString(CultureInfo.InvariantCulture)}", e.Message, e);
        }
    }

    private static object[] Required(EthCallResult result, string outputs, Address to, string signature, ulong block)
    {
        if (!result.Success)
        {
            throw new ChainReadException(CallName(to, signature, block), "reverted");
        }

        try
        {
            return CallCodec.Decode(outputs, result.ReturnData);
        }
        catch (AbiException e)
        {
            throw new ChainReadException(CallName(to, signature, block), $"answered {result.ReturnData.Length} bytes that do not decode as ({outputs}): {e.Message}", e);
        }
    }

    private static string CallName(Address to, string signature, ulong block) =>
        $"eth_call {signature} on {to.Hex} at block {block.ToString(CultureInfo.InvariantCulture)}";
}
