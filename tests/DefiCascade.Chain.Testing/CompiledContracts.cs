using System.ComponentModel;
using System.Diagnostics;
using DefiCascade.Ethereum.Artifacts;

namespace DefiCascade.Chain.Testing;

/// <summary>
/// The contracts tests/chain/compile.mjs builds (Morpho, ERC20Mock, OracleMock, IrmMock, Multicall3) in
/// tests/chain/build. The script runs once per test run, on first use (its source-hash cache makes a warm run take
/// well under a second, a cold one ~15 s); a missing node or a compiler error fails every test that needs them.
/// </summary>
public static class CompiledContracts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static readonly Lazy<string> Built = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>tests/chain/build, compiled and up to date.</summary>
    public static string BuildDirectory => Built.Value;

    /// <summary>A compiled artifact by contract name, e.g. "Morpho".</summary>
    public static ContractArtifact Load(string contractName)
    {
        ArgumentNullException.ThrowIfNull(contractName);
        var path = Path.Combine(BuildDirectory, contractName + ".json");
        return File.Exists(path)
            ? ContractArtifact.Load(path)
            : throw new FileNotFoundException($"compile.mjs wrote no artifact for {contractName} (expected {path})", path);
    }

    private static string Compile()
    {
        _ = ChainPaths.NodeModules; // a missing npm install is reported with its fix first
        var script = Path.Combine(ChainPaths.RepoRoot, "tests", "chain", "compile.mjs");
        var outDir = Path.Combine(ChainPaths.RepoRoot, "tests", "chain", "build");
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ChainPaths.RepoRoot,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(outDir);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"cannot run `node {script} {outDir}`: node (Node.js 18 or later) is not on PATH ({e.Message}). Install Node.js to run the chain tests.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`node {script} {outDir}` did not finish within {Timeout.TotalMinutes:0} minutes");
            }

            process.WaitForExit(); // drains the redirected streams
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"`node {script} {outDir}` failed with exit code {process.ExitCode}:{Environment.NewLine}{stderr.Result}{stdout.Result}".TrimEnd());
            }
        }

        return outDir;
    }
}
