using System.Numerics;

namespace DefiCascade.Core.Primitives;

/// <summary>
/// A price of one whole <see cref="Base"/> token in <see cref="Quote"/> units, as an integer
/// answer with its own decimals (a Chainlink answer: ETH/USD 8 decimals).
/// </summary>
public readonly record struct Price(string Base, string Quote, BigInteger Answer, int Decimals)
{
    public static Price Usd(string asset, BigInteger answer8) => new(asset, "USD", answer8, UsdDecimals);

    /// <summary>Aave's oracle base currency: USD with 8 decimals.</summary>
    public const int UsdDecimals = 8;

    public double ToDouble() => FixedPoint.ToDouble(Answer, Decimals);

    public override string ToString() => $"{FixedPoint.Format(Answer, Decimals)} {Quote}/{Base}";
}
