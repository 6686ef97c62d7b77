using System.Numerics;
using DefiCascade.Simulation.Engine;

namespace DefiCascade.Replay;

/// <summary>One simulated block: its timestamp, the engine's actions in execution order and each pool's price after it.</summary>
public sealed record RecordedBlock(int Block, long Timestamp, IReadOnlyList<EngineAction> Actions, IReadOnlyList<BigInteger> PoolSqrtPricesX96);

/// <summary>Keeps the engine's action log for the chain executor.</summary>
public sealed class ActionRecorder : IActionLog
{
    private readonly List<RecordedBlock> _blocks = [];
    private List<EngineAction>? _current;
    private (int Block, long Timestamp) _open;

    public IReadOnlyList<RecordedBlock> Blocks => _blocks;

    public void BeginBlock(int block, long timestamp)
    {
        _current = [];
        _open = (block, timestamp);
    }

    public void Add(EngineAction action) =>
        (_current ?? throw new InvalidOperationException("an action outside a block")).Add(action);

    public void EndBlock(int block, IReadOnlyList<BigInteger> poolSqrtPricesX96)
    {
        if (_current is null || block != _open.Block)
        {
            throw new InvalidOperationException($"block {block} ended without beginning");
        }

        _blocks.Add(new RecordedBlock(block, _open.Timestamp, _current, poolSqrtPricesX96));
        _current = null;
    }
}
