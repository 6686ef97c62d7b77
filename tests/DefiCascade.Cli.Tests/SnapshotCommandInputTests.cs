using System.Net;
using System.Net.Sockets;

namespace DefiCascade.Cli.Tests;

/// <summary>
/// `defi-cascade snapshot` refuses bad input before it reads anything: exit code 2, a message naming the option (or
/// the file and line), nothing written. The RPC URL is a secret wherever it is: a node that cannot be reached is
/// reported without it. No chain: the URL points at a loopback port nothing listens on.
/// </summary>
public sealed class SnapshotCommandInputTests : IDisposable
{
    private const string PathSecret = "pAtHsEcReT-5e8f1a";
    private const string QuerySecret = "qUeRySeCrEt-77b0c3";
    private const string Address = "0x1111111111111111111111111111111111111111";
    private static readonly Lazy<string> ClosedUrl = new(() => $"http://127.0.0.1:{ClosedPort()}/v3/{PathSecret}?apikey={QuerySecret}");

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Out => Path.Combine(_cli.OutDir, "snapshot.json");

    public static TheoryData<string[], string> BadSelectors => new()
    {
        { [], "nothing to read: give --aave-provider, --morpho and/or --pool" },
        { ["--aave-provider", "0x1234"], "--aave-provider: '0x1234' is not a 0x-prefixed 20-byte hex address" },
        { ["--aave-provider", Address[..^1] + "g"], "--aave-provider:" },
        { ["--pool", Address, "--pool", "uniswap"], "--pool: 'uniswap' is not a 0x-prefixed 20-byte hex address" },
        { ["--pool", $"{Address},0xabc"], "--pool: '0xabc'" },
        { ["--morpho", "morpho"], "--morpho: 'morpho'" },
        { ["--morpho", Address, "--morpho-markets", "0x" + new string('a', 63)], "--morpho-markets: '0x" + new string('a', 63) + "' is not a 0x-prefixed 32-byte market id" },
        { ["--morpho", Address, "--morpho-markets", "0x" + new string('z', 64)], "--morpho-markets:" },
        { ["--pool", Address, "--block", "soon"], "--block: 'soon' is neither a block number nor 'latest'" },
        { ["--pool", Address, "--timeout", "0"], "--timeout: 0 must be a positive number" },
        { ["--pool", Address, "--batch", "-1"], "--batch: -1 must be a positive number" },
        { ["--pool", Address, "--log-chunk", "0"], "--log-chunk must be positive" },
        { ["--aave-provider", Address, "--block", "10", "--aave-from-block", "11"], "--aave-from-block 11 is after the snapshot block 10" },
    };

    [Theory]
    [MemberData(nameof(BadSelectors))]
    public void A_bad_selector_or_setting_exits_2_naming_the_option_and_writes_nothing(string[] options, string message)
    {
        var (exit, stdout, stderr) = Run(options);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        // refused before any read: the unreachable node is never mentioned.
        Assert.DoesNotContain("eth_chainId", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.OutDir));
        AssertNoSecret(stdout + stderr);
    }

    [Fact]
    public void An_existing_out_file_is_left_untouched_without_force()
    {
        const string Before = "{\"an\":\"earlier snapshot\"}";
        File.WriteAllText(Out, Before);
        var written = File.GetLastWriteTimeUtc(Out);

        var (exit, _, stderr) = Run("--pool", Address);

        Assert.Equal(2, exit);
        Assert.Contains("--out: ", stderr, StringComparison.Ordinal);
        Assert.Contains("exists; pass --force to replace it", stderr, StringComparison.Ordinal);
        Assert.Equal(Before, File.ReadAllText(Out));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Out));
        Assert.Equal([Out], Directory.GetFiles(_cli.OutDir));
    }

    [Fact]
    public void An_out_that_is_a_folder_is_refused()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_cli.OutDir, "a-folder")).FullName;

        var (exit, _, stderr) = _cli.Run("snapshot", "--rpc-url", ClosedUrl.Value, "--pool", Address, "--out", folder);

        Assert.Equal(2, exit);
        Assert.Contains("is a folder; give a file name", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void A_users_file_with_a_bad_line_is_refused_naming_the_file_and_line()
    {
        var users = _cli.Write("users.txt", $"# borrowers to read\n{Address}\n\n0x22222222222222222222222222222222222222 # one byte short\n");

        var (exit, _, stderr) = Run("--aave-provider", Address, "--aave-users", users);

        Assert.Equal(2, exit);
        Assert.Contains("--aave-users: ", stderr, StringComparison.Ordinal);
        Assert.Contains("users.txt:4: '0x22222222222222222222222222222222222222' is not a 0x-prefixed 20-byte hex address", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.OutDir));
    }

    [Fact]
    public void A_users_file_that_cannot_be_read_is_refused_naming_it()
    {
        var (exit, _, stderr) = Run("--aave-provider", Address, "--aave-users", Path.Combine(_cli.Root, "missing.txt"));

        Assert.Equal(2, exit);
        Assert.Contains("--aave-users: cannot read", stderr, StringComparison.Ordinal);
        Assert.Contains("missing.txt", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.OutDir));
    }

    [Fact]
    public void An_unreachable_node_exits_2_without_the_url_and_writes_nothing()
    {
        var log = Path.Combine(_cli.Root, "run.log");

        var (exit, stdout, stderr) = Run("--aave-provider", Address, "--pool", Address, "--log", log, "--retry-base-ms", "1");

        Assert.Equal(2, exit);
        // the first read names itself; an unreachable host is final, not retried until the budget is spent.
        Assert.Contains("eth_chainId", stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was written to --out; no progress was saved yet.", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.OutDir));
        var logText = File.ReadAllText(log);
        Assert.Contains("eth_chainId", logText, StringComparison.Ordinal);
        AssertNoSecret(stdout + stderr + logText);
    }

    [Fact]
    public void A_url_that_is_not_http_is_refused_without_echoing_it()
    {
        var (exit, stdout, stderr) = _cli.Run("snapshot", "--rpc-url", $"wss://node.example/{PathSecret}", "--pool", Address, "--out", Out);

        Assert.Equal(2, exit);
        Assert.Contains("--rpc-url: not an absolute http(s) URL", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout + stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.OutDir));
    }

    [Fact]
    public void Help_lists_the_node_selector_and_output_options_and_the_environment_variable()
    {
        var (exit, stdout, _) = _cli.Run("snapshot", "--help");

        Assert.Equal(0, exit);
        foreach (var text in new[] { "--rpc-url", "--block", "--aave-provider", "--morpho", "--morpho-markets", "--pool", "--out", "--force", "--retry-budget", "--log", "ETH_RPC_URL" })
        {
            Assert.Contains(text, stdout, StringComparison.Ordinal);
        }
    }

    private (int Exit, string Out, string Err) Run(params string[] options) =>
        _cli.Run(["snapshot", "--rpc-url", ClosedUrl.Value, .. options, "--out", Out]);

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(PathSecret, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(QuerySecret, text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A loopback port that was free a moment ago: bound, read and released, so a connection there is refused.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
