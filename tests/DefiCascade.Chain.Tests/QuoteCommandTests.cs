using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DefiCascade.Chain.Testing;
using DefiCascade.Cli;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// <c>defi-cascade quote</c> against the real contracts: each quote is read at the current block, then the same
/// exact-in swap is executed on chain right after, and the trader must receive exactly the quoted amountOut. The RPC
/// URL carries a secret in its query (anvil ignores it); it must never reach stdout or stderr.
/// </summary>
public sealed class QuoteCommandTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int Amounts = 50;
    private const string Secret = "secret-key-123";
    private static readonly BigInteger E18 = BigInteger.Pow(10, 18);
    private static readonly BigInteger Mint = BigInteger.One << 200;

    [Fact]
    public async Task V3_quotes_equal_what_the_router_pays_in_both_directions()
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = V3World.Attach(node.Eth, accounts[0], (await ChainWorld.GetAsync()).V3);
        var p = await world.CreatePoolAsync(accounts[1], 3000, BigInteger.One << 96, Mint);
        await MintBookAsync(world, p);

        var random = new Random(Seed);
        var crossed = 0;
        for (var i = 0; i < Amounts; i++)
        {
            foreach (var zeroForOne in new[] { true, false })
            {
                var amount = RandomAmount(random);
                var (tokenIn, tokenOut) = zeroForOne ? (p.Token0, p.Token1) : (p.Token1, p.Token0);
                var quote = await QuoteAsync(node, p.Pool.Address, tokenIn.Address, amount);
                Assert.Equal(("uniswap-v3", "Filled"), (quote.Kind, quote.Stop));
                crossed += quote.TicksCrossed;

                var before = await tokenOut.CallUIntAsync("balanceOf", p.Trader);
                await world.SwapAsync(p, zeroForOne, exactInput: true, amount, null);
                var paid = await tokenOut.CallUIntAsync("balanceOf", p.Trader) - before;
                Assert.True(paid == quote.AmountOut, $"swap {i} zeroForOne={zeroForOne} of {amount}: chain paid {paid}, quote said {quote.AmountOut}");
                Assert.Equal((await V3World.SlotAsync(p)).SqrtPriceX96, quote.SqrtPriceX96After);
            }
        }

        output.WriteLine($"V3: {2 * Amounts} quotes matched the router to the wei; {crossed} ticks crossed in all");
        Assert.True(crossed > 20, $"only {crossed} ticks crossed: the amounts do not exercise the tick book");
    }

    [Fact]
    public async Task V2_quotes_are_exactly_what_the_pair_pays_and_one_wei_more_is_refused()
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = V2World.Attach(node.Eth, accounts[0], (await ChainWorld.GetAsync()).V2);
        var p = await world.CreatePairAsync(accounts[2], Mint);
        await V2World.AddLiquidityAsync(p, 1000 * E18, 2000 * E18);

        var random = new Random(Seed + 1);
        for (var i = 0; i < Amounts; i++)
        {
            foreach (var zeroForOne in new[] { true, false })
            {
                var amount = RandomAmount(random);
                var (tokenIn, tokenOut) = zeroForOne ? (p.Token0, p.Token1) : (p.Token1, p.Token0);
                var quote = await QuoteAsync(node, p.Pair.Address, tokenIn.Address, amount);
                Assert.Equal(("uniswap-v2", "Filled", 0), (quote.Kind, quote.Stop, quote.TicksCrossed));

                var before = await tokenOut.CallUIntAsync("balanceOf", p.Trader);
                await tokenIn.SendWithGasAsync(p.Trader, V2World.Gas, "transfer", p.Pair.Address, amount);
                var (out0, out1) = zeroForOne ? (BigInteger.Zero, quote.AmountOut) : (quote.AmountOut, BigInteger.Zero);
                // the quote must be the most the pair gives: one wei more breaks its K check.
                var (more0, more1) = zeroForOne ? (out0, out1 + 1) : (out0 + 1, out1);
                await Assert.ThrowsAsync<ContractRevertException>(() => p.Pair.CallAsync("swap", more0, more1, p.Trader, Array.Empty<byte>()));
                await p.Pair.SendWithGasAsync(p.Trader, V2World.Gas, "swap", out0, out1, p.Trader, Array.Empty<byte>());
                var paid = await tokenOut.CallUIntAsync("balanceOf", p.Trader) - before;
                Assert.True(paid == quote.AmountOut, $"swap {i} zeroForOne={zeroForOne} of {amount}: chain paid {paid}, quote said {quote.AmountOut}");
            }
        }

        output.WriteLine($"V2: {2 * Amounts} quotes matched the pair to the wei");
    }

    [Fact]
    public async Task Failures_on_a_live_node_exit_2_naming_the_call_and_never_print_the_url()
    {
        await using var node = await ChainWorld.StartNodeAsync();
        var accounts = await node.Eth.GetAccountsAsync();
        var world = V2World.Attach(node.Eth, accounts[0], (await ChainWorld.GetAsync()).V2);
        var p = await world.CreatePairAsync(accounts[2], Mint);
        await V2World.AddLiquidityAsync(p, 1000 * E18, 2000 * E18);
        var block = (await node.Eth.GetBlockNumberAsync()).ToString(CultureInfo.InvariantCulture);
        var pool = p.Pair.Address.Hex;

        // a token that is not the pair's.
        var (exit, stdout, stderr) = Run("--rpc-url", SecretUrl(node), "--block", block, "--pool", pool, "--token-in", accounts[5].Hex, "--amount-in", "1000");
        Assert.Equal(2, exit);
        Assert.Contains("--token-in", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);

        // an address without code.
        (exit, stdout, stderr) = Run("--rpc-url", SecretUrl(node), "--block", block, "--pool", accounts[5].Hex, "--token-in", p.Token0.Address.Hex, "--amount-in", "1000");
        Assert.Equal(2, exit);
        Assert.Contains("eth_getCode", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);

        // a secret in the path: anvil answers 404, and the message names the call, not the path.
        var pathUrl = $"{node.Url.GetLeftPart(UriPartial.Authority)}/{Secret}?key={Secret}";
        (exit, stdout, stderr) = Run("--rpc-url", pathUrl, "--pool", pool, "--token-in", p.Token0.Address.Hex, "--amount-in", "1000");
        Assert.Equal(2, exit);
        Assert.Contains("eth_blockNumber", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);

        // success in the table form, the URL taken from ETH_RPC_URL (only this test sets it), prints the block and no secret.
        Environment.SetEnvironmentVariable("ETH_RPC_URL", SecretUrl(node));
        try
        {
            (exit, stdout, stderr) = Run("--pool", pool, "--token-in", p.Token0.Address.Hex, "--amount-in", "1000");
        }
        finally
        {
            Environment.SetEnvironmentVariable("ETH_RPC_URL", null);
        }

        Assert.True(exit == 0, stderr);
        Assert.Contains(block, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>Ranges of several widths around the 1:1 start price, some one-sided, all on the 60-tick spacing.</summary>
    internal static async Task MintBookAsync(V3World world, V3Pool p)
    {
        // a shallow book (amounts in tenths of a token): the random amounts below must move the price across its ticks.
        var unit = E18 / 10;
        await world.MintAsync(p, -887220, 887220, 100 * unit, 100 * unit);
        await world.MintAsync(p, -600, 600, 400 * unit, 400 * unit);
        await world.MintAsync(p, -6000, 1200, 300 * unit, 300 * unit);
        await world.MintAsync(p, -1200, 6000, 300 * unit, 300 * unit);
        await world.MintAsync(p, 120, 2400, 50 * unit, 50 * unit);
        await world.MintAsync(p, -2400, -120, 50 * unit, 50 * unit);
        await world.MintAsync(p, -60, 60, 200 * unit, 200 * unit);
        await world.MintAsync(p, -30000, 30000, 80 * unit, 80 * unit);
    }

    /// <summary>Log-uniform from 10^14 to ~10^20.5 wei: small swaps to ones that walk many ticks.</summary>
    private static BigInteger RandomAmount(Random random)
    {
        var exponent = 14 + (random.NextDouble() * 6.5);
        var mantissa = (long)(Math.Pow(10, exponent - Math.Floor(exponent)) * 1e9);
        return mantissa * BigInteger.Pow(10, (int)Math.Floor(exponent)) / 1_000_000_000;
    }

    private static string SecretUrl(AnvilNode node) => $"{node.Url.GetLeftPart(UriPartial.Authority)}/?apikey={Secret}";

    private static (int Exit, string Out, string Err) Run(params string[] quoteArgs)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(["quote", .. quoteArgs], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<Quote> QuoteAsync(AnvilNode node, Address pool, Address tokenIn, BigInteger amount)
    {
        var block = (await node.Eth.GetBlockNumberAsync()).ToString(CultureInfo.InvariantCulture);
        var (exit, stdout, stderr) = Run(
            "--rpc-url", SecretUrl(node), "--block", block, "--pool", pool.Hex, "--token-in", tokenIn.Hex,
            "--amount-in", amount.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(exit == 0, $"quote exited {exit}: {stderr}");
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(block, root.GetProperty("block").GetString());
        Assert.Equal(pool.Hex, root.GetProperty("pool").GetString());
        Assert.Equal(amount, Big(root, "amountIn"));
        return new Quote(
            root.GetProperty("kind").GetString()!,
            Big(root, "amountOut"),
            root.GetProperty("stop").GetString()!,
            root.GetProperty("ticksCrossed").GetInt32(),
            Big(root, "sqrtPriceX96After"));
    }

    private static BigInteger Big(JsonElement root, string name) =>
        BigInteger.Parse(root.GetProperty(name).GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);

    private sealed record Quote(string Kind, BigInteger AmountOut, string Stop, int TicksCrossed, BigInteger SqrtPriceX96After);
}
