namespace DefiCascade.Cli.Tests;

/// <summary>
/// <c>quote</c> refuses bad input with exit 2 and a message naming the option or the failing call, and never prints
/// the RPC URL (API keys live in its path and query). The chain-side behaviour is in DefiCascade.Chain.Tests.
/// </summary>
public class QuoteCommandBadInputTests
{
    private const string Secret = "secret-key-123";
    private const string Unreachable = "http://127.0.0.1:9/" + Secret + "?apikey=" + Secret;
    private const string Pool = "0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640";
    private const string Token = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

    [Theory]
    [InlineData("--pool", "0x1234", Token, "1000")]
    [InlineData("--token-in", Pool, "not-an-address", "1000")]
    [InlineData("--amount-in", Pool, Token, "12.5")]
    [InlineData("--amount-in", Pool, Token, "-3")]
    [InlineData("--amount-in", Pool, Token, "0")]
    public void Malformed_option_exits_2_naming_it(string option, string pool, string tokenIn, string amount)
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run("quote", "--rpc-url", Unreachable, "--pool", pool, "--token-in", tokenIn, "--amount-in", amount);

        Assert.Equal(2, exit);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_block_exits_2_naming_it()
    {
        using var cli = new CliRunner();

        var (exit, _, err) = cli.Run("quote", "--rpc-url", Unreachable, "--block", "soon", "--pool", Pool, "--token-in", Token, "--amount-in", "1");

        Assert.Equal(2, exit);
        Assert.Contains("--block", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_node_exits_2_naming_the_call_without_the_url()
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run("quote", "--rpc-url", Unreachable, "--pool", Pool, "--token-in", Token, "--amount-in", "1000");

        Assert.Equal(2, exit);
        Assert.Contains("eth_blockNumber", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_node_at_a_pinned_block_names_the_read()
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run("quote", "--rpc-url", Unreachable, "--block", "19000000", "--pool", Pool, "--token-in", Token, "--amount-in", "1000");

        Assert.Equal(2, exit);
        Assert.Contains("eth_getCode", err, StringComparison.Ordinal);
        Assert.Contains("19000000", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_that_is_not_http_is_refused_without_echoing_it()
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run("quote", "--rpc-url", "ftp:/" + Secret, "--pool", Pool, "--token-in", Token, "--amount-in", "1");

        Assert.Equal(2, exit);
        Assert.Contains("--rpc-url", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_names_the_environment_variable_and_the_options()
    {
        using var cli = new CliRunner();

        var (exit, output, _) = cli.Run("quote", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--rpc-url", "--block", "--pool", "--token-in", "--amount-in", "--json", "ETH_RPC_URL" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }
}
