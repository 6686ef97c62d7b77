using System.Numerics;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// The accounts the result lists: the largest shortfall first, then the largest debt, then user address, then book
/// and account order. A large cascade leaves tens of thousands of accounts below HF 1 and lists a hundred, so the
/// builder keeps them in a bounded heap of keys and builds the full outcome only for the accounts that make the list.
/// </summary>
internal sealed partial class ResultBuilder
{
    /// <summary>
    /// An account offered for the list: its shortfall and debt in 128 bits and where it is (book, account), or, for
    /// figures past 128 bits, its full outcome; <c>Index</c> orders full ties (the builder's: book, then account).
    /// </summary>
    internal readonly record struct ListedKey(int Book, int Account, long Index, UInt128 Shortfall, UInt128 Debt, AccountOutcome? Outcome)
    {
        public static ListedKey Of(AccountOutcome outcome, long index) => new(-1, -1, index, UInt128.Zero, UInt128.Zero, outcome);

        /// <summary>The tie-break of account <paramref name="i"/> of book <paramref name="b"/>: book order, then account order.</summary>
        public static long IndexOf(int b, int i) => ((long)b << 32) | (uint)i;

        public BigInteger ShortfallValue => Outcome?.ShortfallUsd ?? Shortfall;

        public BigInteger DebtValue => Outcome?.DebtUsd ?? Debt;
    }

    /// <summary>The bounded heap: its head is the account listed last of those kept (the one to drop first).</summary>
    internal sealed class Listing : IComparer<ListedKey>
    {
        private readonly int _n;
        private readonly Func<int, int, string>? _userOf;
        private readonly PriorityQueue<ListedKey, ListedKey> _kept;

        /// <summary>A listing of <paramref name="n"/> accounts; <paramref name="userOf"/> gives the user address of (book, account) for keys without an outcome.</summary>
        public Listing(int n, Func<int, int, string>? userOf)
        {
            (_n, _userOf) = (n, userOf);
            _kept = new PriorityQueue<ListedKey, ListedKey>(n, this);
        }

        public void Offer(ListedKey key)
        {
            if (_n <= 0)
            {
                return;
            }

            if (_kept.Count < _n)
            {
                _kept.Enqueue(key, key);
            }
            else if (Compare(key, _kept.Peek()) > 0)
            {
                // One comparison with the head when the account does not make the list.
                _kept.DequeueEnqueue(key, key);
            }
        }

        /// <summary>The kept accounts in the listing order.</summary>
        public List<ListedKey> Listed()
        {
            var listed = new List<ListedKey>(_kept.Count);
            while (_kept.Count > 0)
            {
                listed.Add(_kept.Dequeue());
            }

            listed.Reverse();
            return listed;
        }

        // Positive when x is listed before y (the heap's comparer orders the head last: Compare is its order).
        public int Compare(ListedKey x, ListedKey y)
        {
            int order;
            if (x.Outcome is null && y.Outcome is null)
            {
                order = x.Shortfall != y.Shortfall ? x.Shortfall.CompareTo(y.Shortfall) : x.Debt.CompareTo(y.Debt);
            }
            else
            {
                var (xs, ys) = (x.ShortfallValue, y.ShortfallValue);
                order = xs != ys ? xs.CompareTo(ys) : x.DebtValue.CompareTo(y.DebtValue);
            }

            return order != 0 ? order
                : string.CompareOrdinal(UserOf(y), UserOf(x)) is var byUser && byUser != 0 ? byUser
                : y.Index.CompareTo(x.Index);
        }

        private string UserOf(ListedKey key) => key.Outcome?.User.Hex ?? _userOf!(key.Book, key.Account);
    }
}
