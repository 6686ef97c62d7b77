using System.CommandLine;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.Snapshots;
using DefiCascade.Cli.Commands.Rpc;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Cli.Commands;

/// <summary>The snapshot command's options: what to read (selectors), where to write, and how to talk to the node.</summary>
internal sealed class SnapshotOptions
{
    private readonly Option<string?> _rpcUrl = RpcOptions.RpcUrl();
    private readonly Option<string> _block = RpcOptions.Block("everything");
    private readonly Option<string?> _aaveProvider = new("--aave-provider") { Description = "Aave V3 PoolAddressesProvider: read its Pool's reserves, e-modes, oracle prices and every borrower's position.", HelpName = "ADDRESS" };
    private readonly Option<string> _aaveName = new("--aave-name") { Description = "Name of the Aave market in the snapshot and reports.", DefaultValueFactory = _ => "Aave V3", HelpName = "NAME" };
    private readonly Option<ulong> _aaveFrom = new("--aave-from-block") { Description = "First block of the Supply/Borrow event scan that finds the users: the Pool's deployment block (e.g. 16291127 for Ethereum's Aave V3 Core). Default 0.", HelpName = "N" };
    private readonly Option<string?> _aaveUsers = new("--aave-users") { Description = "A file of user addresses (one per line, # comments) to read instead of scanning events.", HelpName = "FILE" };
    private readonly Option<string?> _morpho = new("--morpho") { Description = "Morpho Blue contract: read its markets (from CreateMarket events, or --morpho-markets) and positions (from Supply/Borrow/SupplyCollateral events).", HelpName = "ADDRESS" };
    private readonly Option<string[]> _morphoMarkets = new("--morpho-markets") { Description = "Morpho market ids (bytes32) to read instead of every market created.", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
    private readonly Option<ulong> _morphoFrom = new("--morpho-from-block") { Description = "First block of the Morpho event scans (its deployment block; 18883124 on Ethereum). Default 0.", HelpName = "N" };
    private readonly Option<string[]> _pools = new("--pool") { Description = "Uniswap V2 pair or V3 pool to read (detected); repeat or list several.", HelpName = "ADDRESS", AllowMultipleArgumentsPerToken = true };
    private readonly Option<int?> _tickWindow = new("--tick-window") { Description = "Read V3 tick books only within this many ticks of the price (default: the whole book). The bounds go in the snapshot, so a swap past them reports 'data exhausted', not 'out of liquidity'.", HelpName = "TICKS" };
    private readonly Option<string> _out = new("--out") { Description = "Snapshot file to write (written complete or not at all).", HelpName = "FILE", Required = true };
    private readonly Option<bool> _force = new("--force") { Description = "Replace --out if it exists (otherwise an existing file is never overwritten)." };
    private readonly Option<string?> _checkpoint = new("--checkpoint") { Description = "Progress file of this run; an interrupted run resumes from it. Default: <out>.checkpoint.json; deleted when the snapshot is written.", HelpName = "FILE" };
    private readonly Option<bool> _restart = new("--restart") { Description = "Ignore and delete an existing checkpoint: start over." };
    private readonly Option<bool> _noMulticall = new("--no-multicall") { Description = "Do not batch through Multicall3 (0xcA11…CA11); use JSON-RPC batches of eth_call only. Without Multicall3 code at the block this happens anyway." };
    private readonly Option<int> _callsPerMulticall = new("--calls-per-multicall") { Description = "eth_calls per Multicall3 aggregate3.", DefaultValueFactory = _ => 400, HelpName = "N" };
    private readonly Option<int> _batch = new("--batch") { Description = "Requests per JSON-RPC batch (aggregate3 calls, or plain eth_calls without Multicall3).", DefaultValueFactory = _ => 8, HelpName = "N" };
    private readonly Option<ulong> _logChunk = new("--log-chunk") { Description = "Blocks per eth_getLogs request to start with; a node that refuses a range gets it halved.", DefaultValueFactory = _ => 5_000, HelpName = "BLOCKS" };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds to wait for one RPC answer before retrying it.", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };
    private readonly Option<int> _attempts = new("--max-attempts") { Description = "Attempts per request on 429, 5xx, timeouts, resets and malformed answers (backoff with jitter).", DefaultValueFactory = _ => 8, HelpName = "N" };
    private readonly Option<int> _budget = new("--retry-budget") { Description = "Retries allowed in the whole run; when spent the run stops with an error (progress stays in the checkpoint).", DefaultValueFactory = _ => 200, HelpName = "N" };
    private readonly Option<int> _retryBase = new("--retry-base-ms") { Description = "First backoff delay in milliseconds (doubles per attempt, full jitter, at most 10 s).", DefaultValueFactory = _ => 250, HelpName = "MS" };
    private readonly Option<string?> _log = new("--log") { Description = "Append a run log (stages, retries, failures; never the RPC URL) to this file.", HelpName = "FILE" };
    private readonly Option<string?> _record = new("--record") { Description = "Record every RPC request and its answer to this file (JSON lines, never the URL): the run can be replayed offline with --replay.", HelpName = "FILE" };
    private readonly Option<string?> _replay = new("--replay") { Description = "Answer every RPC request from a file made by --record instead of a node (no --rpc-url needed): the same snapshot, offline.", HelpName = "FILE" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the coverage report as one JSON object on stdout (progress goes to stderr)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            _rpcUrl, _block, _aaveProvider, _aaveName, _aaveFrom, _aaveUsers, _morpho, _morphoMarkets, _morphoFrom, _pools, _tickWindow, _out, _force,
            _checkpoint, _restart, _noMulticall, _callsPerMulticall, _batch, _logChunk, _timeout, _attempts, _budget, _retryBase, _log, _record, _replay, _json,
        })
        {
            command.Options.Add(option);
        }
    }

    public SnapshotInput Read(ParseResult p) => new(
        p.GetValue(_rpcUrl), p.GetValue(_block)!, p.GetValue(_aaveProvider), p.GetValue(_aaveName)!, p.GetValue(_aaveFrom), p.GetValue(_aaveUsers),
        p.GetValue(_morpho), p.GetValue(_morphoMarkets) ?? [], p.GetValue(_morphoFrom), p.GetValue(_pools) ?? [], p.GetValue(_tickWindow), p.GetValue(_out)!,
        p.GetValue(_force), p.GetValue(_checkpoint), p.GetValue(_restart), p.GetValue(_noMulticall), p.GetValue(_callsPerMulticall), p.GetValue(_batch),
        p.GetValue(_logChunk), p.GetValue(_timeout), p.GetValue(_attempts), p.GetValue(_budget), p.GetValue(_retryBase), p.GetValue(_log), p.GetValue(_record), p.GetValue(_replay), p.GetValue(_json));
}

