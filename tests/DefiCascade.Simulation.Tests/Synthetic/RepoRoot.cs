namespace DefiCascade.Simulation.Tests.Synthetic;

internal static class RepoRoot
{
    /// <summary>The folder holding DefiCascade.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DefiCascade.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DefiCascade.sln not found above {AppContext.BaseDirectory}");
    }
}
