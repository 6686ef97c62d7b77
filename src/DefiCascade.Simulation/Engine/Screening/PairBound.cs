using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine.Screening;

/// <summary>
/// What the liquidator's first test (SmallestSliceThatMightPay) can conclude for one (collateral,
/// debt, e-mode) class on the current pools, before any account is quoted. Either the probe sale
/// fails for everyone (<see cref="ProbeReason"/>), or an upper bound on the full slice's margin
/// holds for every account of the class:
///   seized C &lt;= K * repaid D + A (Aave's products with their roundings, bonus, protocol fee),
///   margin = floor(C * out / in) - D - percentMul(D, flash fee) &lt;= D * S + A * R + 1,
/// with R the probe's rate out/in and S = K * R - 1 - flash fee. When S &lt;= 0 and A * R + 1 is
/// below the gas, no account of the class passes the test, whatever its size.
/// </summary>
/// <remarks>
/// The exact test is on the profit in USD, which truncates toward zero: a loss smaller than one
/// USD unit (1e-8) in debt units (<see cref="DebtPerUsd"/>) passes it, so the bound must clear that too.
/// Accounts too large for this bound may still be settled by the class's <see cref="SizeLadder"/>.
/// </remarks>
internal readonly record struct PairBound(UnliquidatableReason? ProbeReason, double P, double K, double A, double R, double S, double Gas)
{
    /// <summary>The flash-loan fee as a fraction.</summary>
    public double FlashFee { get; init; }

    /// <summary>Debt raw units per USD unit of 1e-8 at external prices: the profit test's rounding.</summary>
    public double DebtPerUsd { get; init; }

    /// <summary>The class's size ladder on the current pools (null: none applies).</summary>
    public SizeLadder? Ladder { get; init; }

    // Relative slack over the double rounding of prices, units and rates (~1e-15 each).
    public const double Slack = 1e-9;

    public bool Unusable => double.IsNaN(P);

    public static PairBound None { get; } = new(null, double.NaN, 0, 0, 0, 0, 0);

    /// <summary>
    /// True when the pair surely yields no plan for an account with this much collateral and debt
    /// (raw units), and the protocol surely accepts its full-slice quote (no zero amount anywhere).
    /// </summary>
    public bool SurelyFails(double collateral, double debt)
    {
        if (Unusable || !FarFromZero(collateral, debt, P))
        {
            return false;
        }

        if (ProbeReason is not null)
        {
            return true;
        }

        return Loses((Math.Max(S, 0) * debt) + (A * R) + 1);
    }

    /// <summary>
    /// <see cref="SurelyFails"/> for every account whose amounts are <see cref="FarFromZero"/>, whatever its
    /// size: the probe fails, or a unit sold gains nothing (S &lt;= 0) and the rounding terms lose to the gas.
    /// </summary>
    public bool FailsAtEverySize => !Unusable && (ProbeReason is not null || (S <= 0 && Loses((A * R) + 1)));

    /// <summary>
    /// Amounts far from zero (bonus &lt; 2): repaid D &gt;= ~debt / 2 or, capped, ~collateral / (P * bonus);
    /// seized ~D * P. False for an unusable class (P is NaN).
    /// </summary>
    public static bool FarFromZero(double collateral, double debt, double p) =>
        debt * p >= 1e3 && collateral >= 1e3 && collateral >= 1e3 * p * 2;

    /// <summary>
    /// True when the ladder proves the account loses at every slice: amounts far enough from zero that
    /// every slice the exact path tries is accepted by the protocol, and every size up to its largest
    /// possible seizure settled.
    /// </summary>
    public bool LadderSettles(double collateral, double debt)
    {
        if (Ladder is null || Unusable || ProbeReason is not null || R <= 0 || K <= 0)
        {
            return false;
        }

        // The exact path's smallest slice repays at least gas / (2 K R) and seizes at least gas / (2 R) - A.
        var small = A / K;
        if (Gas < 1e3 || Gas / (2 * K * R) < 1e3 || (Gas / (2 * R)) - A < 1e3 || debt * 0.5 < 4 * small || collateral / (4 * P) < 4 * small)
        {
            return false;
        }

        return Ladder.Settles(SeizedMax(collateral, debt));
    }

    /// <summary>
    /// The largest debt (raw units) at which the first bound still loses for a usable class whose probe sold:
    /// every debt up to it makes S * debt + A * R + 1 lose to the gas (the sum only grows with the debt, in
    /// doubles too). Infinity when S &lt;= 0 and the rounding terms lose (every size fails); 0 when no debt does.
    /// </summary>
    public double DebtLimit()
    {
        if (Unusable || ProbeReason is not null || !Loses((A * R) + 1))
        {
            return 0;
        }

        if (S <= 0)
        {
            return double.PositiveInfinity;
        }

        // Loses(m): m * (1 + Slack) + 1 + DebtPerUsd * (1 + Slack) < Gas; m = S * debt + A * R + 1. Solved, then shrunk and checked.
        var margin = ((Gas - 1 - (DebtPerUsd * (1 + Slack))) / (1 + Slack)) - (A * R) - 1;
        var debt = margin / S * (1 - 1e-9);
        return debt > 0 && Loses((S * debt) + (A * R) + 1) ? debt : 0;
    }

    /// <summary>The most any slice of an account with this collateral and debt (raw units) can seize.</summary>
    public double SeizedMax(double collateral, double debt) => (Math.Min(collateral, (K * debt) + A) * (1 + Slack)) + 1;

    /// <summary>Margin per unit repaid at sale rate <paramref name="rate"/>, rounded up.</summary>
    public double SlopeAt(double rate) => (K * rate * (1 + Slack)) - 1 - (FlashFee * (1 - Slack));

    /// <summary>True when a slice whose margin (debt units) is at most <paramref name="margin"/> surely fails the profit test.</summary>
    public bool Loses(double margin) => Gas >= 1 && (margin * (1 + Slack)) + 1 + (DebtPerUsd * (1 + Slack)) < Gas;
}
