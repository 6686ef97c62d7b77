using System.Globalization;
using System.Numerics;
using DefiCascade.Adapters.Chain;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Replay;

/// <summary>Calldata by canonical signature, and the few event layouts a replay reads back (topic 0 and 32-byte data words).</summary>
internal static class ChainCalls
{
    public static readonly byte[] LiquidationCallTopic = AbiSignature.EventTopic("LiquidationCall(address,address,address,uint256,uint256,address,bool)");
    public static readonly byte[] SwapTopic = AbiSignature.EventTopic("Swap(address,address,int256,int256,uint160,uint128,int24)");
    public static readonly byte[] TransferTopic = AbiSignature.EventTopic("Transfer(address,address,uint256)");

    /// <summary>Calldata through the adapters' <see cref="CallCodec"/> (selector and parsed types cached per signature).</summary>
    public static byte[] Encode(string signature, params object[] args) =>
        CallCodec.Call(default, AbiSignature.Canonical(signature), args).Data;

    /// <summary>SwapRouter.exactInputSingle(ExactInputSingleParams): a static tuple, encoded as its eight fields in order.</summary>
    public static byte[] ExactInputSingle(Address tokenIn, Address tokenOut, int fee, Address recipient, BigInteger amountIn, BigInteger sqrtPriceLimitX96) =>
        [.. AbiSignature.Selector("exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))"),
            .. AbiCodec.Encode(
                AbiType.ParseList("address,address,uint24,address,uint256,uint256,uint256,uint160"),
                [tokenIn, tokenOut, new BigInteger(fee), recipient, BigInteger.One << 40, amountIn, BigInteger.Zero, sqrtPriceLimitX96])];

    public static BigInteger Word(byte[] data, int index, bool signed = false)
    {
        var word = data.AsSpan(index * 32, 32);
        var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        return signed && value >= BigInteger.One << 255 ? value - (BigInteger.One << 256) : value;
    }

    public static Address TopicAddress(byte[] topic) => Address.Parse(Hex.Encode(topic.AsSpan(12, 20)));

    public static bool Is(LogEntry log, byte[] topic) => log.Topics.Count > 0 && log.Topics[0].AsSpan().SequenceEqual(topic);

    /// <summary>eth_call returning the raw output; a revert or a node error names the call.</summary>
    public static async Task<byte[]> CallAsync(JsonRpcClient rpc, Address to, byte[] data, string what, string block = "latest", CancellationToken ct = default)
    {
        try
        {
            var result = await rpc.CallAsync("eth_call", ct, new Dictionary<string, string> { ["to"] = to.Hex, ["data"] = Hex.Encode(data) }, block).ConfigureAwait(false);
            return Hex.Decode(result.GetString() ?? "0x");
        }
        catch (JsonRpcException e)
        {
            throw new ReplayChainException($"{what} (eth_call to {to.Hex}) failed: {e.NodeMessage}", e);
        }
    }

    public static string Quantity(BigInteger value) => Hex.EncodeQuantity(value);

    public static string Quantity(ulong value) => Hex.EncodeQuantity(new BigInteger(value));

    public static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A chain call of the replay failed (a node error, a refused cheat method, a preparation transaction that reverted).</summary>
public sealed class ReplayChainException(string message, Exception? inner = null) : Exception(message, inner);
