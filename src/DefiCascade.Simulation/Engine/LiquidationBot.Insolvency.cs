using System.Numerics;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The block's insolvency figures (ResultBuilder.Insolvency) tallied in the bot's first pass, which
/// reads every candidate's exact data anyway: the block record then needs no second pass over tens
/// of thousands of candidates. Accounts liquidated in the block are taken out at their figures before
/// their first liquidation and put back at their figures after the block's last, if still candidates.
/// The tally is the book's insolvency memo for the book's <see cref="LendingBook.Version"/> at the end
/// of the bot's work; anything changing the book after that (a steward's new thresholds) bumps the
/// version, and the record computes the figures afresh.
/// </summary>
public sealed partial class LiquidationBot
{
    private InsolvencyTally _tally;
    private readonly Dictionary<int, (int Below, BigInteger Shortfall)> _beforeLiquidation = [];

    private void BeginTally(InsolvencyTally start = default)
    {
        _tally = start;
        _beforeLiquidation.Clear();
    }

    // Before account i's liquidation: the figures the pass tallied for it, taken out at the end (first liquidation only).
    private void BeforeLiquidation(LendingBook book, int i)
    {
        if (!_beforeLiquidation.ContainsKey(i))
        {
            var figures = new InsolvencyTally();
            figures.Add(book, i);
            _beforeLiquidation[i] = (figures.Below, figures.Shortfall);
        }
    }

    private void EndTally(LendingBook book)
    {
        var (below, shortfall) = (_tally.Below, _tally.Shortfall);
        foreach (var (i, before) in _beforeLiquidation)
        {
            (below, shortfall) = (below - before.Below, shortfall - before.Shortfall);
            if (book.IsCandidate(i))
            {
                var after = new InsolvencyTally();
                after.Add(book, i);
                (below, shortfall) = (below + after.Below, shortfall + after.Shortfall);
            }
        }

        book.InsolvencyMemo = (book.Version, below, shortfall);
    }
}