internal sealed record SnapshotInput(
    string? RpcUrl,
    string Block,
    string? AaveProvider,
    string AaveName,
    ulong AaveFromBlock,
    string? AaveUsers,
    string? Morpho,
    string[] MorphoMarkets,
    ulong MorphoFromBlock,
    string[] Pools,
    int? TickWindow,
    string Out,
    bool Force,
    string? Checkpoint,
    bool Restart,
    bool NoMulticall,
    int CallsPerMulticall,
    int RequestsPerBatch,
    ulong LogChunk,
    int TimeoutSeconds,
    int MaxAttempts,
    int RetryBudget,
    int RetryBaseMs,
    string? LogPath,
    string? Record,
    string? Replay,
    bool Json)
{
    /// <summary>Validates every selector (errors name the option) and builds the request for <paramref name="block"/>.</summary>
    public SnapshotRequest ToRequest(ulong block)
    {
        Positive("--calls-per-multicall", CallsPerMulticall);
        Positive("--batch", RequestsPerBatch);
        Positive("--timeout", TimeoutSeconds);
        Positive("--max-attempts", MaxAttempts);
        if (RetryBudget < 0 || RetryBaseMs < 0 || LogChunk == 0 || TickWindow is < 0)
        {
            throw new BadInputException("--retry-budget, --retry-base-ms and --tick-window must not be negative, --log-chunk must be positive");
        }

        var request = new SnapshotRequest(block)
        {
            AaveProvider = AaveProvider is null ? null : RpcOptions.ParseAddress("--aave-provider", AaveProvider),
            AaveMarketName = AaveName,
            AaveFromBlock = AaveFromBlock,
            AaveUsers = AaveUsers is null ? null : ReadUsers(AaveUsers),
            Morpho = Morpho is null ? null : RpcOptions.ParseAddress("--morpho", Morpho),
            MorphoMarketIds = MorphoMarkets.Length == 0 ? null : MorphoMarkets.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(MarketId).ToArray(),
            MorphoFromBlock = MorphoFromBlock,
            Pools = Pools.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(p => RpcOptions.ParseAddress("--pool", p)).Distinct().ToArray(),
            TickWindow = TickWindow,
        };
        if (request.IsEmpty)
        {
            throw new BadInputException("nothing to read: give --aave-provider, --morpho and/or --pool");
        }

        if (request.AaveUsers is null && request.AaveProvider is not null && AaveFromBlock > block && block != 0)
        {
            throw new BadInputException($"--aave-from-block {AaveFromBlock} is after the snapshot block {block}");
        }

        return request;
    }

    private static void Positive(string option, int value)
    {
        if (value <= 0)
        {
            throw new BadInputException($"{option}: {value} must be a positive number");
        }
    }

    private static string MarketId(string text) =>
        text.Length == 66 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text[2..].All(Uri.IsHexDigit)
            ? text.ToLowerInvariant()
            : throw new BadInputException($"--morpho-markets: '{text}' is not a 0x-prefixed 32-byte market id");

    private static IReadOnlyList<Address> ReadUsers(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"--aave-users: cannot read {path}: {e.Message}");
        }

        try
        {
            return UsersFile.Parse(text, path);
        }
        catch (FormatException e)
        {
            throw new BadInputException("--aave-users: " + e.Message);
        }
    }
}
