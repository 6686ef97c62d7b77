using System.Text.Json.Nodes;
using DefiCascade.Adapters.Snapshots;

namespace DefiCascade.Adapters.Tests.Snapshots;

public sealed class SnapshotCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("checkpoint-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Progress_written_by_one_run_is_resumed_by_the_next_run_of_the_same_snapshot()
    {
        var path = Path.Combine(_dir, "snap.json.checkpoint.json");
        var key = SnapshotCheckpoint.KeyOf("chain 1 block 100; aave 0xabc");
        var first = SnapshotCheckpoint.Open(path, key);
        Assert.False(first.Resumed);
        first.Put("aave-users", new JsonObject { ["scannedThrough"] = "42" }, "chain 1, block 100");

        var second = SnapshotCheckpoint.Open(path, key);

        Assert.True(second.Resumed);
        Assert.Equal(["aave-users"], second.Stages);
        Assert.Equal("42", second.Get("aave-users")!["scannedThrough"]!.GetValue<string>());
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_dir).Select(Path.GetFileName));
        second.Complete();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_checkpoint_of_another_snapshot_is_refused_naming_the_file_and_what_it_holds()
    {
        var path = Path.Combine(_dir, "c.json");
        SnapshotCheckpoint.Open(path, SnapshotCheckpoint.KeyOf("block 100")).Put("s", new JsonObject(), "chain 1, block 100");

        var e = Assert.Throws<SnapshotCheckpointException>(() => SnapshotCheckpoint.Open(path, SnapshotCheckpoint.KeyOf("block 101")));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("chain 1, block 100", e.Message, StringComparison.Ordinal);
        Assert.Contains("--restart", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2]")]
    [InlineData("{\"schema\":\"something/else\",\"key\":\"k\",\"stages\":{}}")]
    public void A_file_that_is_not_a_checkpoint_is_refused_not_overwritten(string text)
    {
        var path = Path.Combine(_dir, "c.json");
        File.WriteAllText(path, text);

        var e = Assert.Throws<SnapshotCheckpointException>(() => SnapshotCheckpoint.Open(path, "k"));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void Keys_differ_for_different_identities_and_never_contain_them()
    {
        var a = SnapshotCheckpoint.KeyOf("chain 1 block 100 pools 0x01");
        Assert.NotEqual(a, SnapshotCheckpoint.KeyOf("chain 1 block 100 pools 0x02"));
        Assert.Equal(64, a.Length);
        Assert.DoesNotContain("block", a, StringComparison.Ordinal);
    }
}
