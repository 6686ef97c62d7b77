namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// Which accounts of a book must be screened again after oracle prices move. An account screened
/// at health factor h &gt;= threshold T can only fall below T after some price moved by a factor
/// beyond e^(±x) with x = ln(h / T) / 2 (every collateral price down by e^-x and every debt price
/// up by e^x at worst). The schedule keeps a clock that adds, per oracle update, the largest
/// absolute log move of any reserve, and re-screens an account only when the clock passes its
/// screen time plus its x. The same holds the other way for an account below T (a candidate): it
/// can only rise to T after a move beyond e^(±x) with x = ln(T / h) / 2, so deep candidates are not
/// re-screened either; their screen value may be stale, only their side of T is guaranteed (exact
/// figures come from the exact model). So the set of accounts below T is the one a full rescan
/// finds (ScreeningTests checks it), at a cost that follows the accounts near T instead of the
/// book size or the depth of the cascade.
/// </summary>
internal sealed class ScreenSchedule
{
    // Relative and absolute slack over double rounding of the logs and the screen (~1e-15).
    private const double RelativeSlack = 1e-9;
    private const double AbsoluteSlack = 1e-12;

    private readonly double _threshold;
    private readonly double[] _deadline;
    private readonly bool[] _candidate;
    private readonly PriorityQueue<int, double> _due = new();
    private readonly List<int> _candidates = [];
    private double[] _logPrices = [];
    // Accounts in _candidates; an account that left the candidates is dropped lazily (_stale).
    private readonly bool[] _listed;
    private bool _sorted = true;
    private bool _stale;

    public ScreenSchedule(int accounts, double threshold)
    {
        _threshold = threshold;
        _deadline = new double[accounts];
        _candidate = new bool[accounts];
        _listed = new bool[accounts];
    }

    /// <summary>Sum of the largest absolute log price move of every oracle update so far.</summary>
    public double Clock { get; private set; }

    /// <summary>Accounts whose last screen is below the threshold, in ascending order.</summary>
    public List<int> Candidates
    {
        get
        {
            if (_stale)
            {
                _candidates.RemoveAll(i => !_candidate[i] && !(_listed[i] = false));
                _stale = false;
            }

            if (!_sorted)
            {
                _candidates.Sort();
                _sorted = true;
            }

            return _candidates;
        }
    }

    /// <summary>Starts the clock's price reference without moving it (the first full screen).</summary>
    public void Reset(double[] prices) => _logPrices = prices.Select(p => Math.Log(p)).ToArray();

    /// <summary>Moves the clock by the largest absolute log move from the last prices.</summary>
    public void Advance(double[] prices)
    {
        var largest = 0.0;
        for (var r = 0; r < prices.Length; r++)
        {
            var log = Math.Log(prices[r]);
            largest = Math.Max(largest, Math.Abs(log - _logPrices[r]));
            _logPrices[r] = log;
        }

        Clock += (largest * (1 + RelativeSlack)) + AbsoluteSlack;
    }

    /// <summary>Records a fresh screen of account <paramref name="i"/> at the current clock.</summary>
    public void Place(int i, double healthFactor)
    {
        var below = !(healthFactor >= _threshold);
        if (below != _candidate[i])
        {
            _candidate[i] = below;
            if (below && !_listed[i])
            {
                _candidates.Add(i);
                _listed[i] = true;
                _sorted = false;
            }

            _stale |= !below;
        }

        // No debt (infinite) or no weighted collateral (zero): no price move can carry it across T.
        if (double.IsPositiveInfinity(healthFactor) || !(healthFactor > 0))
        {
            _deadline[i] = double.PositiveInfinity;
            return;
        }

        var tolerance = Math.Abs(Math.Log(healthFactor / _threshold)) / 2;
        _deadline[i] = Clock + (tolerance * (1 - RelativeSlack)) - AbsoluteSlack;
        _due.Enqueue(i, _deadline[i]);
    }

    /// <summary>Accounts to screen again now: every account, candidate or not, whose tolerance the clock passed.</summary>
    public List<int> TakeDue()
    {
        var due = new List<int>();
        while (_due.TryPeek(out var i, out var deadline) && deadline <= Clock)
        {
            _due.Dequeue();
            // A later screen replaced this entry.
            if (deadline == _deadline[i])
            {
                _deadline[i] = double.PositiveInfinity;
                due.Add(i);
            }
        }

        return due;
    }
}
