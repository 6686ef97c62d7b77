using System.CommandLine;
using DefiCascade.Cli.Commands.Rpc;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// The replay command's options: the node (--rpc-url), the snapshot command's market selectors under the same names,
/// the scenario, the bot and the chain seams (how oracle prices move and how the bot is funded).
/// </summary>
internal sealed class ReplayOptions
{
    public const string DefaultBot = "0x00000000000000000000000000000000b07b07b0";

    /// <summary>Uniswap's SwapRouter on Ethereum mainnet (v3-periphery), for forks of mainnet.</summary>
    public const string MainnetSwapRouter = "0xE592427A0AEce9164A6da9Ee6c9e1e8A4c3ab8F0";

    private readonly Option<string?> _rpcUrl = RpcOptions.RpcUrl();
    private readonly Option<string> _scenario = new("--scenario") { Description = "Scenario file (YAML or JSON) the model runs and the chain acts out; mitigations are refused (they have no chain form).", HelpName = "FILE", Required = true };
    private readonly Option<string?> _snapshotOut = new("--snapshot-out") { Description = "Write the snapshot of the starting block the model ran on (written complete or not at all).", HelpName = "FILE" };
    private readonly Option<double?> _maxDivergence = new("--max-divergence") { Description = "Exit 1 when any metric's divergence between model and chain exceeds this many percent (for CI gates). Default: report only.", HelpName = "PERCENT" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object: model and chain figures side by side, the divergence, disclosures and times (progress goes to stderr)." };
    private readonly Option<string?> _aaveProvider = new("--aave-provider") { Description = "Aave V3 PoolAddressesProvider of the market to liquidate on.", HelpName = "ADDRESS" };
    private readonly Option<string> _aaveName = new("--aave-name") { Description = "Name of the Aave market in the snapshot and reports.", DefaultValueFactory = _ => "Aave V3", HelpName = "NAME" };
    private readonly Option<ulong> _aaveFrom = new("--aave-from-block") { Description = "First block of the Supply/Borrow event scan that finds the users (without --aave-users). Default 0.", HelpName = "N" };
    private readonly Option<string?> _aaveUsers = new("--aave-users") { Description = "A file of user addresses (one per line, # comments) to read instead of scanning events.", HelpName = "FILE" };
    private readonly Option<string[]> _pools = new("--pool") { Description = "Uniswap V3 pool the arbitrageur and the liquidator trade in; repeat or list several.", HelpName = "ADDRESS", AllowMultipleArgumentsPerToken = true };
    private readonly Option<int?> _tickWindow = new("--tick-window") { Description = "Read V3 tick books only within this many ticks of the price (default: the whole book).", HelpName = "TICKS" };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the scenario's random draws, as in simulate.", DefaultValueFactory = _ => 1, HelpName = "N" };
    private readonly Option<string> _bot = new("--bot") { Description = "Address the arbitrage and liquidation bot sends from (impersonated, given gas money).", DefaultValueFactory = _ => DefaultBot, HelpName = "ADDRESS" };
    private readonly Option<string> _router = new("--v3-router") { Description = "Uniswap V3 SwapRouter the bot swaps through (exactInputSingle). Default: mainnet's.", DefaultValueFactory = _ => MainnetSwapRouter, HelpName = "ADDRESS" };
    private readonly Option<string> _oracleMode = new("--oracle-mode") { Description = "How oracle prices move: 'answers' writes the answer slot of each source (test aggregators), 'sources' points AaveOracle at settable aggregators (forks).", DefaultValueFactory = _ => "answers", HelpName = "answers|sources" };
    private readonly Option<string> _funding = new("--funding") { Description = "How the bot is funded, flash-loan style: 'mint' calls the tokens' public mint (test tokens), 'deal' writes ERC-20 balances (forks).", DefaultValueFactory = _ => "mint", HelpName = "mint|deal" };
    private readonly Option<bool> _unsafe = new(Replay.DevChainGuard.UnsafeFlag) { Description = "Send transactions and cheat calls to a node that is neither chain id 31337 nor anvil. Never against a real network." };
    private readonly Option<string?> _out = new("--out") { Description = "Also write replay.json (the --json object) into this folder, atomically.", HelpName = "DIR" };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds to wait for one RPC answer.", DefaultValueFactory = _ => 120, HelpName = "SECONDS" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            _rpcUrl, _scenario, _snapshotOut, _maxDivergence, _json, _aaveProvider, _aaveName, _aaveFrom, _aaveUsers, _pools, _tickWindow, _seed, _bot, _router,
            _oracleMode, _funding, _unsafe, _out, _timeout,
        })
        {
            command.Options.Add(option);
        }
    }

    public ReplayInput Read(ParseResult p) => new(
        p.GetValue(_rpcUrl), p.GetValue(_scenario)!, p.GetValue(_snapshotOut), p.GetValue(_maxDivergence), p.GetValue(_json),
        new SnapshotInput(
            p.GetValue(_rpcUrl), "latest", p.GetValue(_aaveProvider), p.GetValue(_aaveName)!, p.GetValue(_aaveFrom), p.GetValue(_aaveUsers), null, [], 0,
            p.GetValue(_pools) ?? [], p.GetValue(_tickWindow), "-", false, null, false, false, 400, 8, 5_000, p.GetValue(_timeout), 1, 0, 0, null, null, null, p.GetValue(_json)),
        p.GetValue(_seed), p.GetValue(_bot)!, p.GetValue(_router)!, p.GetValue(_oracleMode)!, p.GetValue(_funding)!, p.GetValue(_unsafe), p.GetValue(_out), p.GetValue(_timeout));
}

internal sealed record ReplayInput(
    string? RpcUrl,
    string Scenario,
    string? SnapshotOut,
    double? MaxDivergence,
    bool Json,
    SnapshotInput Selectors,
    int Seed,
    string Bot,
    string Router,
    string OracleMode,
    string Funding,
    bool AllowNonDevChain,
    string? Out,
    int TimeoutSeconds);
