namespace DefiCascade.Simulation.Sweeps;

/// <summary>One point of the grid: its index in cell order and one value per axis.</summary>
public sealed record SweepCell(int Index, IReadOnlyList<decimal> Values);

/// <summary>
/// The cross product of the axes in row-major order: the first axis changes slowest and the last fastest,
/// so cell 0 takes every axis's first value. A cell's index depends only on the grid, which is what lets
/// shards be cut and merged by index.
/// </summary>
public sealed class SweepGrid
{
    public SweepGrid(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentOutOfRangeException.ThrowIfZero(axes.Count);
        Axes = axes;
        CellCount = checked(axes.Aggregate(1, (n, a) => n * a.Values.Count));
    }

    public IReadOnlyList<SweepAxis> Axes { get; }

    public int CellCount { get; }

    public SweepCell Cell(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CellCount);
        var values = new decimal[Axes.Count];
        var rest = index;
        for (var a = Axes.Count - 1; a >= 0; a--)
        {
            var count = Axes[a].Values.Count;
            values[a] = Axes[a].Values[rest % count];
            rest /= count;
        }

        return new SweepCell(index, values);
    }

    /// <summary>Cells of shard k of n (1-based k): those whose index is k - 1 modulo n, in cell order.</summary>
    public IEnumerable<SweepCell> Cells(int shard = 1, int shards = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shard, shards);
        for (var i = shard - 1; i < CellCount; i += shards)
        {
            yield return Cell(i);
        }
    }

    /// <summary>"reserve:WETH:liquidationThreshold=8250, scenario:gasPriceGwei=100", for progress lines.</summary>
    public string Describe(SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return string.Join(", ", Axes.Select((a, i) => $"{a.Id}={SweepAxis.Format(cell.Values[i])}"));
    }
}
