namespace DefiCascade.Lending.AaveV3;

/// <summary>The contract version this model reproduces, to the wei. Other versions differ (close factor, dust rule, deficit).</summary>
public static class AaveV3Version
{
    public const string Name = "Aave V3.0.2 core (npm @aave/core-v3 1.19.3)";

    /// <summary>LiquidationLogic.DEFAULT_LIQUIDATION_CLOSE_FACTOR (0.5e4 = 50%).</summary>
    public const int DefaultLiquidationCloseFactorBps = 5_000;

    /// <summary>LiquidationLogic.MAX_LIQUIDATION_CLOSE_FACTOR (1e4 = 100%).</summary>
    public const int MaxLiquidationCloseFactorBps = 10_000;

    /// <summary>LiquidationLogic.CLOSE_FACTOR_HF_THRESHOLD: at or below 0.95 the whole debt may be repaid.</summary>
    public static readonly System.Numerics.BigInteger CloseFactorHfThreshold = 950_000_000_000_000_000;

    /// <summary>ValidationLogic.HEALTH_FACTOR_LIQUIDATION_THRESHOLD (1e18).</summary>
    public static readonly System.Numerics.BigInteger HealthFactorLiquidationThreshold = 1_000_000_000_000_000_000;
}
