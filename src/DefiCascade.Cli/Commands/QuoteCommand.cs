using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Cli.Commands.Rpc;
using DefiCascade.Amm;
using DefiCascade.Amm.V2;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// <c>defi-cascade quote</c>: reads one Uniswap pool at a pinned block and quotes an exact-input swap with the exact
/// integer model. The RPC URL is a secret (API keys live in its path or query): it is never printed, and every
/// message is scrubbed of it before it leaves this command.
/// </summary>
public static class QuoteCommand
{
    public static Command Create(CliIo io)
    {
        var rpcUrl = RpcOptions.RpcUrl();
        var block = RpcOptions.Block("the pool");
        var pool = new Option<string>("--pool") { Description = "Address of a Uniswap V2 pair or V3 pool (detected).", HelpName = "ADDRESS", Required = true };
        var tokenIn = new Option<string>("--token-in") { Description = "Address of the token sold: the pool's token0 or token1.", HelpName = "ADDRESS", Required = true };
        var amountIn = new Option<string>("--amount-in") { Description = "Exact input in the token's base units (wei), a positive integer.", HelpName = "WEI", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (amounts as decimal strings) instead of the table." };
        var command = new Command("quote", "Quote an exact-input swap on one Uniswap V2/V3 pool read from a node at a pinned block, with the contracts' exact integer math.")
        {
            rpcUrl, block, pool, tokenIn, amountIn, json,
        };
        command.SetAction(parse =>
        {
            var request = new QuoteInput(parse.GetValue(rpcUrl), parse.GetValue(block)!, parse.GetValue(pool)!, parse.GetValue(tokenIn)!, parse.GetValue(amountIn)!, parse.GetValue(json));
            // off the caller's synchronization context: the command line is synchronous, the reads are not.
            return Task.Run(() => RunAsync(io, request)).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(CliIo io, QuoteInput input)
    {
        Uri? url = null;
        try
        {
            url = RpcOptions.ParseUrl(input.RpcUrl);
            var poolAddress = RpcOptions.ParseAddress("--pool", input.Pool);
            var tokenAddress = RpcOptions.ParseAddress("--token-in", input.TokenIn);
            var amount = RpcOptions.ParseAmount("--amount-in", input.AmountIn);
            var pinned = RpcOptions.ParseBlock(input.Block);

            using var session = new RpcSession(url, RpcSessionSettings.OneShot);
            var reader = new UniswapPoolReader(session.Eth, session.Caller);
            var blockNumber = pinned ?? await reader.LatestBlockAsync().ConfigureAwait(false);
            var read = await reader.ReadAsync(poolAddress, blockNumber).ConfigureAwait(false);
            var (t0, t1) = (read.Token0.ToToken(), read.Token1.ToToken());
            IAmmPool model = read.Snapshot switch
            {
                UniswapV3PoolSnapshot v3 => UniswapV3Pool.FromSnapshot(v3, t0, t1),
                UniswapV2PoolSnapshot v2 => UniswapV2Pool.FromSnapshot(v2, t0, t1),
                _ => throw new InvalidOperationException("the reader returned an unknown pool kind"),
            };

            var zeroForOne = tokenAddress == t0.Address ? true
                : tokenAddress == t1.Address ? false
                : throw new BadInputException($"--token-in: {tokenAddress.Hex} is neither token0 ({t0.Address.Hex}) nor token1 ({t1.Address.Hex}) of pool {poolAddress.Hex}");
            SwapResult result;
            try
            {
                result = model.Quote(new SwapRequest(zeroForOne, amount, ExactInput: true));
            }
            catch (Exception e) when (e is ArgumentException or OverflowException)
            {
                throw new BadInputException($"--amount-in: {amount} cannot be swapped in this pool: {e.Message}");
            }

            var (sold, bought) = zeroForOne ? (t0, t1) : (t1, t0);
            if (input.Json)
            {
                io.Out.WriteLine(Json(read, model, sold, bought, result));
            }
            else
            {
                Table(io, read, model, sold, bought, result);
            }

            return CliApp.Ok;
        }
        catch (BadInputException e)
        {
            io.Error.WriteLine("error: " + RpcOptions.Scrub(e.Message, url, input.RpcUrl));
            return CliApp.BadInput;
        }
        catch (ChainReadException e)
        {
            io.Error.WriteLine("error: reading the pool failed: " + RpcOptions.Scrub(e.Message, url, input.RpcUrl));
            return CliApp.BadInput;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // the node answered, but with a state the exact model refuses (e.g. a tick that does not match the price).
            io.Error.WriteLine("error: the pool state read does not build an exact model: " + RpcOptions.Scrub(e.Message, url, input.RpcUrl));
            return CliApp.Failure;
        }
    }

    private static string Json(UniswapPoolRead read, IAmmPool model, Token sold, Token bought, SwapResult r)
    {
        var o = new JsonObject
        {
            ["block"] = read.Block.ToString(CultureInfo.InvariantCulture),
            ["pool"] = model.Address.Hex,
            ["kind"] = model.Kind,
            ["tokenIn"] = sold.Address.Hex,
            ["tokenOut"] = bought.Address.Hex,
            ["symbolIn"] = sold.Symbol,
            ["symbolOut"] = bought.Symbol,
            ["amountIn"] = r.AmountIn.ToString(CultureInfo.InvariantCulture),
            ["amountOut"] = r.AmountOut.ToString(CultureInfo.InvariantCulture),
            ["stop"] = r.Stop.ToString(),
            ["ticksCrossed"] = r.TicksCrossed,
            ["sqrtPriceX96Before"] = model.SqrtPriceX96.ToString(CultureInfo.InvariantCulture),
            ["sqrtPriceX96After"] = r.SqrtPriceX96After.ToString(CultureInfo.InvariantCulture),
            ["tickAfter"] = r.TickAfter,
            ["priceAfter"] = PriceAfter(model, r).ToString("R", CultureInfo.InvariantCulture),
            ["source"] = read.Snapshot.Source,
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static void Table(CliIo io, UniswapPoolRead read, IAmmPool model, Token sold, Token bought, SwapResult r)
    {
        var console = SimulateCommand.Console(io.Out);
        var table = new Table().AddColumn("Quote").AddColumn("Value");
        table.AddRow("Block", read.Block.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Pool", Markup.Escape($"{model.Address.Hex} ({model.Kind}, {model.Token0.Symbol}/{model.Token1.Symbol}, fee {model.FeePips} pips)"));
        table.AddRow("Amount in", Markup.Escape($"{r.AmountIn} {sold.Symbol} (base units)"));
        table.AddRow("Amount out", Markup.Escape($"{r.AmountOut} {bought.Symbol} (base units)"));
        table.AddRow("sqrtPriceX96 after", r.SqrtPriceX96After.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Price after", Markup.Escape($"1 {model.Token0.Symbol} = {PriceAfter(model, r).ToString("G6", CultureInfo.InvariantCulture)} {model.Token1.Symbol}"));
        table.AddRow("Ticks crossed", r.TicksCrossed.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Stop", r.Stop.ToString());
        console.Write(table);
        io.Out.WriteLine($"Read at block {read.Block.ToString(CultureInfo.InvariantCulture)} ({read.Snapshot.Source}); the exact model, not an on-chain quoter.");
    }

    private static double PriceAfter(IAmmPool model, SwapResult r) =>
        PoolPricing.PriceToken0InToken1(r.SqrtPriceX96After, model.Token0.Decimals, model.Token1.Decimals);

    private sealed record QuoteInput(string? RpcUrl, string Block, string Pool, string TokenIn, string AmountIn, bool Json);
}
