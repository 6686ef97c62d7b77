using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Client;

/// <summary>
/// Typed eth_* access over a <see cref="JsonRpcClient"/>: reads at a named block, transactions from the node's
/// unlocked accounts (anvil), deployment and revert decoding. Anvil cheats are in EthClient.Anvil.cs.
/// </summary>
public sealed partial class EthClient
{
    public const ulong AnvilChainId = 31337;

    private readonly EthClientOptions _options;
    private ulong? _chainId;

    public EthClient(JsonRpcClient rpc, EthClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        Rpc = rpc;
        _options = options ?? new EthClientOptions();
    }

    public JsonRpcClient Rpc { get; }

    public async Task<ulong> GetChainIdAsync(CancellationToken ct = default)
    {
        // the chain id of a node cannot change under us: ask once.
        _chainId ??= (ulong)Quantity(await Rpc.CallAsync("eth_chainId", ct).ConfigureAwait(false));
        return _chainId.Value;
    }

    public async Task<ulong> GetBlockNumberAsync(CancellationToken ct = default) =>
        (ulong)Quantity(await Rpc.CallAsync("eth_blockNumber", ct).ConfigureAwait(false));

    /// <summary>The timestamp (unix seconds) of block <paramref name="block"/>; a block the node does not have is an error.</summary>
    public async Task<long> GetBlockTimestampAsync(ulong block, CancellationToken ct = default)
    {
        var result = await Rpc.CallAsync("eth_getBlockByNumber", ct, BlockParameter.At(block).ToRpc(), false).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("timestamp", out var timestamp))
        {
            throw new JsonRpcException("eth_getBlockByNumber", -32603, $"the node has no block {block}", null);
        }

