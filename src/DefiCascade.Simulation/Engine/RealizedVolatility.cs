using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Annualized realized volatility of one price series over a window of blocks, in integers so every
/// machine gets the same number: per block the simple return r = (p - p_prev) / p_prev in wad
/// (truncated toward zero), and vol = sqrt(sum of r^2 over the window x blocks per year / window),
/// in basis points, rounded down. Not demeaned (realized volatility in the usual sense): a steady
/// fall counts, which is what a risk steward wants to see. The window starts full of zero returns:
/// the price is taken as steady before the snapshot.
/// </summary>
internal sealed class RealizedVolatility
{
    private static readonly BigInteger WadSquared = WadRayMath.Wad * WadRayMath.Wad;

    private readonly int _window;
    private readonly long _blocksPerYear;
    private readonly Queue<BigInteger> _squares = new();
    private BigInteger _sum;
    private BigInteger _last;

    public RealizedVolatility(BigInteger start, int windowBlocks, int blockSeconds)
    {
        if (start.Sign <= 0 || windowBlocks < 1 || blockSeconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(start), "a volatility needs a positive start price, window and block time");
        }

        _last = start;
        _window = windowBlocks;
        _blocksPerYear = 365L * 86_400 / blockSeconds;
        for (var k = 0; k < windowBlocks; k++)
        {
            _squares.Enqueue(BigInteger.Zero);
        }
    }

    /// <summary>Sum of squared wad returns over the window (wad^2 = 1e36 is a squared return of 100%).</summary>
    public BigInteger SumOfSquares => _sum;

    /// <summary>Annualized volatility in basis points, floor(sqrt(sum x blocksPerYear x 1e8 / (window x 1e36))), at most int.MaxValue.</summary>
    public long Bps => (long)BigInteger.Min(UInt256.Sqrt(_sum * _blocksPerYear * 100_000_000 / (_window * WadSquared)), int.MaxValue);

    /// <summary>Takes one block's price (call once per block, after the oracles update).</summary>
    public void Observe(BigInteger price)
    {
        var r = (price - _last) * WadRayMath.Wad / _last;
        var square = r * r;
        _squares.Enqueue(square);
        _sum += square - _squares.Dequeue();
        _last = price.Sign > 0 ? price : BigInteger.One;
    }
}
