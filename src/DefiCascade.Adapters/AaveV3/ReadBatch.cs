using System.Globalization;
using DefiCascade.Adapters.Abi;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>The ABI files of contracts-abi/ the Aave V3 reader calls.</summary>
internal static class AaveV3Abis
{
    public static ContractAbi Provider => AdapterAbis.Get("AaveV3PoolAddressesProvider").Abi;

    public static ContractAbi Pool => AdapterAbis.Get("AaveV3Pool").Abi;

    public static ContractAbi Oracle => AdapterAbis.Get("AaveV3Oracle").Abi;

    public static ContractAbi ScaledToken => AdapterAbis.Get("AaveV3ScaledBalanceToken").Abi;

    public static ContractAbi Erc20 => AdapterAbis.Get("Erc20").Abi;

    public static ContractAbi Aggregator => AdapterAbis.Get("ChainlinkAggregator").Abi;
}

/// <summary>
/// One round trip: reads queued with the contract's role ("Pool", "aUSDC") and function, sent together through an
/// <see cref="IBatchCaller"/> at one block, then decoded by handle. A revert or an undecodable answer of a required
/// read throws <see cref="ChainReadException"/> naming the contract, its address, the function and the block.
/// </summary>
internal sealed class ReadBatch
{
    private readonly List<(string Contract, Address To, AbiFunction Function, EthCall Call)> _calls = [];
    private readonly ulong _block;
    private EthCallResult[]? _results;

    public ReadBatch(ulong block) => _block = block;

    public int Count => _calls.Count;

    public int Add(string contract, Address to, ContractAbi abi, string function, params object[] args)
    {
        if (_results is not null)
        {
            throw new InvalidOperationException("this batch was already sent");
        }

        var f = abi.Function(function);
        _calls.Add((contract, to, f, new EthCall(to, f.EncodeCall(args))));
        return _calls.Count - 1;
    }

    public async Task RunAsync(IBatchCaller caller, CancellationToken ct)
    {
        if (_calls.Count == 0)
        {
            _results = [];
            return;
        }

        EthCallResult[] results;
        try
        {
            results = await caller.CallAsync(_calls.Select(c => c.Call).ToArray(), _block, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException or ContractRevertException or AbiException or TimeoutException or FormatException)
        {
            var first = _calls[0];
            throw new ChainReadException(
                $"a batch of {_calls.Count.ToString(CultureInfo.InvariantCulture)} eth_calls at block {Block} (first: {first.Contract}.{first.Function.Signature})", e.Message, e);
        }

        if (results.Length != _calls.Count)
        {
            throw new ChainReadException($"a batch of {_calls.Count} eth_calls at block {Block}", $"the caller answered {results.Length} results");
        }

        _results = results;
    }

    /// <summary>The decoded outputs; a revert or malformed answer is an error naming the read.</summary>
    public object[] Required(int handle)
    {
        var (result, name, f) = Result(handle);
        if (!result.Success)
        {
            var reason = result.ReturnData.Length == 0 ? "reverted without a reason" : "reverted: " + RevertReason.Decode(result.ReturnData);
            throw new ChainReadException(name, reason);
        }

        try
        {
            return f.DecodeOutput(result.ReturnData);
        }
        catch (AbiException e)
        {
            throw new ChainReadException(name, $"answered {result.ReturnData.Length} bytes that do not decode as ({string.Join(",", f.OutputTypes.Select(t => t.Name))}): {e.Message}", e);
        }
    }

    /// <summary>The decoded outputs, or null when the contract does not answer (reverts or lacks the function).</summary>
    public object[]? Optional(int handle)
    {
        var (result, _, f) = Result(handle);
        if (!result.Success)
        {
            return null;
        }

        try
        {
            return f.DecodeOutput(result.ReturnData);
        }
        catch (AbiException)
        {
            return null;
        }
    }

    /// <summary>The raw answer, for outputs that need more than one decoding (bytes32 or string symbols).</summary>
    public EthCallResult Raw(int handle) => Result(handle).Result;

    /// <summary>How errors name a read: "eth_call Pool.getConfiguration(address) on 0x… at block 123".</summary>
    public string Name(int handle)
    {
        var c = _calls[handle];
        return $"eth_call {c.Contract}.{c.Function.Signature} on {c.To.Hex} at block {Block}";
    }

    private string Block => _block.ToString(CultureInfo.InvariantCulture);

    private (EthCallResult Result, string Name, AbiFunction Function) Result(int handle)
    {
        var results = _results ?? throw new InvalidOperationException("the batch has not been sent");
        return (results[handle], Name(handle), _calls[handle].Function);
    }
}
