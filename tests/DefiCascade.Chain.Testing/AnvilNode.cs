using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// A local anvil on 127.0.0.1 and a free port. Disposing kills its process tree; so does process exit, because an
/// orphaned anvil keeps running (CHAIN.md). Each node gets its own HOME in a temp folder, deleted with the node:
/// anvil persists block history under $HOME/.foundry/anvil/tmp and a killed anvil never cleans it up (seen here:
/// ~6-10 GB per test run, enough to fill the disk in a few runs).
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, (Process Process, string Home)> Live = new();
    private readonly Process _process;
    private readonly string _home;
    private readonly HttpRpcTransport _transport;
    private readonly ConcurrentQueue<string> _output;

    static AnvilNode()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var (process, home) in Live.Values)
            {
                Kill(process);
                DeleteHome(home);
            }
        };
    }

    private AnvilNode(Process process, string home, Uri url, HttpRpcTransport transport, ConcurrentQueue<string> output)
    {
        _process = process;
        _home = home;
        Url = url;
        _transport = transport;
        _output = output;
        Eth = new EthClient(new JsonRpcClient(transport));
    }

    public Uri Url { get; }

    public EthClient Eth { get; }

    /// <summary>Starts anvil; extra arguments go to its command line (e.g. "--code-size-limit", "100000").</summary>
    public static Task<AnvilNode> StartAsync(IReadOnlyList<string>? extraArgs = null, CancellationToken ct = default) =>
        StartCoreAsync(ExpectedChainId(extraArgs ?? []), extraArgs ?? [], ct);

    /// <summary>
    /// Starts anvil with `--chain-id <paramref name="chainId"/>` (e.g. 1, as an `anvil --fork-url` of mainnet reports). Its
    /// <see cref="Eth"/> still refuses eth_sendTransaction off 31337 unless the caller builds its own client.
    /// </summary>
    public static Task<AnvilNode> StartWithChainIdAsync(ulong chainId, IReadOnlyList<string>? extraArgs = null, CancellationToken ct = default) =>
        StartCoreAsync(chainId, ["--chain-id", chainId.ToString(CultureInfo.InvariantCulture), .. extraArgs ?? []], ct);

    private static async Task<AnvilNode> StartCoreAsync(ulong expectedChainId, IReadOnlyList<string> extraArgs, CancellationToken ct)
    {
        var anvil = ChainPaths.Anvil;
        Exception? last = null;

        // the port is free when we look and could be taken before anvil binds it: try a few.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var output = new ConcurrentQueue<string>();
            var home = Directory.CreateTempSubdirectory("defi-cascade-anvil-").FullName;
            var process = Launch(anvil, port, home, extraArgs, output);
            Live[process.Id] = (process, home);
            var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            var transport = new HttpRpcTransport(url, TimeSpan.FromSeconds(60));
            var node = new AnvilNode(process, home, url, transport, output);
            try
            {
                await node.WaitUntilReadyAsync(expectedChainId, ct).ConfigureAwait(false);
                return node;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                last = e;
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("anvil did not start after 3 attempts", last);
    }

    public async ValueTask DisposeAsync()
    {
        Live.TryRemove(_process.Id, out _);
        Kill(_process);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        _transport.Dispose();
        DeleteHome(_home);
    }

    private static void DeleteHome(string home)
    {
        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder is not worth failing a test over.
        }
    }

    private static Process Launch(string anvil, int port, string home, IReadOnlyList<string> extraArgs, ConcurrentQueue<string> output)
    {
        var info = new ProcessStartInfo(anvil)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["HOME"] = home;
        foreach (var arg in (string[])["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), .. extraArgs])
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        DataReceivedEventHandler keep = (_, e) =>
        {
            // keep the tail only: it explains a failed start without buffering a whole test run's log.
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
                while (output.Count > 50 && output.TryDequeue(out string? _))
                {
                }
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill.
        }
    }

    /// <summary>Anvil's 31337, or the id given with "--chain-id N" (a node posing as another chain, for refusal tests).</summary>
    private static ulong ExpectedChainId(IReadOnlyList<string> args)
    {
        var at = args.ToList().IndexOf("--chain-id");
        return at >= 0 && at + 1 < args.Count ? ulong.Parse(args[at + 1], CultureInfo.InvariantCulture) : EthClient.AnvilChainId;
    }

    private async Task WaitUntilReadyAsync(ulong expectedChainId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"anvil exited with code {_process.ExitCode}: {string.Join(" | ", _output)}");
            }

            try
            {
                var chainId = await Eth.GetChainIdAsync(ct).ConfigureAwait(false);
                if (chainId != expectedChainId)
                {
                    throw new InvalidOperationException($"the node on {Url} reports chain id {chainId}, not the expected {expectedChainId}");
                }

                return;
            }
            catch (RpcTransportException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, ct).ConfigureAwait(false);
            }
            catch (RpcTransportException e)
            {
                throw new TimeoutException($"anvil did not answer eth_chainId within 20 s ({e.Message}): {string.Join(" | ", _output)}");
            }
        }
    }
}
