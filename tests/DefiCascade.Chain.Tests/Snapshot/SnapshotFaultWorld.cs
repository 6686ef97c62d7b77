using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;
using DefiCascade.Chain.Testing;
using DefiCascade.Cli;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Chain.Tests.Snapshot;

/// <summary>
/// The snapshot fault tests run alone: they time nothing, but one test reads its URL from ETH_RPC_URL, a process-wide
/// variable no other test may see while it is set (QuoteCommandTests sets it too).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SnapshotFaultCollection : ICollectionFixture<SnapshotFaultWorld>
{
    public const string Name = "snapshot faults";
}

/// <summary>
/// A small world for many snapshot runs, on its own anvil started from <see cref="ChainWorld"/>: Multicall3 placed,
/// <see cref="Users"/> seeded Aave accounts (most with debt, every eighth a supplier only, so the run drops some),
/// and a Uniswap V3 WETH/USDC pool over the market's own tokens with a few nested positions. The snapshot reads the
/// Aave users from their Supply/Borrow events from <see cref="FromBlock"/> (the block after the world was loaded, so a
/// run scans a few hundred blocks, not the world's whole history) and pins <see cref="Block"/>.
/// </summary>
public sealed class SnapshotFaultWorld : IAsyncLifetime
{
    public const int Users = 40;
    private const int Seed = 20260602;
    private static readonly BigInteger E8 = BigInteger.Pow(10, 8);
    private static readonly BigInteger[] Prices = [E8, 60_000 * E8, 2_500 * E8, E8];
    private AnvilNode? _node;
    private Lazy<Task<byte[]>>? _reference;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("the snapshot fault world's anvil is not started");

    public Address Provider { get; private set; }

    public Address Pool { get; private set; }

    public ulong FromBlock { get; private set; }

    public ulong Block { get; private set; }

    /// <summary>The users opened with debt (the snapshot must hold exactly these positions).</summary>
    public int Borrowers { get; private set; }

