using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Tests;

public class PrimitivesTests
{
    [Theory]
    [InlineData("1500000", 6, "1.5")]
    [InlineData("0", 18, "0")]
    [InlineData("-5", 2, "-0.05")]
    [InlineData("123", 0, "123")]
    [InlineData("1000000000000000001", 18, "1.000000000000000001")]
    public void FixedPoint_format_is_exact(string raw, int decimals, string expected) =>
        Assert.Equal(expected, FixedPoint.Format(BigInteger.Parse(raw), decimals));

    [Theory]
    [InlineData("1.5", 6, "1500000")]
    [InlineData(".5", 1, "5")]
    [InlineData("42", 0, "42")]
    [InlineData("2150.00000001", 8, "215000000001")]
    public void FixedPoint_parse_is_exact(string text, int decimals, string expected) =>
        Assert.Equal(BigInteger.Parse(expected), FixedPoint.Parse(text, decimals));

    [Theory]
    [InlineData("1.234", 2)]
    [InlineData("1.2.3", 4)]
    [InlineData(".", 4)]
    [InlineData("abc", 4)]
    public void FixedPoint_parse_rejects_bad_text(string text, int decimals) =>
        Assert.Throws<FormatException>(() => FixedPoint.Parse(text, decimals));

    [Fact]
    public void Address_parse_normalizes_to_lower_case()
    {
        var a = Address.Parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        Assert.Equal("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", a.Hex);
        Assert.Equal(a, Address.Parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"));
    }

    [Theory]
    [InlineData("0x123")]
    [InlineData("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")]
    [InlineData("00C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")]
    [InlineData("0xG02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")]
    [InlineData("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2a")]
    [InlineData("")]
    public void Address_parse_rejects_bad_input(string text)
    {
        Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.False(Address.TryParse(text, out _));
    }

    [Fact]
    public void Address_try_parse_rejects_null() => Assert.False(Address.TryParse(null, out _));
}
