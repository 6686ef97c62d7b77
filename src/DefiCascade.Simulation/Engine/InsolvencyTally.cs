using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Accounts below HF 1 and their total shortfall (debt over collateral, USD 8 decimals) by the exact
/// model, summed account by account: the per-block insolvency series. Shortfalls of accounts whose
/// totals fit 128 bits (each under 2^106) sum in 128 bits; the others go through BigInteger.
/// </summary>
internal struct InsolvencyTally
{
    private UInt128 _narrow;
    private BigInteger _wide;

    public int Below;

    public readonly BigInteger Shortfall => _wide + _narrow;

    /// <summary>A tally that starts from figures already summed.</summary>
    public static InsolvencyTally Of(int below, BigInteger shortfall) => new() { Below = below, _wide = shortfall };

    /// <summary>Adds an account surely below HF 1 and surely solvent (no shortfall): LendingBook.CertainBelowSolvent.</summary>
    public void AddBelowSolvent() => Below++;

    /// <summary>Adds an account surely below HF 1 with its exact shortfall (a frozen account: LendingBook.StillCertain).</summary>
    public void AddBelow(UInt128 shortfall)
    {
        Below++;
        _narrow += shortfall;
    }

    /// <summary>Adds a tally of other accounts (a pass's share from another thread).</summary>
    public void Merge(in InsolvencyTally other)
    {
        Below += other.Below;
        _narrow += other._narrow;
        _wide += other._wide;
    }

    /// <summary>Adds account <paramref name="i"/> of <paramref name="book"/> at the current oracle prices.</summary>
    public void Add(LendingBook book, int i)
    {
        var totals = book.Totals(i);
        if (!totals.Wide)
        {
            Below += totals.Below ? 1 : 0;
            _narrow += totals.Debt > totals.Collateral ? totals.Debt - totals.Collateral : UInt128.Zero;
            return;
        }

        var data = book.AccountData(i);
        Below += data.HealthFactor < WadRayMath.Wad ? 1 : 0;
        if (data.TotalDebtBase > data.TotalCollateralBase)
        {
            _wide += data.TotalDebtBase - data.TotalCollateralBase;
        }
    }
}
