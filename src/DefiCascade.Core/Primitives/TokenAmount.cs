using System.Globalization;
using System.Numerics;

namespace DefiCascade.Core.Primitives;

/// <summary>An amount of a token in base units. Never negative; arithmetic checks the token.</summary>
public readonly record struct TokenAmount
{
    public TokenAmount(Token token, BigInteger raw)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (raw.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(raw), $"negative amount of {token.Symbol}: {raw}");
        }

        Token = token;
        Raw = raw;
    }

    public Token Token { get; }

    public BigInteger Raw { get; }

    public static TokenAmount Zero(Token token) => new(token, BigInteger.Zero);

    public static TokenAmount operator +(TokenAmount a, TokenAmount b) => new(a.Token, a.Raw + Same(a, b).Raw);

    public static TokenAmount operator -(TokenAmount a, TokenAmount b) => new(a.Token, a.Raw - Same(a, b).Raw);

    /// <summary>Human-readable decimal string (exact: no floating point involved).</summary>
    public string ToDecimalString() => FixedPoint.Format(Raw, Token.Decimals);

    public override string ToString() => $"{ToDecimalString()} {Token.Symbol}";

    private static TokenAmount Same(TokenAmount a, TokenAmount b)
    {
        if (a.Token != b.Token)
        {
            throw new InvalidOperationException($"cannot combine {a.Token.Symbol} with {b.Token.Symbol}");
        }

        return b;
    }
}

/// <summary>Exact conversions between base-unit integers and decimal strings.</summary>
public static class FixedPoint
{
    public static string Format(BigInteger raw, int decimals)
    {
        var negative = raw.Sign < 0;
        var digits = BigInteger.Abs(raw).ToString(CultureInfo.InvariantCulture);
        if (decimals > 0)
        {
            digits = digits.PadLeft(decimals + 1, '0');
            var whole = digits[..^decimals];
            var fraction = digits[^decimals..].TrimEnd('0');
            digits = fraction.Length == 0 ? whole : $"{whole}.{fraction}";
        }

        return negative ? "-" + digits : digits;
    }

    /// <summary>Parses "123.45" into base units with the given decimals; more fraction digits than decimals is an error.</summary>
    public static BigInteger Parse(string text, int decimals)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 && (parts.Length == 1 || parts[1].Length == 0))
        {
            throw new FormatException($"'{text}' is not a decimal number");
        }

        var fraction = parts.Length == 2 ? parts[1] : string.Empty;
        if (fraction.Length > decimals)
        {
            throw new FormatException($"'{text}' has more than {decimals} decimals");
        }

        var all = (parts[0].Length == 0 ? "0" : parts[0]) + fraction.PadRight(decimals, '0');
        return BigInteger.Parse(all, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>Lossy conversion for display and float screens only.</summary>
    public static double ToDouble(BigInteger raw, int decimals) => (double)raw / System.Math.Pow(10, decimals);
}
