namespace DefiCascade.Lending.MorphoBlue;

/// <summary>Why Morpho.liquidate would revert: the ErrorsLib strings, then the compiler's panics (Solidity 0.8.19).</summary>
public enum MorphoError
{
    None,

    /// <summary>ErrorsLib.MARKET_NOT_CREATED "market not created": market.lastUpdate == 0.</summary>
    MarketNotCreated,

    /// <summary>ErrorsLib.INCONSISTENT_INPUT "inconsistent input": not exactly one of seizedAssets / repaidShares is zero.</summary>
    InconsistentInput,

    /// <summary>ErrorsLib.HEALTHY_POSITION "position is healthy".</summary>
    HealthyPosition,

    /// <summary>ErrorsLib.MAX_UINT128_EXCEEDED "max uint128 exceeded" (UtilsLib.toUint128).</summary>
    MaxUint128Exceeded,

    /// <summary>Panic(0x11) from a checked subtraction: arithmetic underflow (e.g. seizing more collateral than the position holds).</summary>
    ArithmeticUnderflow,

    /// <summary>Panic(0x11) from a checked multiplication or addition: arithmetic overflow.</summary>
    ArithmeticOverflow,

    /// <summary>Panic(0x12): division by zero.</summary>
    DivisionByZero,
}

/// <summary>Where the contract reverts, the model throws this; <see cref="MorphoBlueLiquidation.Quote"/> turns it into a quote's error.</summary>
public sealed class MorphoRevertException : Exception
{
    public MorphoRevertException(MorphoError error, string message)
        : base($"{error}: {message}") => Error = error;

    public MorphoError Error { get; }
}
