using System.Numerics;

namespace DefiCascade.Lending.AaveV3;

/// <summary>The pool's price oracle (AaveOracle.getAssetPrice): USD base currency with 8 decimals.</summary>
public interface IAavePriceOracle
{
    BigInteger GetAssetPrice(int reserveIndex);
}

/// <summary>Prices held in an array, one per reserve, settable between blocks.</summary>
public sealed class ArrayPriceOracle : IAavePriceOracle
{
    public ArrayPriceOracle(BigInteger[] prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Prices = prices;
    }

    public BigInteger[] Prices { get; }

    public BigInteger this[int reserveIndex]
    {
        get => Prices[reserveIndex];
        set => Prices[reserveIndex] = value;
    }

    /// <summary>A price of zero or below is an error, never a default.</summary>
    public BigInteger GetAssetPrice(int reserveIndex)
    {
        if ((uint)reserveIndex >= (uint)Prices.Length)
        {
            throw new InvalidOperationException($"no price for reserve {reserveIndex}: the oracle holds {Prices.Length} prices");
        }

        var price = Prices[reserveIndex];
        return price.Sign > 0 ? price : throw new InvalidOperationException($"price of reserve {reserveIndex} is {price}; a price must be > 0");
    }
}

internal static class AavePrices
{
    /// <summary>Every oracle read goes through here so that any oracle's bad price is refused, naming the asset.</summary>
    public static BigInteger Get(AaveV3Market m, IAavePriceOracle o, int reserve)
    {
        var price = o.GetAssetPrice(reserve);
        if (price.Sign <= 0)
        {
            throw new InvalidOperationException($"oracle price of {m.Reserves[reserve].Token.Symbol} (reserve {reserve}) in '{m.Name}' is {price}; a price must be > 0");
        }

        return Core.Math.UInt256.Check(price, $"price of {m.Reserves[reserve].Token.Symbol}");
    }
}
