using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Reports;

/// <summary>Formatting of USD amounts held as integers with 8 decimals (Aave's base currency).</summary>
public static class Usd
{
    public const int Decimals = 8;

    /// <summary>Exact decimal string, e.g. "1234.5".</summary>
    public static string Exact(BigInteger usd8) => FixedPoint.Format(usd8, Decimals);

    /// <summary>Rounded for people: "$1,234,567" or "$12.34".</summary>
    public static string Human(BigInteger usd8)
    {
        var dollars = (decimal)(usd8 / 1_000_000) / 100m;
        return dollars >= 1000 || dollars <= -1000
            ? dollars.ToString("$#,##0;-$#,##0", CultureInfo.InvariantCulture)
            : dollars.ToString("$#,##0.00;-$#,##0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>A health factor (wad) for people; uint256.max reads "no debt".</summary>
    public static string HealthFactor(BigInteger wad) =>
        wad > BigInteger.Pow(10, 30) ? "no debt" : ((decimal)(wad / 1_000_000_000_000) / 1_000_000m).ToString("0.000000", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
