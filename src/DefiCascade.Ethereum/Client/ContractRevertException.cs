namespace DefiCascade.Ethereum.Client;

/// <summary>A call or transaction reverted. Reason is decoded: Error(string), Panic(code) with its meaning, or a custom error.</summary>
public sealed class ContractRevertException : Exception
{
    public ContractRevertException(string contractName, string function, string reason, byte[] revertData)
        : base($"{contractName}.{function} reverted: {reason}")
    {
        ContractName = contractName;
        Function = function;
        Reason = reason;
        RevertData = revertData;
    }

    public string ContractName { get; }

    public string Function { get; }

    /// <summary>For Error(string) the string itself (Aave: a numeric code such as "45").</summary>
    public string Reason { get; }

    public byte[] RevertData { get; }
}
