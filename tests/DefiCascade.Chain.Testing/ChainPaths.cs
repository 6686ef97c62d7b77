namespace DefiCascade.Chain.Testing;

/// <summary>Locates tests/chain/node_modules (anvil, artifact JSONs) from the test's output folder.</summary>
public static class ChainPaths
{
    private const string Fix = "run `dotnet test DefiCascade.sln` (it runs npm ci in tests/chain)";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string NodeModules => Require(Path.Combine(RepoRoot, "tests", "chain", "node_modules"), "tests/chain/node_modules");

    public static string Anvil => Require(Path.Combine(NodeModules, "@foundry-rs", "anvil-linux-amd64", "bin", "anvil"), "the anvil binary");

    /// <summary>An artifact JSON by its path under node_modules, e.g. "@uniswap/v2-core/build/UniswapV2Pair.json".</summary>
    public static string Artifact(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return Require(Path.Combine(NodeModules, relativePath), "artifact " + relativePath);
    }

    private static string Require(string path, string what) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"{what} not found at {path}: {Fix}", path);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DefiCascade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"DefiCascade.sln not found above {AppContext.BaseDirectory}");
    }
}
