using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Artifacts;

namespace DefiCascade.Ethereum.Client;

/// <summary>A deployed contract bound to its ABI: calls and transactions by function name, reverts named after it.</summary>
public sealed class Contract
{
    private readonly EthClient _eth;

    public Contract(EthClient eth, string name, ContractAbi abi, Address address)
    {
        ArgumentNullException.ThrowIfNull(eth);
        _eth = eth;
        Name = name;
        Abi = abi;
        Address = address;
    }

    public string Name { get; }

    public ContractAbi Abi { get; }

    public Address Address { get; }

    public static async Task<Contract> DeployAsync(EthClient eth, ContractArtifact artifact, Address from, params object[] ctorArgs)
    {
        ArgumentNullException.ThrowIfNull(eth);
        ArgumentNullException.ThrowIfNull(artifact);
        var address = await eth.DeployAsync(artifact, ctorArgs, from).ConfigureAwait(false);
        return new Contract(eth, artifact.Name, artifact.Abi, address);
    }

    public Task<object[]> CallAsync(string function, params object[] args) => CallAtAsync(BlockParameter.Latest, function, args);

    public async Task<object[]> CallAtAsync(BlockParameter block, string function, params object[] args)
    {
        var f = Abi.Function(function);
        var output = await _eth.CallAsync(Address, f.EncodeCall(args), block, Context(f)).ConfigureAwait(false);
        return f.DecodeOutput(output);
    }

    /// <summary>The first output as an integer (balances, reserves, counters).</summary>
    public async Task<BigInteger> CallUIntAsync(string function, params object[] args) =>
        (BigInteger)(await CallAsync(function, args).ConfigureAwait(false))[0];

    public Task<TransactionReceipt> SendAsync(Address from, string function, params object[] args) =>
        SendWithGasAsync(from, null, function, args);

    /// <summary>With an explicit gas limit the estimate round-trip is skipped (hot test loops).</summary>
    public Task<TransactionReceipt> SendWithGasAsync(Address from, ulong? gas, string function, params object[] args)
    {
        var f = Abi.Function(function);
        return _eth.SendTransactionAsync(from, Address, f.EncodeCall(args), gas: gas, context: Context(f));
    }

    private CallContext Context(AbiFunction f) => new(Name, f.Signature, Abi);
}
