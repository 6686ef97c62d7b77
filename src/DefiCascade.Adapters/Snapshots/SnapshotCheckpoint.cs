using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefiCascade.Adapters.Snapshots;

/// <summary>
/// Progress of one snapshot run kept in a small JSON file, so an interrupted run resumes instead of starting over:
/// stages (users scanned through block N, positions read so far) are stored by name, each write atomic (temp file +
/// rename). The file is keyed by what the snapshot is of (chain, block, selectors; never the RPC URL): a checkpoint of
/// another snapshot is refused, not silently mixed in.
/// </summary>
public sealed class SnapshotCheckpoint
{
    public const string Schema = "defi-cascade/snapshot-checkpoint/v1";

    private readonly JsonObject _stages;

    private SnapshotCheckpoint(string? path, string key, JsonObject stages, bool resumed)
    {
        Path = path;
        Key = key;
        _stages = stages;
        Resumed = resumed;
    }

    /// <summary>Null for an in-memory checkpoint (nothing persisted).</summary>
    public string? Path { get; }

    public string Key { get; }

    /// <summary>True when the file held progress of this same snapshot.</summary>
    public bool Resumed { get; }

    public IReadOnlyCollection<string> Stages => _stages.Select(s => s.Key).ToArray();

    /// <summary>A key from the identity of a snapshot (chain id, block, selectors), never from secrets.</summary>
    public static string KeyOf(string identity) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));

    public static SnapshotCheckpoint InMemory(string key) => new(null, key, [], false);

    /// <summary>Opens <paramref name="path"/> when it holds this snapshot's progress, else starts a new one there.</summary>
    public static SnapshotCheckpoint Open(string path, string key)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return new SnapshotCheckpoint(path, key, [], false);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new SnapshotCheckpointException($"checkpoint {path} is not a snapshot checkpoint ({e.Message}); delete it or pass --restart");
        }

        if (root["schema"]?.GetValue<string>() != Schema || root["stages"] is not JsonObject stages)
        {
            throw new SnapshotCheckpointException($"checkpoint {path}: field 'schema' is not {Schema} or 'stages' is missing; delete it or pass --restart");
        }

        if (root["key"]?.GetValue<string>() != key)
        {
            throw new SnapshotCheckpointException(
                $"checkpoint {path} holds the progress of another snapshot ({root["describes"]?.GetValue<string>() ?? "unknown"}); delete it or pass --restart");
        }

        root.Remove("stages");
        return new SnapshotCheckpoint(path, key, stages, true);
    }

    public JsonNode? Get(string stage) => _stages[stage];

    /// <summary>Records a stage's progress and persists the file atomically.</summary>
    public void Put(string stage, JsonNode value, string describes)
    {
        ArgumentNullException.ThrowIfNull(value);
        _stages[stage] = value;
        if (Path is null)
        {
            return;
        }

        var root = new JsonObject
        {
            ["schema"] = Schema,
            ["key"] = Key,
            ["describes"] = describes,
            ["stages"] = _stages.DeepClone(),
        };
        var temp = $"{Path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, root.ToJsonString(), new UTF8Encoding(false));
            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>The snapshot is written: the progress is no longer needed.</summary>
    public void Complete()
    {
        if (Path is not null && File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}

/// <summary>A checkpoint file that cannot be used for this run; the message names the file and what to do.</summary>
public sealed class SnapshotCheckpointException(string message) : Exception(message);
