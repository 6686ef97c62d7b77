namespace DefiCascade.Cli.Tests;

/// <summary>
/// <c>liquidation</c> refuses bad input with exit 2 and a message naming the option, before any read, and never
/// prints the RPC URL (API keys live in its path and query). Answers against a real pool are in
/// DefiCascade.Chain.Tests (LiquidationCommandChainTests).
/// </summary>
public class LiquidationCommandTests
{
    internal const string Secret = "secret-key-123";

    // port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    internal const string Unreachable = "http://127.0.0.1:9/" + Secret + "?apikey=" + Secret;
    private const string Pool = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2";
    private const string User = "0x00000000000000000000000000000000000a11ce";
    private const string Weth = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
    private const string Usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

    internal static string[] Args(string pool = Pool, string user = User, string collateral = Weth, string debt = Usdc, string cover = "1000000", params string[] extra) =>
        ["liquidation", "--rpc-url", Unreachable, "--pool", pool, "--user", user, "--collateral", collateral, "--debt", debt, "--debt-to-cover", cover, .. extra];

    public static TheoryData<string, string[]> MalformedInputs => new()
    {
        { "--pool", Args(pool: "0x1234") },
        { "--user", Args(user: "alice") },
        { "--collateral", Args(collateral: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc") },
        { "--debt", Args(debt: "USDC") },
        { "--debt-to-cover", Args(cover: "0") },
        { "--debt-to-cover", Args(cover: "-5") },
        { "--debt-to-cover", Args(cover: "12.5") },
        { "--debt-to-cover", Args(cover: "maximum") },
        { "--debt-to-cover", Args(cover: "1" + new string('0', 78)) },
        { "--block", Args(extra: ["--block", "soon"]) },
        { "--block", Args(extra: ["--block", "-1"]) },
        { "--receive-atokens", Args(extra: ["--receive-atokens"]) },
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Malformed_or_unknown_option_exits_2_naming_it(string option, string[] args)
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData("--pool")]
    [InlineData("--user")]
    [InlineData("--collateral")]
    [InlineData("--debt")]
    [InlineData("--debt-to-cover")]
    public void Missing_required_option_exits_2_naming_it(string option)
    {
        using var cli = new CliRunner();
        var args = Args().ToList();
        var at = args.IndexOf(option);
        args.RemoveRange(at, 2);

        var (exit, output, err) = cli.Run([.. args]);

        Assert.Equal(2, exit);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_node_exits_2_naming_the_call_and_never_the_url()
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run(Args(cover: "max", extra: ["--json"]));

        Assert.Equal(2, exit);
        Assert.Contains("eth_blockNumber", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:9/", output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_node_at_a_pinned_block_names_the_first_read_and_the_block()
    {
        using var cli = new CliRunner();

        var (exit, output, err) = cli.Run(Args(extra: ["--block", "19000000", "--receive-atoken"]));

        Assert.Equal(2, exit);
        Assert.Contains("ADDRESSES_PROVIDER", err, StringComparison.Ordinal);
        Assert.Contains("19000000", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_that_is_not_http_is_refused_without_echoing_it()
    {
        using var cli = new CliRunner();
        var args = Args().ToList();
        args[args.IndexOf("--rpc-url") + 1] = "ftp:/" + Secret;

        var (exit, output, err) = cli.Run([.. args]);

        Assert.Equal(2, exit);
        Assert.Contains("--rpc-url", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_option_the_exit_codes_and_what_block_state_the_answer_is_for()
    {
        using var cli = new CliRunner();

        var (exit, output, _) = cli.Run("liquidation", "--help");

        Assert.Equal(0, exit);
        foreach (var text in new[]
        {
            "--rpc-url", "--block", "--pool", "--user", "--collateral", "--debt", "--debt-to-cover", "--receive-atoken", "--json",
            "ETH_RPC_URL", "'max'", "Exit codes", "that block's state",
        })
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Root_help_lists_the_command()
    {
        using var cli = new CliRunner();

        var (exit, output, _) = cli.Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("liquidation", output, StringComparison.Ordinal);
    }
}

/// <summary>
/// ETH_RPC_URL is process-wide: a test that sets it runs alone (a non-parallel collection), so no other command test
/// sees the variable while it is set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentVariableCollection
{
    public const string Name = "process environment";
}

[Collection(EnvironmentVariableCollection.Name)]
public class LiquidationCommandEnvironmentTests
{
    [Fact]
    public void Url_from_the_environment_is_never_echoed_either()
    {
        using var cli = new CliRunner();
        var args = LiquidationCommandTests.Args().ToList();
        args.RemoveRange(args.IndexOf("--rpc-url"), 2);
        Environment.SetEnvironmentVariable("ETH_RPC_URL", LiquidationCommandTests.Unreachable);
        try
        {
            var (exit, output, err) = cli.Run([.. args]);

            Assert.Equal(2, exit);
            Assert.Contains("eth_blockNumber", err, StringComparison.Ordinal);
            Assert.DoesNotContain(LiquidationCommandTests.Secret, output + err, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ETH_RPC_URL", null);
        }
    }
}
