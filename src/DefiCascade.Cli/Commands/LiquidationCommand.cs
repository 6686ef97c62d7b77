using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Cli.Commands.Rpc;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Lending.AaveV3;
using Spectre.Console;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// <c>defi-cascade liquidation</c>: what Aave V3's Pool.liquidationCall would do for one user at a pinned block,
/// according to the exact model fed the block's scaled balances, indexes and oracle prices. Exit 0 when the call would
/// succeed, 1 when the contract would refuse it (the answer is printed either way), 2 when there is no answer.
/// </summary>
public static class LiquidationCommand
{
    /// <summary>What every answer says about its validity: users act on it one or more blocks later.</summary>
    public const string StateNote =
        "The answer is for a liquidationCall executed on that block's state (indexes as of that block); interest accrued in a later block changes the amounts slightly.";

    public static Command Create(CliIo io)
    {
        var rpcUrl = RpcOptions.RpcUrl();
        var block = RpcOptions.Block("the pool and the user");
        var pool = new Option<string>("--pool") { Description = "Address of the Aave V3 Pool (the proxy users call).", HelpName = "ADDRESS", Required = true };
        var user = new Option<string>("--user") { Description = "Address of the borrower to liquidate.", HelpName = "ADDRESS", Required = true };
        var collateral = new Option<string>("--collateral") { Description = "Token address of the collateral to seize: a reserve of the pool.", HelpName = "ADDRESS", Required = true };
        var debt = new Option<string>("--debt") { Description = "Token address of the debt to repay: a reserve of the pool.", HelpName = "ADDRESS", Required = true };
        var debtToCover = new Option<string>("--debt-to-cover")
        {
            Description = "Debt to repay in the debt token's base units (wei), a positive integer; 'max' is type(uint256).max, which repays what the close factor allows.",
            HelpName = "WEI",
            Required = true,
        };
        var receiveAToken = new Option<bool>("--receive-atoken") { Description = "The liquidator takes the collateral as aTokens instead of the underlying." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (amounts and health factors as decimal strings) instead of the table." };
        var command = new Command(
            "liquidation",
            "Answer what Aave V3 Pool.liquidationCall would do for one user at a pinned block, with the contract's exact integer math: debt repaid, "
            + "collateral seized, protocol fee, health factor before and after, or the error the contract would revert with. " + StateNote
            + " Exit codes: 0 the liquidation would succeed, 1 the contract would refuse it, 2 bad input or a failed read.")
        {
            rpcUrl, block, pool, user, collateral, debt, debtToCover, receiveAToken, json,
        };
        command.SetAction(parse =>
        {
            var input = new LiquidationInput(
                parse.GetValue(rpcUrl), parse.GetValue(block)!, parse.GetValue(pool)!, parse.GetValue(user)!, parse.GetValue(collateral)!,
                parse.GetValue(debt)!, parse.GetValue(debtToCover)!, parse.GetValue(receiveAToken), parse.GetValue(json));
            // off the caller's synchronization context: the command line is synchronous, the reads are not.
            return Task.Run(() => RunAsync(io, input)).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(CliIo io, LiquidationInput input)
    {
        Uri? url = null;
        try
        {
            url = RpcOptions.ParseUrl(input.RpcUrl);
            var poolAddress = RpcOptions.ParseAddress("--pool", input.Pool);
            var userAddress = RpcOptions.ParseAddress("--user", input.User);
            var collateralAddress = RpcOptions.ParseAddress("--collateral", input.Collateral);
            var debtAddress = RpcOptions.ParseAddress("--debt", input.Debt);
            var cover = ParseDebtToCover(input.DebtToCover);
            var pinned = RpcOptions.ParseBlock(input.Block);

            using var session = new RpcSession(url, RpcSessionSettings.OneShot);
            var blockNumber = pinned ?? await LatestBlockAsync(session).ConfigureAwait(false);
            var inputs = await AaveV3LiquidationInputs.ReadAsync(session.Caller, poolAddress, userAddress, blockNumber).ConfigureAwait(false);
            var c = Reserve(inputs, "--collateral", collateralAddress);
            var d = Reserve(inputs, "--debt", debtAddress);

            var after = inputs.Account.Clone();
            var quote = AaveV3Liquidation.Execute(inputs.Market, after, inputs.Oracle, new LiquidationRequest(c, d, cover, input.ReceiveAToken));
            var hfAfter = quote.Ok ? AaveV3Accounting.CalculateUserAccountData(inputs.Market, after, inputs.Oracle).HealthFactor : quote.HealthFactorBefore;
            var answer = new Answer(inputs, c, d, cover, input.ReceiveAToken, quote, hfAfter, Warnings(inputs, c, input.ReceiveAToken, quote));
            if (input.Json)
            {
                io.Out.WriteLine(Json(answer));
            }
            else
            {
                Table(io, answer);
            }

            return quote.Ok ? CliApp.Ok : CliApp.Failure;
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
        catch (AaveV3CrossCheckException e)
        {
            io.Error.WriteLine("error: the exact model does not reproduce this account: " + RpcOptions.Scrub(e.Message, url, input.RpcUrl));
            return CliApp.BadInput;
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException or OverflowException)
        {
            // the node answered, but with a market the exact model cannot take (an ETH-based oracle, a price of 0, ...).
            io.Error.WriteLine("error: the market read does not build an exact model: " + RpcOptions.Scrub(e.Message, url, input.RpcUrl));
            return CliApp.BadInput;
        }
    }

    private static BigInteger ParseDebtToCover(string text)
    {
        if (text.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return UInt256.Max;
        }

        var amount = RpcOptions.ParseAmount("--debt-to-cover", text);
        return UInt256.InRange(amount) ? amount : throw new BadInputException($"--debt-to-cover: '{text}' does not fit in a uint256 (use 'max' for type(uint256).max)");
    }

    private static async Task<ulong> LatestBlockAsync(RpcSession session)
    {
        try
        {
            return await session.Eth.GetBlockNumberAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException or TimeoutException or FormatException)
        {
            throw new ChainReadException("eth_blockNumber", e.Message, e);
        }
    }

    private static int Reserve(AaveV3LiquidationInputs inputs, string option, Address asset) =>
        inputs.ReserveOf(asset) ?? throw new BadInputException(
            $"{option}: {asset.Hex} is not a reserve of pool {inputs.MarketRead.Pool.Hex} at block {inputs.Block} (reserves: "
            + string.Join(", ", inputs.Market.Reserves.Select(r => $"{r.Token.Symbol} {r.Token.Address.Hex}")) + ")");

    private static List<string> Warnings(AaveV3LiquidationInputs inputs, int c, bool receiveAToken, LiquidationQuote quote)
    {
        var warnings = new List<string>();
        if (inputs.MarketRead.PoolRevision != BigInteger.One)
        {
            var revision = inputs.MarketRead.PoolRevision?.ToString(CultureInfo.InvariantCulture) ?? "unreadable";
            warnings.Add($"Pool revision {revision}: the model is {AaveV3Version.Name} (Pool revision 1); later revisions changed liquidationCall (close factor, dust rules), so the answer is that version's.");
        }

        if (quote.Ok && !receiveAToken && quote.CollateralToLiquidator > inputs.CollateralLiquidity[c])
        {
            var symbol = inputs.Market.Reserves[c].Token.Symbol;
            warnings.Add($"the {symbol} reserve holds only {inputs.CollateralLiquidity[c]} base units of underlying: paying the liquidator {quote.CollateralToLiquidator} would revert in the token transfer; --receive-atoken avoids it.");
        }

        return warnings;
    }

    /// <summary>Errors.sol of Aave V3.0.2: the constant's name and its code, as a revert carries it.</summary>
    internal static (string Name, string Code) AaveError(LiquidationError error) => error switch
    {
        LiquidationError.InvalidAmount => ("INVALID_BURN_AMOUNT", "25"),
        LiquidationError.ReserveInactive => ("RESERVE_INACTIVE", "27"),
        LiquidationError.ReservePaused => ("RESERVE_PAUSED", "29"),
        LiquidationError.HealthFactorNotBelowThreshold => ("HEALTH_FACTOR_NOT_BELOW_THRESHOLD", "45"),
        LiquidationError.CollateralCannotBeLiquidated => ("COLLATERAL_CANNOT_BE_LIQUIDATED", "46"),
        LiquidationError.SpecifiedCurrencyNotBorrowedByUser => ("SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER", "47"),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "not a refusal"),
    };

    private static string Json(Answer a)
    {
        var q = a.Quote;
        var m = a.Inputs.Market;
        var o = new JsonObject
        {
            ["block"] = a.Inputs.Block.ToString(CultureInfo.InvariantCulture),
            ["pool"] = a.Inputs.MarketRead.Pool.Hex,
            ["addressesProvider"] = a.Inputs.MarketRead.AddressesProvider.Hex,
            ["poolRevision"] = a.Inputs.MarketRead.PoolRevision?.ToString(CultureInfo.InvariantCulture),
            ["user"] = a.Inputs.Account.User.Hex,
            ["eMode"] = a.Inputs.Account.EMode,
            ["collateral"] = m.Reserves[a.Collateral].Token.Address.Hex,
            ["collateralSymbol"] = m.Reserves[a.Collateral].Token.Symbol,
            ["debt"] = m.Reserves[a.Debt].Token.Address.Hex,
            ["debtSymbol"] = m.Reserves[a.Debt].Token.Symbol,
            ["debtToCover"] = Dec(a.DebtToCover),
            ["receiveAToken"] = a.ReceiveAToken,
            ["ok"] = q.Ok,
            ["error"] = q.Ok ? null : AaveError(q.Error).Name,
            ["errorCode"] = q.Ok ? null : AaveError(q.Error).Code,
            ["healthFactorBefore"] = Dec(q.HealthFactorBefore),
            ["closeFactorBps"] = q.CloseFactorBps,
            ["maxLiquidatableDebt"] = Dec(q.MaxLiquidatableDebt),
            ["userCollateralBalance"] = Dec(a.Inputs.Account.CollateralBalance(m, a.Collateral)),
            ["userDebtBalance"] = Dec(a.Inputs.Account.DebtBalance(m, a.Debt)),
        };
        if (q.Ok)
        {
            // a refusal moves nothing: amounts and the state after appear only for a liquidation that happens.
            o["debtRepaid"] = Dec(q.DebtRepaid);
            o["collateralSeized"] = Dec(q.CollateralSeized);
            o["collateralToLiquidator"] = Dec(q.CollateralToLiquidator);
            o["protocolFee"] = Dec(q.ProtocolFee);
            o["collateralCapBinding"] = q.CollateralCapBinding;
            o["healthFactorAfter"] = Dec(a.HealthFactorAfter);
        }

        o["warnings"] = new JsonArray(a.Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());
        o["note"] = StateNote;
        return o.ToJsonString();
    }

    private static void Table(CliIo io, Answer a)
    {
        var q = a.Quote;
        var m = a.Inputs.Market;
        var (coll, debt) = (m.Reserves[a.Collateral].Token, m.Reserves[a.Debt].Token);
        var console = SimulateCommand.Console(io.Out);
        var table = new Table().AddColumn("Liquidation").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("Block", a.Inputs.Block.ToString(CultureInfo.InvariantCulture));
        Row("Pool", $"{a.Inputs.MarketRead.Pool.Hex} (revision {a.Inputs.MarketRead.PoolRevision?.ToString(CultureInfo.InvariantCulture) ?? "unreadable"})");
        Row("User", $"{a.Inputs.Account.User.Hex}{(a.Inputs.Account.EMode != 0 ? $" (e-mode {a.Inputs.Account.EMode})" : string.Empty)}");
        Row("Collateral", $"{coll.Symbol} {coll.Address.Hex}: user holds {Units(a.Inputs.Account.CollateralBalance(m, a.Collateral), coll)}");
        Row("Debt", $"{debt.Symbol} {debt.Address.Hex}: user owes {Units(a.Inputs.Account.DebtBalance(m, a.Debt), debt)}");
        Row("Debt to cover", a.DebtToCover == UInt256.Max ? "max (type(uint256).max)" : Units(a.DebtToCover, debt));
        Row("Health factor before", Wad(q.HealthFactorBefore));
        Row("Close factor", $"{q.CloseFactorBps / 100}% (max liquidatable {Units(q.MaxLiquidatableDebt, debt)})");
        if (q.Ok)
        {
            Row("Result", "liquidationCall succeeds");
            Row("Debt repaid", Units(q.DebtRepaid, debt));
            Row("Collateral seized", $"{Units(q.CollateralSeized, coll)} (all the user loses)");
            Row("  to the liquidator", $"{Units(q.CollateralToLiquidator, coll)} {(a.ReceiveAToken ? "as a" + coll.Symbol : "as underlying")}");
            Row("  protocol fee", $"{Units(q.ProtocolFee, coll)} to the treasury as a{coll.Symbol}");
            Row("Collateral cap binding", q.CollateralCapBinding ? "yes: the user's whole balance is seized and less debt is repaid" : "no");
            Row("Health factor after", Wad(a.HealthFactorAfter));
        }
        else
        {
            var (name, code) = AaveError(q.Error);
            Row("Result", $"reverts: {name} ('{code}')");
        }

        console.Write(table);
        foreach (var w in a.Warnings)
        {
            io.Out.WriteLine("warning: " + w);
        }

        io.Out.WriteLine(StateNote);
    }

    private static string Dec(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>"7500000000 (7500.000000 USDC)": base units first, the scaled figure for reading, integer arithmetic only.</summary>
    private static string Units(BigInteger amount, Token token) => $"{Dec(amount)} ({Fixed(amount, token.Decimals)} {token.Symbol})";

    private static string Wad(BigInteger hf) => hf == UInt256.Max ? $"{Dec(hf)} (no debt)" : $"{Dec(hf)} ({Fixed(hf, 18)})";

    private static string Fixed(BigInteger amount, int decimals)
    {
        if (decimals == 0)
        {
            return Dec(amount);
        }

        var whole = BigInteger.DivRem(amount, BigInteger.Pow(10, decimals), out var fraction);
        return $"{Dec(whole)}.{Dec(fraction).PadLeft(decimals, '0')}";
    }

    private sealed record Answer(
        AaveV3LiquidationInputs Inputs, int Collateral, int Debt, BigInteger DebtToCover, bool ReceiveAToken, LiquidationQuote Quote, BigInteger HealthFactorAfter, IReadOnlyList<string> Warnings);

    private sealed record LiquidationInput(
        string? RpcUrl, string Block, string Pool, string User, string Collateral, string Debt, string DebtToCover, bool ReceiveAToken, bool Json);
}
