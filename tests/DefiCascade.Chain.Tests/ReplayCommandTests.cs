using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Chain.Testing;
using DefiCascade.Cli;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <c>defi-cascade replay</c> on the replay world (the CI crowd of ~1,700 borrowers plus five Uniswap V3 pools of its own
/// tokens with many LP positions): a WETH -40% / WBTC -30% crash is run on the model and acted out as real transactions;
/// every liquidation and swap must come out of the real contracts with the model's amounts to the wei.
/// </summary>
public sealed class ReplayCommandTests(ITestOutputHelper output) : IDisposable
{
    public const string CrashScenario = """
        name: replay-crash
        description: WETH -40% and WBTC -30% over 30 blocks, stablecoins flat
        blockSeconds: 12
        durationBlocks: 30
        driver: WETH
        path:
          - { block: 30, multiplier: 0.60 }
        assetPaths:
          WBTC: [ { block: 30, multiplier: 0.70 } ]
        market:
          gasPriceGwei: 2
        maxSettleBlocks: 20
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("defi-cascade-replay-test-").FullName;

    [Fact]
    public async Task Crash_on_the_crowd_matches_the_chain_to_the_wei()
    {
        var clock = Stopwatch.StartNew();
        var world = await ReplayWorld.GetAsync();
        var built = clock.Elapsed;
        await using var node = await ReplayWorld.StartNodeAsync(world);
        var scenario = Write("crash.yaml", CrashScenario);
        var users = Write("users.txt", string.Join(Environment.NewLine, world.Crowd.Users.Select(u => u.Address.Hex)));
        var snapshotOut = Path.Combine(_dir, "start.json");
        string[] args =
        [
            "replay", "--rpc-url", node.Url.ToString(), "--scenario", scenario, "--aave-provider", world.AddressesProvider.Hex, "--aave-users", users,
            "--pool", .. world.Pools.Select(p => p.Address.Hex), "--v3-router", world.SwapRouter.Hex, "--max-divergence", "0.01",
            "--snapshot-out", snapshotOut, "--out", Path.Combine(_dir, "out"), "--json",
        ];
        var run = Stopwatch.StartNew();
        var (exit, stdout, stderr) = Run(args);
        output.WriteLine($"world ready in {built.TotalSeconds:0.0} s; replay command {run.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(stderr);
        Assert.True(exit == 0, $"exit {exit}: {stderr}{stdout}");
        var root = JsonDocument.Parse(stdout).RootElement;
        output.WriteLine(JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true }));

        var model = root.GetProperty("model");
        var chain = root.GetProperty("chain");
        var liquidations = model.GetProperty("liquidations").GetInt32();
        Assert.True(liquidations >= 200, $"the crash gave only {liquidations} liquidations");
        Assert.Equal(liquidations, chain.GetProperty("liquidations").GetInt32());
        Assert.Equal(liquidations, root.GetProperty("liquidationsIdenticalToTheWei").GetInt32());
        Assert.Equal(0, root.GetProperty("disagreementsTotal").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("firstDisagreement").ValueKind);
        var swaps = model.GetProperty("arbitrageSwaps").GetInt32() + model.GetProperty("saleSwaps").GetInt32();
        Assert.True(model.GetProperty("arbitrageSwaps").GetInt32() > 0 && model.GetProperty("saleSwaps").GetInt32() > 0);
        Assert.Equal(swaps, root.GetProperty("swapsIdenticalToTheWei").GetInt32());
        Assert.Equal(root.GetProperty("poolPricesCompared").GetInt32(), root.GetProperty("poolPricesIdentical").GetInt32());
        Assert.Equal(root.GetProperty("users").GetInt32(), root.GetProperty("accountsIdenticalAtTheEnd").GetInt32());

        // several collateral and several debt reserves among the liquidations.
        var pairs = root.GetProperty("liquidationsByPair").EnumerateObject().Select(p => p.Name.Split('/')).ToArray();
        Assert.True(pairs.Select(p => p[0]).Distinct().Count() >= 2 && pairs.Select(p => p[1]).Distinct().Count() >= 2, root.GetProperty("liquidationsByPair").ToString());

        // bad debt read back from getUserAccountData within 0.01% of the model's (and the divergence gate held).
        var badModel = Usd8(model.GetProperty("badDebtUsd").GetString()!);
        var badChain = Usd8(chain.GetProperty("badDebtUsd").GetString()!);
        Assert.True(BigInteger.Abs(badChain - badModel) * 10_000 <= BigInteger.Abs(badModel), $"bad debt model {badModel}, chain {badChain}");
        Assert.False(root.GetProperty("exceeded").GetBoolean());

        // pools with many initialized ticks; the snapshot the model ran on was written with the reserves' indexes.
        Assert.All(world.Pools, p => Assert.True(p.InitializedTicks >= 20, $"{p.Symbol0}/{p.Symbol1}: {p.InitializedTicks} ticks"));
        var snapshot = File.ReadAllText(snapshotOut);
        Assert.Contains("\"liquidityIndex\"", snapshot, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "replay.json")));
        Assert.DoesNotContain(node.Url.Port.ToString(CultureInfo.InvariantCulture) + "/", stdout, StringComparison.Ordinal);
        var times = root.GetProperty("times");
        output.WriteLine($"model {times.GetProperty("modelSeconds").GetDouble()} s, chain {times.GetProperty("chainSeconds").GetDouble()} s, ratio {times.GetProperty("modelOverChain").GetDouble()}");

        // the table form, once more on the same node from where the crash left it (a second replay starts from any block).
        // Some pools are drained to the edge of their books by now: swaps there walk the empty range on to their price
        // limit, in the contract and in the model alike, so every pool price agrees after every block and the gate holds.
        var (tableExit, table, tableErr) = Run([.. args.TakeWhile(a => a != "--snapshot-out")]);
        output.WriteLine(table);
        Assert.True(tableExit == 0, $"exit {tableExit}: {tableErr}{table}");
        Assert.Contains("--max-divergence 0.01%: within", table, StringComparison.Ordinal);
        Assert.DoesNotContain("First pool price disagreement", table, StringComparison.Ordinal);
        var prices = System.Text.RegularExpressions.Regex.Match(table, @"pool prices equal after each block: (\d+) of (\d+)");
        Assert.True(prices.Success && prices.Groups[1].Value == prices.Groups[2].Value && int.Parse(prices.Groups[2].Value, CultureInfo.InvariantCulture) > 0, table);
        Assert.Contains("No action disagreement: every liquidation and swap did on chain what the model said", table, StringComparison.Ordinal);
        Assert.Contains("Time: model", table, StringComparison.Ordinal);
        Assert.Contains("dev-chain check: anvil node, chain id 31337: passed", tableErr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fork seams on the same world: oracle sources re-pointed at settable feeds through the impersonated ACL admin,
    /// the bot funded by writing its balances into the tokens' storage. Nothing a fork would lack is used (no mock
    /// aggregator slot, no mint), and the chain must still do what the model says, to the wei.
    /// </summary>
    [Fact]
    public async Task Crash_with_the_fork_seams_matches_the_chain_to_the_wei_and_says_what_it_changed()
    {
        var world = await ReplayWorld.GetAsync();
        await using var node = await ReplayWorld.StartNodeAsync(world);
        var scenario = Write("crash.yaml", CrashScenario);
        var users = Write("users.txt", string.Join(Environment.NewLine, world.Crowd.Users.Select(u => u.Address.Hex)));
        string[] args =
        [
            "replay", "--rpc-url", node.Url.ToString(), "--scenario", scenario, "--aave-provider", world.AddressesProvider.Hex, "--aave-users", users,
            "--pool", .. world.Pools.Select(p => p.Address.Hex), "--v3-router", world.SwapRouter.Hex, "--max-divergence", "0.01",
            "--oracle-mode", "sources", "--funding", "deal", "--json",
        ];
        var (exit, stdout, stderr) = Run(args);
        output.WriteLine(stderr);
        Assert.True(exit == 0, $"exit {exit}: {stderr}{stdout}");
        var root = JsonDocument.Parse(stdout).RootElement;
        var liquidations = root.GetProperty("model").GetProperty("liquidations").GetInt32();
        Assert.True(liquidations >= 200, $"only {liquidations} liquidations");
        Assert.Equal(liquidations, root.GetProperty("chain").GetProperty("liquidations").GetInt32());
        Assert.Equal(liquidations, root.GetProperty("liquidationsIdenticalToTheWei").GetInt32());
        Assert.Equal(0, root.GetProperty("disagreementsTotal").GetInt32());
        Assert.Equal(root.GetProperty("users").GetInt32(), root.GetProperty("accountsIdenticalAtTheEnd").GetInt32());

        var disclosures = root.GetProperty("disclosures").EnumerateArray().Select(d => d.GetString()!).ToArray();
        foreach (var d in disclosures)
        {
            output.WriteLine(d);
        }

        Assert.Contains(disclosures, d => d.Contains("impersonat", StringComparison.OrdinalIgnoreCase) && d.Contains("ACL admin", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(disclosures, d => d.Contains("setAssetSources", StringComparison.Ordinal));
        Assert.Contains(disclosures, d => d.Contains("balance", StringComparison.OrdinalIgnoreCase) && d.Contains("slot", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(disclosures, d => d.Contains("mint(", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless.
        }
    }

    internal static (int Exit, string Out, string Err) Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static BigInteger Usd8(string text)
    {
        var parts = text.Split('.');
        return BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) * 100_000_000 + BigInteger.Parse(parts[1], CultureInfo.InvariantCulture);
    }
}
