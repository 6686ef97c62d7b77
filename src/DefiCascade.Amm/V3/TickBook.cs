using System.Numerics;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Amm.V3;

/// <summary>The next tick a swap step walks to, as TickBitmap.nextInitializedTickWithinOneWord returns it.</summary>
/// <param name="Tick">The contract's `next` (not yet clamped to [MIN_TICK, MAX_TICK]).</param>
/// <param name="Initialized">Whether `next` is an initialized tick.</param>
/// <param name="Index">Index of `next` in the book when initialized, else -1.</param>
/// <param name="BeyondBook">The answer depends on ticks outside the window that was read.</param>
public readonly record struct NextTick(int Tick, bool Initialized, int Index, bool BeyondBook);

/// <summary>
/// The initialized ticks of a V3 pool, immutable and shared between clones (swaps never change
/// liquidityNet). Kept as a sorted int[] with a parallel liquidityNet array; the 256-bit bitmap words
/// of the contract are computed arithmetically from the compressed tick.
/// </summary>
public sealed class TickBook
{
    private readonly int[] _ticks;
    // liquidityNet per initialized tick, as the contract's int128 (range checked on construction).
    private readonly Int128[] _liquidityNet;

    public TickBook(int tickSpacing, IEnumerable<TickSnapshot> ticks, int? lower = null, int? upper = null)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        if (tickSpacing <= 0 || tickSpacing > 16384)
        {
            throw new ArgumentOutOfRangeException(nameof(tickSpacing), tickSpacing, "tick spacing must be in [1, 16384]");
        }

        if (lower.HasValue && upper.HasValue && lower.Value > upper.Value)
        {
            throw new ArgumentException($"tick book window [{lower}, {upper}] is empty");
        }

        // a tick with zero gross liquidity is not set in the bitmap: it does not exist for the swap.
        // ticks outside the window are dropped: the gaps between them and the window are unknown anyway.
        var initialized = ticks
            .Where(t => !t.LiquidityGross.IsZero && (lower is not { } lo || t.Index >= lo) && (upper is not { } hi || t.Index <= hi))
            .OrderBy(t => t.Index)
            .ToArray();
        _ticks = new int[initialized.Length];
        _liquidityNet = new Int128[initialized.Length];
        for (var i = 0; i < initialized.Length; i++)
        {
            var t = initialized[i];
            if (t.Index % tickSpacing != 0 || t.Index < TickMath.MinTick || t.Index > TickMath.MaxTick)
            {
                throw new ArgumentException($"tick {t.Index} is not a multiple of the spacing {tickSpacing} within [MIN_TICK, MAX_TICK]");
            }

            if (i > 0 && _ticks[i - 1] == t.Index)
            {
                throw new ArgumentException($"tick {t.Index} appears twice in the book");
            }

            if (t.LiquidityNet < LiquidityMath.Int128Min || t.LiquidityNet > LiquidityMath.Int128Max || t.LiquidityGross.Sign < 0)
            {
                throw new ArgumentException($"tick {t.Index} liquidity out of range");
            }

            _ticks[i] = t.Index;
            _liquidityNet[i] = (Int128)t.LiquidityNet;
        }

        TickSpacing = tickSpacing;
        Lower = lower is { } l && l > TickMath.MinTick ? l : null;
        Upper = upper is { } u && u < TickMath.MaxTick ? u : null;
    }

    public int TickSpacing { get; }

    /// <summary>Lowest tick from which the book is complete; null = complete down to MIN_TICK.</summary>
    public int? Lower { get; }

    /// <summary>Highest tick up to which the book is complete; null = complete up to MAX_TICK.</summary>
    public int? Upper { get; }

    public int Count => _ticks.Length;

    public int TickAt(int index) => _ticks[index];

    public BigInteger LiquidityNetAt(int index) => _liquidityNet[index];

    public Int128 LiquidityNetWordAt(int index) => _liquidityNet[index];

    /// <summary>
    /// TickBitmap.nextInitializedTickWithinOneWord(tick, tickSpacing, lte). lte: the greatest initialized
    /// tick at or below the compressed tick within its 256-tick word, else the word's first tick; otherwise
    /// the least initialized tick above it within the word of (compressed + 1), else that word's last tick.
    /// </summary>
    public NextTick NextInitializedTickWithinOneWord(int tick, bool lte)
    {
        var compressed = tick / TickSpacing;
        if (tick < 0 && tick % TickSpacing != 0)
        {
            compressed--; // round towards negative infinity, as the contract does
        }

        if (lte)
        {
            // bitPos = uint8(compressed % 256): the word starts at compressed - bitPos = (compressed >> 8) << 8.
            var wordStart = (compressed >> 8) << 8;
            var index = LastAtOrBelow(compressed * TickSpacing);
            if (index >= 0 && _ticks[index] >= wordStart * TickSpacing)
            {
                return new NextTick(_ticks[index], true, index, false);
            }

            var next = wordStart * TickSpacing;
            return new NextTick(next, false, -1, Lower.HasValue && next < Lower.Value);
        }
        else
        {
            var start = compressed + 1;
            var wordEnd = ((start >> 8) << 8) + 255;
            var index = FirstAtOrAbove(start * TickSpacing);
            if (index < _ticks.Length && _ticks[index] <= wordEnd * TickSpacing)
            {
                return new NextTick(_ticks[index], true, index, false);
            }

            var next = wordEnd * TickSpacing;
            return new NextTick(next, false, -1, Upper.HasValue && next > Upper.Value);
        }
    }

    /// <summary>Whether any initialized tick lies in the walk direction: at or below tick (lte), else above it.</summary>
    public bool HasInitializedTickToward(int tick, bool lte) =>
        lte ? LastAtOrBelow(tick) >= 0 : FirstAtOrAbove(tick + 1) < _ticks.Length;

    /// <summary>Whether the book was only read up to an edge in the walk direction.</summary>
    public bool IsBoundedToward(bool lte) => lte ? Lower.HasValue : Upper.HasValue;

    /// <summary>Index of the greatest tick &lt;= value, or -1.</summary>
    public int LastAtOrBelow(int value)
    {
        var i = Array.BinarySearch(_ticks, value);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>Index of the least tick &gt;= value, or Count.</summary>
    public int FirstAtOrAbove(int value)
    {
        var i = Array.BinarySearch(_ticks, value);
        return i >= 0 ? i : ~i;
    }
}
