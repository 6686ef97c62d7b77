namespace DefiCascade.Core.Math;

/// <summary>How an integer division rounds. Contract math names it at every call site.</summary>
public enum Rounding
{
    /// <summary>Toward zero (Solidity's bare <c>/</c> on unsigned integers).</summary>
    Down,

    /// <summary>Away from zero when there is a remainder (FullMath.mulDivRoundingUp, Math.ceilDiv).</summary>
    Up,

    /// <summary>Half away from zero, as Aave's WadRayMath and PercentageMath do.</summary>
    HalfUp,
}
