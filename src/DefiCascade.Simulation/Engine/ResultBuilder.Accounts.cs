using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The accounts' part of the result: every candidate below HF 1 or with a shortfall goes into the totals, the
/// per-reason tally, its debt reserves' bad debt, and is offered for the list. Most accounts' figures fit 128 bits
/// and are read without building their record: a frozen account's from its entry (its debt key and collateral,
/// no recompute), the others' from the 128-bit cache. Wider figures take the BigInteger path and their outcome.
/// </summary>
internal sealed partial class ResultBuilder
{
    // Adds a book's accounts; returns each debt reserve's bad debt.
    private ExactSum[] AddAccounts(LendingBook book, int b, OutcomeTally tally, Listing listing, ref BigInteger realized)
    {
        var badByReserve = new ExactSum[book.Market.Reserves.Count];
        var prices = NarrowPrices(book);
        var candidates = book.CandidateList();
        var realizedHere = BigInteger.Zero;

        // Frozen accounts first, from their entries (a candidate's listed index is its book and account: the
        // candidates are in account order); those done are marked so that the candidates' pass skips them. A frozen
        // account is a candidate (the screen misses no account below HF 1); the check keeps the set the candidates'.
        var done = new ulong[(book.Accounts.Length + 63) >> 6];
        foreach (ref readonly var entry in book.FrozenEntries)
        {
            var i = entry.Account;
            if ((done[i >> 6] & (1UL << (i & 63))) != 0 || !book.IsCandidate(i) || !book.FrozenTotals(entry, out var collateral))
            {
                continue;
            }

            done[i >> 6] |= 1UL << (i & 63);
            AddNarrow(book, b, i, below: true, collateral, entry.DebtKey, entry.BorrowMask, prices, badByReserve, tally, listing, ref realizedHere);
        }

        for (var k = 0; k < candidates.Count; k++)
        {
            var i = candidates[k];
            if ((done[i >> 6] & (1UL << (i & 63))) != 0)
            {
                continue;
            }

            var (below, collateral, debt, wide) = book.Totals(i);
            if (!wide)
            {
                AddNarrow(book, b, i, below, collateral, debt, book.ReserveMasks(i).Borrowing, prices, badByReserve, tally, listing, ref realizedHere);
                continue;
            }

            var data = book.PeekAccountData(i);
            var shortfall = BigInteger.Max(BigInteger.Zero, data.TotalDebtBase - data.TotalCollateralBase);
            if (data.HealthFactor >= WadRayMath.Wad && shortfall.IsZero)
            {
                continue;
            }

            if (data.TotalCollateralBase.IsZero)
            {
                realizedHere += data.TotalDebtBase;
            }

            Attribute(book, i, shortfall, data.TotalDebtBase, badByReserve);
            var outcome = Outcome(book, b, i, data, shortfall);
            tally.Add(outcome);
            listing.Offer(ListedKey.Of(outcome, ListedKey.IndexOf(b, i)));
        }

        realized += realizedHere;
        return badByReserve;
    }

    // An account whose figures fit 128 bits: skipped when above HF 1 without a shortfall; else counted, attributed and
    // offered for the list as a key (its outcome is built only if it is listed).
    private void AddNarrow(LendingBook book, int b, int i, bool below, UInt128 collateral, UInt128 debt, int borrowing, (U256 Price, U256 Unit)[]? prices, ExactSum[] badByReserve, OutcomeTally tally, Listing listing, ref BigInteger realized)
    {
        if (!below && debt <= collateral)
        {
            return;
        }

        var shortfall = debt > collateral ? debt - collateral : UInt128.Zero;
        if (collateral == UInt128.Zero)
        {
            realized += debt;
        }

        Attribute(book, i, shortfall, debt, borrowing, prices, badByReserve);
        var reason = collateral == UInt128.Zero ? UnliquidatableReason.NoCollateral : bot.LastReason(b, i);
        tally.Add(shortfall, below, reason, debt, collateral);
        listing.Offer(new ListedKey(b, i, ListedKey.IndexOf(b, i), shortfall, debt, null));
    }

    // Each reserve's oracle price and unit as 256-bit words, for attributing shortfalls without BigInteger; null when
    // one does not fit (the BigInteger path then).
    private static (U256 Price, U256 Unit)[]? NarrowPrices(LendingBook book)
    {
        var prices = new (U256, U256)[book.Market.Reserves.Count];
        for (var r = 0; r < prices.Length; r++)
        {
            var (price, unit) = (book.Oracle.Prices[r], book.Market.Reserves[r].Token.Unit);
            if (price.Sign < 0 || price.GetBitLength() > 256 || unit.Sign <= 0 || unit.GetBitLength() > 256)
            {
                return null;
            }

            prices[r] = (U256.From(price), U256.From(unit));
        }

        return prices;
    }

    // Attribute's arithmetic on an account whose figures fit 128 bits: floor(debt * price / unit), then
    // floor(shortfall * that / total debt), each over the full product, as the BigInteger path computes them.
    private static void Attribute(LendingBook book, int i, UInt128 shortfall, UInt128 totalDebt, int borrowing, (U256 Price, U256 Unit)[]? prices, ExactSum[] badByReserve)
    {
        if (prices is null)
        {
            Attribute(book, i, (BigInteger)shortfall, totalDebt, badByReserve);
            return;
        }

        if (shortfall == UInt128.Zero || totalDebt == UInt128.Zero)
        {
            return;
        }

        // Only the reserves the account borrows (their bits) hold a debt: the cache's debt term is zero elsewhere.
        for (var bits = borrowing; bits != 0; bits &= bits - 1)
        {
            var r = BitOperations.TrailingZeroCount(bits);
            var debt = book.Balances(i, r).Debt;
            if (debt != UInt128.Zero)
            {
                var debtBase = U256.MulDiv(debt, prices[r].Price, prices[r].Unit, Rounding.Down);
                var part = U256.MulDiv(shortfall, debtBase, totalDebt, Rounding.Down);
                if (part.Fits128)
                {
                    badByReserve[r].Add((UInt128)part);
                }
                else
                {
                    badByReserve[r].Add((BigInteger)part);
                }
            }
        }
    }

}
