using DefiCascade.Chain.Testing;
using DefiCascade.Chain.Testing.Faults;
using DefiCascade.Cli;
using DefiCascade.Replay;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// The replay's guard against real networks: anvil started with chain id 1 behind a proxy that answers anvil_, hardhat_
/// and evm_ methods with -32601, as a mainnet node does. Without the flag the replay refuses before it sends anything;
/// with it the guard passes (loudly) and the replay goes on until the first call such a node refuses, which it names.
/// </summary>
public sealed class ReplayDevChainGuardTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] SendingMethods = ["eth_sendTransaction", "eth_sendRawTransaction"];

    private readonly string _dir = Directory.CreateTempSubdirectory("defi-cascade-replay-guard-").FullName;

    [Fact]
    public async Task A_chain_that_is_not_a_dev_chain_is_refused_without_the_flag_and_passes_the_guard_with_it()
    {
        await using var node = await AnvilNode.StartAsync(["--chain-id", "1"]);
        await using var proxy = await FaultProxy.StartAsync(node.Url, FaultPlan.RealNetworkMethods);
        var scenario = Path.Combine(_dir, "crash.yaml");
        File.WriteAllText(scenario, ReplayCommandTests.CrashScenario);
        string[] args =
        [
            "replay", "--rpc-url", proxy.Url.ToString(), "--scenario", scenario,
            "--aave-provider", "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e", "--pool", "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640",
        ];

        var (exit, stdout, stderr) = ReplayCommandTests.Run(args);
        output.WriteLine(stderr);
        Assert.Equal(CliApp.BadInput, exit);
        Assert.Contains("chain id 1", stderr, StringComparison.Ordinal);
        Assert.Contains(DevChainGuard.UnsafeFlag, stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
        Assert.DoesNotContain(proxy.Methods, m => SendingMethods.Contains(m) || m.StartsWith("anvil_impersonate", StringComparison.Ordinal) || m.StartsWith("anvil_set", StringComparison.Ordinal) || m.StartsWith("evm_", StringComparison.Ordinal));
        Assert.DoesNotContain(DefiCascade.Chain.Testing.Faults.FaultProxy.DefaultSecret, stderr, StringComparison.Ordinal);

        var before = proxy.Methods.Count;
        var (allowedExit, allowedOut, allowedErr) = ReplayCommandTests.Run([.. args, DevChainGuard.UnsafeFlag]);
        output.WriteLine(allowedErr);
        Assert.Contains("dev-chain check: chain id 1, not a dev chain", allowedErr, StringComparison.Ordinal);
        Assert.Contains("WARNING: " + DevChainGuard.UnsafeFlag, allowedErr, StringComparison.Ordinal);
        // past the guard the replay reads the provider; this node has no Aave at that address, so it stops there, exit 2,
        // naming the call (on a fork it would go on until the first cheat method, which such a node refuses).
        Assert.Equal(CliApp.BadInput, allowedExit);
        Assert.Equal(string.Empty, allowedOut);
        Assert.Contains("getPriceOracle", allowedErr, StringComparison.Ordinal);
        Assert.Contains("eth_call", proxy.Methods.Skip(before));
        Assert.DoesNotContain(proxy.Methods, m => SendingMethods.Contains(m));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // harmless.
        }
    }
}
