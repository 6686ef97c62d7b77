using System.CommandLine;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Cli.Commands.Rpc;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;
using DefiCascade.Replay;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// <c>defi-cascade replay</c>: runs a scenario on the model and acts the same decisions out as real transactions on a dev
/// chain (anvil, or an anvil fork), then sets the two side by side. Exit 0: compared (within --max-divergence when given);
/// 1: the divergence exceeds --max-divergence; 2: bad input, a refused chain or a failed call.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CliIo io)
    {
        var o = new ReplayOptions();
        var command = new Command(
            "replay",
            "Run a scenario on the model and execute the same oracle moves, arbitrage swaps and liquidationCalls as real transactions on a dev chain (anvil or an anvil fork); "
            + "print model and chain figures side by side with their divergence. Refuses a chain that is not a dev chain unless " + DevChainGuard.UnsafeFlag + ".");
        o.AddTo(command);
        command.SetAction(parse => Task.Run(() => RunAsync(io, o.Read(parse))).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> RunAsync(CliIo io, ReplayInput input)
    {
        Uri? url = null;
        try
        {
            url = RpcOptions.ParseUrl(input.RpcUrl);
            var selectors = input.Selectors.ToRequest(0);
            var bot = RpcOptions.ParseAddress("--bot", input.Bot);
            var router = RpcOptions.ParseAddress("--v3-router", input.Router);
            if (!ReplaySeams.OracleModes.Contains(input.OracleMode))
            {
                throw new BadInputException($"--oracle-mode: '{input.OracleMode}' is not one of {string.Join(", ", ReplaySeams.OracleModes)}");
            }

            if (!ReplaySeams.FundingModes.Contains(input.Funding))
            {
                throw new BadInputException($"--funding: '{input.Funding}' is not one of {string.Join(", ", ReplaySeams.FundingModes)}");
            }

            if (input.MaxDivergence is { } max && (double.IsNaN(max) || max < 0))
            {
                throw new BadInputException($"--max-divergence: {max} must be a percentage of at least 0");
            }

            if (input.TimeoutSeconds <= 0)
            {
                throw new BadInputException($"--timeout: {input.TimeoutSeconds} must be a positive number");
            }

            var (scenarioText, scenario) = ReadScenario(input.Scenario);
            var snapshotOut = CheckFile("--snapshot-out", input.SnapshotOut);
            var outDir = input.Out is null ? null : Path.GetFullPath(input.Out);
            if (outDir is not null && File.Exists(outDir))
            {
                throw new BadInputException($"--out: {input.Out} is a file; give a folder");
            }

            // no retries: a resent eth_sendTransaction must never act twice.
            using var session = new RpcSession(url, new RpcSessionSettings
            {
                Timeout = TimeSpan.FromSeconds(input.TimeoutSeconds),
                Retry = new RpcRetryPolicy { MaxAttempts = 1 },
            });
            var verdict = await DevChainGuard.CheckAsync(session.Rpc, input.AllowNonDevChain).ConfigureAwait(false);
            io.Error.WriteLine($"dev-chain check: {verdict.Describe()}: {(verdict.IsDevChain ? "passed" : "NOT a dev chain")}");
            if (!verdict.IsDevChain)
            {
                io.Error.WriteLine($"WARNING: {DevChainGuard.UnsafeFlag} was given: sending transactions and cheat calls to a chain that is not a dev chain (chain id {verdict.ChainId}).");
            }

            // EthClient refuses sends to chain ids other than 31337 on its own; an anvil fork keeps the forked chain's id,
            // and the guard above has decided already.
            var eth = new EthClient(session.Rpc, new EthClientOptions { AllowNonDevChain = true });
            var aaveOracle = await AaveOracleAsync(eth, selectors).ConfigureAwait(false);
            var (oracle, funding) = ReplaySeams.Create(input.OracleMode, input.Funding, eth, selectors.AaveProvider!.Value, aaveOracle, bot);
            var runner = new ReplayRunner(eth, oracle, funding);
            var settings = new ReplaySettings(selectors, scenario, scenarioText, input.Scenario, input.Seed, router, bot);
            var outcome = await runner.RunAsync(settings, new SyncProgress(io.Error)).ConfigureAwait(false);

            var json = ReplayView.Json(outcome, verdict, input.MaxDivergence);
            if (snapshotOut is not null)
            {
                AtomicFile.Write(snapshotOut, SnapshotJson.Serialize(outcome.Snapshot));
            }

            if (outDir is not null)
            {
                AtomicFile.Write(Path.Combine(outDir, "replay.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            }

            ReplayView.Render(io, input.Json, outcome, verdict, json, input.MaxDivergence);
            var exceeded = input.MaxDivergence is { } limit && outcome.Comparison.MaxDivergencePercent > limit;
            return exceeded ? CliApp.Failure : CliApp.Ok;
        }
        catch (Exception e) when (e is BadInputException or NotADevChainException or ReplayInputException or ScenarioFormatException or SnapshotFormatException)
        {
            return Fail(io, "error: " + e.Message, url, input.RpcUrl);
        }
        catch (Exception e) when (e is ReplayChainException or ChainReadException or ContractRevertException or AaveV3CrossCheckException)
        {
            return Fail(io, "error: the replay failed: " + e.Message, url, input.RpcUrl);
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException)
        {
            return Fail(io, $"error: a call to the node failed: {e.Message}", url, input.RpcUrl);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            return Fail(io, "error: the replay could not run: " + e.Message, url, input.RpcUrl);
        }
    }

    private static (string Text, Scenario Scenario) ReadScenario(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"--scenario: cannot read {path}: {e.Message}");
        }

        // checked now, before the node is touched; read again against the snapshot once it exists.
        return (text, ScenarioLoader.Parse(text, path));
    }

    private static string? CheckFile(string option, string? path)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        return Directory.Exists(full) ? throw new BadInputException($"{option}: {path} is a folder; give a file name") : full;
    }

    private static async Task<Address> AaveOracleAsync(EthClient eth, Adapters.Snapshots.SnapshotRequest selectors)
    {
        if (selectors.AaveProvider is not { } provider)
        {
            throw new BadInputException("--aave-provider is required: a replay liquidates on an Aave V3 market");
        }

        var output = await eth.CallAsync(provider, Ethereum.Abi.AbiSignature.Selector("getPriceOracle()"), BlockParameter.Latest, new CallContext("PoolAddressesProvider", "getPriceOracle()")).ConfigureAwait(false);
        return output.Length >= 32 ? Address.Parse(Ethereum.Hex.Encode(output.AsSpan(12, 20))) : throw new BadInputException($"--aave-provider {provider.Hex}: getPriceOracle() returned nothing (not a PoolAddressesProvider?)");
    }

    private static int Fail(CliIo io, string message, Uri? url, string? option)
    {
        io.Error.WriteLine(RpcOptions.Scrub(message, url, option));
        return CliApp.BadInput;
    }

    /// <summary>Progress lines written as they happen (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class SyncProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