    public async Task InitializeAsync()
    {
        var state = await ChainWorld.GetAsync();
        _node = await ChainStateFile.StartFromAsync(state.StatePath, ChainWorld.NodeArgs);
        var eth = _node.Eth;
        var accounts = await eth.GetAccountsAsync();
        var aave = AaveWorld.Attach(eth, accounts[0], accounts[1], state.Aave);
        await Multicall3Deployment.PlaceAsync(eth);
        for (var i = 0; i < Prices.Length; i++)
        {
            await aave.SetPriceAsync(i, Prices[i]);
        }

        FromBlock = await eth.GetBlockNumberAsync() + 1;
        Borrowers = await OpenUsersAsync(aave, new Random(Seed));
        Pool = await OpenPoolAsync(aave, V3World.Attach(eth, accounts[0], state.V3));
        Provider = (Address)(await aave.Pool.CallAsync("ADDRESSES_PROVIDER"))[0];
        // one empty block on top: the pinned block is a plain number, and reads at it see every transaction above.
        await eth.MineAsync(1);
        Block = await eth.GetBlockNumberAsync();
        _reference = new Lazy<Task<byte[]>>(ReferenceAsync);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    /// <summary>The fault-free snapshot, read straight from anvil (no proxy), once for all tests.</summary>
    public Task<byte[]> Reference() => (_reference ?? throw new InvalidOperationException("not initialized")).Value;

    /// <summary>The snapshot command's arguments for this world; <paramref name="url"/> null leaves --rpc-url out (ETH_RPC_URL then).</summary>
    public string[] Args(Uri? url, string outFile, bool multicall, params string[] extra)
    {
        var args = new List<string> { "snapshot" };
        if (url is not null)
        {
            args.AddRange(["--rpc-url", url.ToString()]);
        }

        args.AddRange(
        [
            "--block", Block.ToString(CultureInfo.InvariantCulture), "--aave-provider", Provider.Hex, "--aave-name", "faults",
            "--aave-from-block", FromBlock.ToString(CultureInfo.InvariantCulture), "--pool", Pool.Hex, "--out", outFile,
        ]);
        if (!multicall)
        {
            // without Multicall3 every eth_call is its own batch entry: bigger batches keep the round trips few.
            args.AddRange(["--no-multicall", "--batch", "200"]);
        }

        args.AddRange(extra);
        return [.. args];
    }

    public static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> ReferenceAsync()
    {
        var dir = Directory.CreateTempSubdirectory("defi-cascade-snapshot-reference-").FullName;
        try
        {
            var outFile = Path.Combine(dir, "reference.json");
            var (code, _, stderr) = Cli(Args(Node.Url, outFile, multicall: true));
            if (code != 0)
            {
                throw new InvalidOperationException($"the fault-free reference run failed ({code}): {stderr}");
            }

            return await File.ReadAllBytesAsync(outFile);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>1-2 collateral reserves of $1k-$80k each; all but every eighth borrow 30-65% of their borrowing power in 1-2 reserves.</summary>
    private static async Task<int> OpenUsersAsync(AaveWorld w, Random random)
    {
        var config = AaveWorld.Config;
        var borrowers = 0;
        for (var k = 0; k < Users; k++)
        {
            var user = await w.NewUserAsync();
            var power = 0L;
            foreach (var c in Pick(random, config.Length, random.Next(1, 3)))
            {
                var usd = random.Next(1_000, 80_000);
                power += usd * config[c].Ltv / 10_000;
                await w.SupplyAsync(user, c, Units(random, usd, c));
            }

            if (k % 8 == 7)
            {
                continue;
            }

            var debts = Pick(random, config.Length, random.Next(1, 3));
            var debtUsd = power * random.Next(30, 66) / 100;
            foreach (var d in debts)
            {
                await w.BorrowAsync(user, d, BigInteger.Max(BigInteger.One, Units(random, debtUsd / debts.Length, d)));
            }

            borrowers++;
        }

        return borrowers;
    }

    /// <summary>WETH/USDC at 2,500 USDC per WETH (fee 3000), six nested ranges around the price: twelve initialized ticks.</summary>
    private static async Task<Address> OpenPoolAsync(AaveWorld w, V3World v3)
    {
        var weth = w.Assets[w.IndexOf("WETH")].Token;
        var usdc = w.Assets[w.IndexOf("USDC")].Token;
        var trader = await w.NewUserAsync();
        foreach (var token in new[] { weth, usdc })
        {
            await token.SendWithGasAsync(trader, AaveWorld.Gas, "mint(uint256)", BigInteger.Pow(10, 36));
        }

        var wethIs0 = string.CompareOrdinal(weth.Address.Hex, usdc.Address.Hex) < 0;
        var (wethRaw, usdcRaw) = (BigInteger.Pow(10, 18), 2_500 * BigInteger.Pow(10, 6));
        // token1 per token0 in base units.
        var sqrt = wethIs0 ? PoolPricing.SqrtPriceX96FromRatio(usdcRaw, wethRaw) : PoolPricing.SqrtPriceX96FromRatio(wethRaw, usdcRaw);
        var pool = await v3.CreatePoolForTokensAsync(trader, weth, usdc, 3000, sqrt);
        var center = TickMath.GetTickAtSqrtRatio(sqrt) / pool.TickSpacing * pool.TickSpacing;
        for (var k = 1; k <= 6; k++)
        {
            var (lower, upper) = (center - (k * 5 * pool.TickSpacing), center + (k * 4 * pool.TickSpacing));
            var (wethAmount, usdcAmount) = (wethRaw * 10 * k, usdcRaw * 10 * k);
            await v3.MintAsync(pool, lower, upper, wethIs0 ? wethAmount : usdcAmount, wethIs0 ? usdcAmount : wethAmount);
        }

        return pool.Pool.Address;
    }

    private static int[] Pick(Random random, int of, int count) => Enumerable.Range(0, of).OrderBy(_ => random.Next()).Take(count).Order().ToArray();

    /// <summary>Whole dollars to base units at the world's prices, with random low digits for 18-decimal tokens.</summary>
    private static BigInteger Units(Random random, long usd, int asset)
    {
        var decimals = AaveWorld.Config[asset].Decimals;
        var units = usd * BigInteger.Pow(10, decimals) * E8 / Prices[asset];
        return decimals > 12 ? units + random.Next(0, 1_000_000_000) : units;
    }

    /// <summary>Every text the given files hold, for secret scans (binary files are read as UTF-8 all the same).</summary>
    public static string ReadAll(IEnumerable<string> files) => string.Join("\n", files.Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
}
