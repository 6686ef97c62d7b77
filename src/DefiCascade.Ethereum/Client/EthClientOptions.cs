namespace DefiCascade.Ethereum.Client;

/// <summary>Settings of an <see cref="EthClient"/>.</summary>
public sealed record EthClientOptions
{
    /// <summary>
    /// Transactions go only to anvil's chain id 31337 unless this is set: an unlocked-account send against a real
    /// network (or a fork with a real chain id) must be a deliberate choice.
    /// </summary>
    public bool AllowNonDevChain { get; init; }

    /// <summary>Added to eth_estimateGas: state can change between estimate and inclusion (CHAIN.md: Aave's accrual path).</summary>
    public int GasPadPercent { get; init; } = 30;

    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
