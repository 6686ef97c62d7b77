using System.Numerics;
using DefiCascade.Simulation.Engine;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// The second bound of a (collateral, debt, e-mode) class, for accounts too large for
/// <see cref="PairBound"/>: a class whose probe rate beats the bonus only by a hair still cannot pay
/// at the sizes its large accounts would sell, and without this bound each of them takes the exact
/// pricing (quote, full sale, halvings) every block.
///
/// The ladder quotes the best sale exactly at sizes y_j = 2^j * y_0 (y_0 the probe's input) on the
/// current pools. A sale's proceeds per unit never rise with its size (every route's output is
/// concave and zero at zero; the best route's is the largest of them among routes that fill), so a
/// slice seizing C &gt;= y_j sells at a rate of at most r_j = out(y_j) / y_j. Seized and repaid are
/// tied by Aave's rounding: K * D - A &lt;= C &lt;= K * D + A (PairBound's K and A). A slice seizing
/// C in [y_j, y_(j+1)) thus repays D &lt;= (y_(j+1) + A) / K and its margin is at most
///   max(S_j, 0) * D + A * r_j + 2,   S_j = K * r_j - 1 - flash fee,
/// the first interval [0, y_1) taking the probe's rate like the exact path's own first test
/// (SmallestSliceThatMightPay). Once some S_j &lt;= 0 the bound holds for every larger size too.
/// An interval too coarse for the test is split at its geometric middle (a quote there) a few times.
/// An account is settled when every interval up to its largest possible seizure is below the gas
/// (and the USD rounding of the profit), and that seizure is known to fill (a larger ladder point
/// filled): then every slice the exact path could try loses, every sale it would make fills, and
/// its verdict is Unprofitable. Anything else goes to the exact path.
///
/// A ladder point that does not fill (the pools run dry before it) ends the ladder only for accounts
/// that could seize that much: no larger sale fills either. For a smaller account whose largest
/// seizure lies between the last point and that one, the ladder quotes at its largest seizure
/// instead, a point like any other (the argument holds for any increasing sizes, not only doublings).
/// </summary>
internal sealed class SizeLadder(PairBound bound, double probeIn, Func<BigInteger, RouteQuote> sell)
{
    // A ladder this long spans 2^40 probes (~1e14 USD at a 100 USD probe): every real position fits.
    private const int MaxPoints = 40;

    // A failing interval is split at its geometric middle up to this many times (to a ratio of 2^(1/8)).
    private const int RefineDepth = 3;

    // Ladder points so far (the probe is the first) and the last one's size and rate.
    private int _points;
    private double _lastSize;
    private double _lastRate;
    // Every slice seizing less than this is proven to lose (+infinity: every size).
    private double _settledBelow;
    // The largest size a ladder quote filled at; a smaller sale fills too.
    private double _filled;
    // The smallest size a ladder quote did not fill at; a larger sale does not fill either.
    private double _unfilled = double.PositiveInfinity;
    // An interval failed the test: the ladder proves nothing further.
    private bool _settleBroken;

    /// <summary>True when every slice of an account whose seizure is at most <paramref name="seizedMax"/> surely loses and every such sale fills.</summary>
    public bool Settles(double seizedMax)
    {
        if (_points == 0)
        {
            // y_0: the probe, at the probe's rate (the exact path's first test uses it for every size).
            (_points, _lastSize, _lastRate) = (1, probeIn, bound.R);
            _settledBelow = bound.R > 0 ? 0 : double.PositiveInfinity;
        }

        while (!Proven(seizedMax) && !(_settleBroken && _settledBelow < seizedMax) && _points < MaxPoints && Extend(seizedMax))
        {
        }

        return Proven(seizedMax);
    }

    private bool Proven(double seizedMax) => _settledBelow >= seizedMax && _filled >= seizedMax;

    // One exact best-route quote: whether it filled, the size sold and its rate out / in.
    private (bool Filled, double Size, double Rate) Sell(double size)
    {
        var quote = sell(new BigInteger(Math.Ceiling(size)));
        return quote.Filled && !quote.AmountIn.IsZero
            ? (true, (double)quote.AmountIn, (double)quote.AmountOut / (double)quote.AmountIn)
            : (false, 0, 0);
    }

    // True when every slice seizing in [low, high) loses, selling at most at lowRate (the rate at low).
    private bool IntervalLoses(double low, double lowRate, double high, int depth)
    {
        var repaid = ((high + bound.A) / bound.K * (1 + PairBound.Slack)) + 1;
        if (bound.Loses((Math.Max(bound.SlopeAt(lowRate), 0) * repaid) + (bound.A * lowRate) + 2))
        {
            return true;
        }

        if (depth == 0)
        {
            return false;
        }

        var (filled, middle, middleRate) = Sell(Math.Sqrt(low * high));
        return filled && IntervalLoses(low, lowRate, middle, depth - 1) && IntervalLoses(middle, middleRate, high, depth - 1);
    }

    // One more ladder point, or false when none can help this account (its largest seizure would not fill, or
    // lies below the last point while a doubling would not fill). Ends: a quote that does not fill lowers
    // _unfilled below the size tried, and every other call adds a point.
    private bool Extend(double seizedMax)
    {
        var (last, lastRate) = (_lastSize, _lastRate);
        // Once every size is settled only the fill is missing: jump to the first ladder point past the account.
        var next = last * 2;
        while (double.IsPositiveInfinity(_settledBelow) && next < seizedMax)
        {
            next *= 2;
        }

        // Past the smallest size known not to fill, only this account's own largest seizure may still fill.
        if (next >= _unfilled)
        {
            if (seizedMax >= _unfilled || seizedMax <= last)
            {
                return false;
            }

            next = seizedMax;
        }

        var (filled, size, rate) = Sell(next);
        if (!filled)
        {
            _unfilled = next;
            return true;
        }

        (_points, _lastSize, _lastRate) = (_points + 1, size, rate);
        _filled = Math.Max(_filled, size);
        if (_settleBroken || double.IsPositiveInfinity(_settledBelow))
        {
            return true;
        }

        // The interval [last, size) sells at most at the previous point's rate; split it where that is too coarse.
        if (!IntervalLoses(last, lastRate, size, RefineDepth))
        {
            _settleBroken = true;
            return true;
        }

        _settledBelow = size;
        // From here on every slice sells at most at this rate: with no gain per unit, every larger size loses alike.
        if (bound.SlopeAt(rate) <= 0 && bound.Loses((bound.A * rate) + 2))
        {
            _settledBelow = double.PositiveInfinity;
        }

        return true;
    }
}
