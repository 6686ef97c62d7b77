namespace DefiCascade.Simulation.Results;

/// <summary>
/// A reserve configuration set during a run by a mitigation, in force from <see cref="Block"/> on:
/// a governance change (<c>parameterChanges</c>) or the risk steward's volatility-adjusted threshold
/// (<c>dynamicThreshold</c>, with the annualized volatility in basis points it reacted to).
/// </summary>
public sealed record ReserveParameterSet(int Block, string Market, string Asset, int LtvBps, int LiquidationThresholdBps, int LiquidationBonusBps, long? VolatilityBps, string Cause);