        return (long)Quantity(timestamp);
    }

    public async Task<BigInteger> GetBalanceAsync(Address account, BlockParameter block, CancellationToken ct = default) =>
        Quantity(await Rpc.CallAsync("eth_getBalance", ct, account.Hex, block.ToRpc()).ConfigureAwait(false));

    public async Task<byte[]> GetCodeAsync(Address account, BlockParameter block, CancellationToken ct = default) =>
        Hex.Decode((await Rpc.CallAsync("eth_getCode", ct, account.Hex, block.ToRpc()).ConfigureAwait(false)).GetString()!);

    public async Task<IReadOnlyList<Address>> GetAccountsAsync(CancellationToken ct = default)
    {
        var result = await Rpc.CallAsync("eth_accounts", ct).ConfigureAwait(false);
        return result.EnumerateArray().Select(a => Address.Parse(a.GetString()!)).ToArray();
    }

    /// <summary>eth_call; a revert throws <see cref="ContractRevertException"/> named by <paramref name="context"/>.</summary>
    public async Task<byte[]> CallAsync(Address to, byte[] data, BlockParameter block, CallContext? context = null, Address? from = null, CancellationToken ct = default)
    {
        var tx = Tx(from, to, data, null, null);
        try
        {
            return Hex.Decode((await Rpc.CallAsync("eth_call", ct, tx, block.ToRpc()).ConfigureAwait(false)).GetString()!);
        }
        catch (JsonRpcException e) when (RevertData(e) is { } revert)
        {
            throw Revert(context, to, revert);
        }
    }

    public async Task<ulong> EstimateGasAsync(Address from, Address? to, byte[] data, BigInteger? value = null, CallContext? context = null, CancellationToken ct = default)
    {
        try
        {
            return (ulong)Quantity(await Rpc.CallAsync("eth_estimateGas", ct, Tx(from, to, data, value, null)).ConfigureAwait(false));
        }
        catch (JsonRpcException e) when (RevertData(e) is { } revert)
        {
            throw Revert(context, to, revert);
        }
    }

    /// <summary>
    /// eth_sendTransaction from an account the node holds unlocked, then waits for the receipt. Without
    /// <paramref name="gas"/> the estimate is padded by <see cref="EthClientOptions.GasPadPercent"/>.
    /// A reverted transaction throws <see cref="ContractRevertException"/> with the reason replayed by eth_call.
    /// </summary>
    public async Task<TransactionReceipt> SendTransactionAsync(
        Address from, Address? to, byte[] data, BigInteger? value = null, ulong? gas = null, CallContext? context = null, CancellationToken ct = default)
    {
        var chainId = await GetChainIdAsync(ct).ConfigureAwait(false);
        if (chainId != AnvilChainId && !_options.AllowNonDevChain)
        {
            throw new InvalidOperationException(
                $"refusing eth_sendTransaction: chain id {chainId} is not anvil's {AnvilChainId}; set EthClientOptions.AllowNonDevChain to send to this chain deliberately");
        }

        var gasLimit = gas ?? checked((await EstimateGasAsync(from, to, data, value, context, ct).ConfigureAwait(false)) * (ulong)(100 + _options.GasPadPercent) / 100);
        string hash;
        try
        {
            hash = (await Rpc.CallAsync("eth_sendTransaction", ct, Tx(from, to, data, value, gasLimit)).ConfigureAwait(false)).GetString()!;
        }
        catch (JsonRpcException e) when (RevertData(e) is { } revert)
        {
            throw Revert(context, to, revert);
        }

        var receipt = await WaitForReceiptAsync(hash, ct).ConfigureAwait(false);
        if (!receipt.Succeeded)
        {
            // the receipt carries no reason: replay the call on the state the transaction saw.
            var before = BlockParameter.At(receipt.BlockNumber - 1);
            try
            {
                await Rpc.CallAsync("eth_call", ct, Tx(from, to, data, value, gasLimit), before.ToRpc()).ConfigureAwait(false);
            }
            catch (JsonRpcException e) when (RevertData(e) is { } revert)
            {
                throw Revert(context, to, revert);
            }

            throw new ContractRevertException(Name(context, to), context?.Function ?? "(transaction)", $"failed in block {receipt.BlockNumber} (out of gas? {receipt.GasUsed} used of {gasLimit})", []);
        }

        return receipt;
    }

    /// <summary>Deploys the (linked) artifact with constructor arguments and returns the new contract's address.</summary>
    public async Task<Address> DeployAsync(ContractArtifact artifact, IReadOnlyList<object> ctorArgs, Address from, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(ctorArgs);
        var ctor = artifact.Abi.Constructor;
        var args = ctor is null
            ? (ctorArgs.Count == 0 ? [] : throw new AbiException($"{artifact.Name} has no constructor arguments, {ctorArgs.Count} given"))
            : ctor.EncodeArguments([.. ctorArgs]);
        var context = new CallContext(artifact.Name, "constructor", artifact.Abi);
        var receipt = await SendTransactionAsync(from, null, [.. artifact.CreationBytecode(), .. args], context: context, ct: ct).ConfigureAwait(false);
        return receipt.ContractAddress ?? throw new InvalidOperationException($"deploying {artifact.Name}: the receipt names no contract address");
    }

    public async Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + _options.ReceiptTimeout;
        var delay = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            var result = await Rpc.CallAsync("eth_getTransactionReceipt", ct, transactionHash).ConfigureAwait(false);
            if (result.ValueKind == JsonValueKind.Object)
            {
                return ParseReceipt(result);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no receipt for {transactionHash} after {_options.ReceiptTimeout.TotalSeconds:0} s (is the node mining?)");
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    internal static BigInteger Quantity(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Hex.DecodeQuantity(value.GetString()!),
        JsonValueKind.Number => BigInteger.Parse(value.GetRawText(), CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a quantity, got {value.ValueKind}"),
    };

    private static Dictionary<string, string> Tx(Address? from, Address? to, byte[] data, BigInteger? value, ulong? gas)
    {
        var tx = new Dictionary<string, string> { ["data"] = Hex.Encode(data) };
        if (from is { } f)
        {
            tx["from"] = f.Hex;
        }

        if (to is { } t)
        {
            tx["to"] = t.Hex;
        }

        if (value is { } v)
        {
            tx["value"] = Hex.EncodeQuantity(v);
        }

        if (gas is { } g)
        {
            tx["gas"] = Hex.EncodeQuantity(g);
        }

        return tx;
    }

    /// <summary>Revert data from a node error: anvil and geth put it in data as hex (some nodes nest it one level).</summary>
    internal static byte[]? RevertData(JsonRpcException e)
    {
        var looksLikeRevert = e.NodeMessage.Contains("revert", StringComparison.OrdinalIgnoreCase) || e.Code == 3;
        if (e.ErrorData is { } data)
        {
            var hex = data.ValueKind == JsonValueKind.String ? data.GetString()
                : data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.String ? inner.GetString()
                : null;
            if (hex is not null && hex.StartsWith("0x", StringComparison.Ordinal))
            {
                try
                {
                    return Hex.Decode(hex);
                }
                catch (FormatException)
                {
                    return looksLikeRevert ? [] : null;
                }
            }
        }

        return looksLikeRevert ? [] : null;
    }

    private static string Name(CallContext? context, Address? to) => context?.ContractName ?? to?.Hex ?? "(contract creation)";

    private static ContractRevertException Revert(CallContext? context, Address? to, byte[] data) =>
        new(Name(context, to), context?.Function ?? "(call)", RevertReason.Decode(data, context?.Abi), data);

    private static TransactionReceipt ParseReceipt(JsonElement r)
    {
        Address? created = r.TryGetProperty("contractAddress", out var ca) && ca.ValueKind == JsonValueKind.String ? Address.Parse(ca.GetString()!) : null;
        var logs = r.TryGetProperty("logs", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Select(log => new LogEntry(
                Address.Parse(log.GetProperty("address").GetString()!),
                log.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray(),
                Hex.Decode(log.GetProperty("data").GetString()!))).ToArray()
            : [];
        return new TransactionReceipt(
            r.GetProperty("transactionHash").GetString()!,
            (ulong)Quantity(r.GetProperty("blockNumber")),
            Quantity(r.GetProperty("status")) == BigInteger.One,
            Quantity(r.GetProperty("gasUsed")),
            created,
            logs);
    }
}
