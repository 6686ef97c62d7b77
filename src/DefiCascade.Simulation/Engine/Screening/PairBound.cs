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
internal readonly record struct PairBound(UnliquidatableReason? ProbeReason, double P, double K, double A, double R, double S, double Gas)
{
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
        if (Unusable)
        {
            return false;
        }

        // Amounts far from zero (bonus < 2): repaid D >= ~debt / 2 or, capped, ~collateral / (P * bonus); seized ~D * P.
        if (debt * P < 1e3 || collateral < 1e3 || collateral < 1e3 * P * 2)
        {
            return false;
        }

        if (ProbeReason is not null)
        {
            return true;
        }

        var bound = (Math.Max(S, 0) * debt) + (A * R) + 1;
        return Gas >= 1 && (bound * (1 + Slack)) + 1 < Gas;
    }
}
