namespace DefiCascade.Ethereum.Abi;

/// <summary>A value does not fit its ABI type, or encoded data is malformed.</summary>
public sealed class AbiException : Exception
{
    public AbiException(string message)
        : base(message)
    {
    }
}
