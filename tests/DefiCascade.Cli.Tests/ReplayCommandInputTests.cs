using DefiCascade.Cli.Commands;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Cli.Tests;

/// <summary>
/// replay's bad input: refused with exit 2 naming the option, before any node is contacted (the URL points at a port
/// nothing listens on, so a contact would fail differently). The fork seams are not in this build and say so.
/// </summary>
public sealed class ReplayCommandInputTests : IDisposable
{
    private const string DeadUrl = "http://127.0.0.1:9/";
    private const string Provider = "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e";
    private readonly CliRunner _cli = new();

    [Fact]
    public void A_missing_scenario_file_is_named()
    {
        var missing = Path.Combine(_cli.Root, "nope.yaml");
        var (exit, stdout, stderr) = _cli.Run("replay", "--rpc-url", DeadUrl, "--scenario", missing, "--aave-provider", Provider);
        Assert.Equal(CliApp.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--scenario: cannot read " + missing, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_scenario_is_refused_with_its_file_and_field()
    {
        var scenario = _cli.Write("bad.yaml", "name: x\nblockSeconds: -3\n");
        var (exit, _, stderr) = _cli.Run("replay", "--rpc-url", DeadUrl, "--scenario", scenario, "--aave-provider", Provider);
        Assert.Equal(CliApp.BadInput, exit);
        Assert.Contains("blockSeconds", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.yaml", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--oracle-mode", "prices", "--oracle-mode: 'prices' is not one of answers, sources")]
    [InlineData("--funding", "borrow", "--funding: 'borrow' is not one of mint, deal")]
    [InlineData("--max-divergence", "-1", "--max-divergence: -1 must be a percentage of at least 0")]
    [InlineData("--bot", "0x12", "--bot: '0x12' is not a 0x-prefixed 20-byte hex address")]
    [InlineData("--pool", "pool", "--pool: 'pool' is not a 0x-prefixed 20-byte hex address")]
    public void A_bad_option_is_named_before_the_node_is_touched(string option, string value, string message)
    {
        var scenario = _cli.Write("ok.yaml", CliRunner.ShortScenario);
        var (exit, stdout, stderr) = _cli.Run("replay", "--rpc-url", DeadUrl, "--scenario", scenario, "--aave-provider", Provider, option, value);
        Assert.Equal(CliApp.BadInput, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-chain check", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("answers", "mint", "AggregatorAnswerDriver", "MintFunding")]
    [InlineData("sources", "deal", "SourcesOracleDriver", "DealFunding")]
    [InlineData("sources", "mint", "SourcesOracleDriver", "MintFunding")]
    public void Each_mode_gets_its_seam(string oracleMode, string funding, string oracleType, string fundingType)
    {
        using var transport = new HttpRpcTransport(new Uri(DeadUrl), TimeSpan.FromSeconds(1));
        var eth = new EthClient(new JsonRpcClient(transport));
        var (oracle, dealer) = ReplaySeams.Create(oracleMode, funding, eth, Address.FromNumber(1, 3), Address.FromNumber(1, 1), Address.FromNumber(1, 2));
        Assert.Equal(oracleType, oracle.GetType().Name);
        Assert.Equal(fundingType, dealer.GetType().Name);
    }

    public void Dispose() => _cli.Dispose();
}
