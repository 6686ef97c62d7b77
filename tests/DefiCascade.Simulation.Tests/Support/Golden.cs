using DefiCascade.Simulation.Tests.Synthetic;

namespace DefiCascade.Simulation.Tests.Support;

/// <summary>
/// Golden files under tests/DefiCascade.Simulation.Tests/Golden, compared byte for byte.
/// DEFI_CASCADE_APPROVE=1 rewrites them after an intended change: review the diff, then commit.
/// </summary>
public static class Golden
{
    public static string PathOf(string name) => Path.Combine(RepoRoot.Find(), "tests", "DefiCascade.Simulation.Tests", "Golden", name);

    public static void Verify(string name, string actual)
    {
        var path = PathOf(name);
        if (Environment.GetEnvironmentVariable("DEFI_CASCADE_APPROVE") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the test with DEFI_CASCADE_APPROVE=1 to create it, then review it");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            var received = path + ".received";
            File.WriteAllText(received, actual);
            Assert.Fail($"{name} differs from the approved file; the new output is in {received}. If the change is intended, re-approve with DEFI_CASCADE_APPROVE=1 and review the diff.");
        }
    }
}
