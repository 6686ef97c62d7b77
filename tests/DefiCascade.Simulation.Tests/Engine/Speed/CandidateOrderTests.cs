using System.Numerics;
using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// The kept-between-blocks order must equal a plain sort (debt descending, account ascending) every block,
/// whatever the previous block left: nearly sorted rounds, shuffled rounds, ties, and debts past 64 bits (the
/// primitive 64-bit sort then gives way to the 128-bit one) and past 128 bits (BigInteger keys).
/// </summary>
public sealed class CandidateOrderTests
{
    [Fact]
    public void Every_block_equals_a_plain_sort_of_that_blocks_accounts()
    {
        const int accounts = 400;
        var random = new Random(20261122);
        var order = new CandidateOrder(accounts);
        var debts = Enumerable.Range(0, accounts).Select(_ => new BigInteger(random.Next(1, 1_000_000))).ToArray();
        var mismatches = 0;
        for (var round = 0; round < 500; round++)
        {
            // most rounds move a few debts (a deep cascade), some reshuffle all, some hold debts past 2^128 or ties.
            var moves = round % 10 == 0 ? accounts : 5;
            for (var k = 0; k < moves; k++)
            {
                var a = random.Next(accounts);
                debts[a] = round % 7 == 0 && k == 0 ? (BigInteger.One << 130) + random.Next(3)
                    : round % 3 == 0 && k == 1 ? (BigInteger.One << 70) + random.Next(3)
                    : round % 5 == 0 ? new BigInteger(random.Next(1, 4))
                    : new BigInteger(random.Next(1, 1_000_000));
            }

            var present = Enumerable.Range(0, accounts).Where(_ => random.Next(10) != 0).OrderBy(_ => random.Next()).ToArray();
            order.Begin();
            foreach (var a in present)
            {
                order.Add(a, debts[a]);
            }

            var expected = present.OrderByDescending(a => debts[a]).ThenBy(a => a).ToList();
            if (!expected.SequenceEqual(order.Ordered()))
            {
                mismatches++;
            }
        }

        Assert.Equal(0, mismatches);
    }

    /// <summary>
    /// Rounds listed as shares whose first entries are already in the competition order (the frozen list's
    /// sorted part): the round must equal a plain sort, keys and tags included, with one or several runs,
    /// keys past 64 bits among the rest, and runs that are deliberately out of order (the order checks each
    /// run as it merges it and then sorts the whole round instead).
    /// </summary>
    [Fact]
    public void Rounds_with_sorted_runs_equal_a_plain_sort_and_a_run_out_of_order_is_caught()
    {
        const int accounts = 600;
        var random = new Random(20261208);
        var order = new CandidateOrder(accounts);
        var mismatches = 0;
        for (var round = 0; round < 300; round++)
        {
            var shares = 1 + (round % 3);
            var present = Enumerable.Range(0, accounts).Where(_ => random.Next(8) != 0).OrderBy(_ => random.Next()).ToArray();
            var debts = present.ToDictionary(a => a, _ => round % 4 == 1 && random.Next(20) == 0
                ? (UInt128.One << 70) + (UInt128)random.Next(3)
                : (UInt128)random.Next(1, round % 5 == 0 ? 4 : 1_000_000));
            order.Begin();
            var size = (present.Length / shares) + 1;
            for (var w = 0; w < shares; w++)
            {
                var share = present.Skip(w * size).Take(size).ToList();
                // The share's first part is its run: sorted (or, every 7th round, left shuffled), the rest in any order.
                var runLength = random.Next(share.Count + 1);
                var run = share.Take(runLength).ToList();
                if (round % 7 != 3)
                {
                    run = [.. run.OrderByDescending(a => debts[a]).ThenBy(a => a)];
                }

                var entries = run.Concat(share.Skip(runLength)).Select(a => new CandidateOrder.Entry(debts[a], a, a % 5)).ToList();
                order.Listed(entries, runLength);
            }

            var expected = present.OrderByDescending(a => debts[a]).ThenBy(a => a).ToList();
            var ordered = order.Ordered();
            var same = expected.SequenceEqual(ordered)
                && Enumerable.Range(0, ordered.Count).All(k => order.SummaryAt(k).DebtKey == debts[ordered[k]] && order.TagAt(k) == ordered[k] % 5);
            mismatches += same ? 0 : 1;
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Carried_rounds_keep_last_rounds_members_with_their_keys_and_tags_and_merge_the_readded_ones()
    {
        // A fresh round, then carried rounds: a few members dropped, a few added again with a new debt and tag,
        // some newcomers; after each, the sequence, every position's key and tag must be a plain sort's.
        const int accounts = 300;
        var random = new Random(20261207);
        var order = new CandidateOrder(accounts);
        var members = new Dictionary<int, (BigInteger Debt, int Tag)>();
        var mismatches = 0;
        for (var round = 0; round < 400; round++)
        {
            if (round % 8 == 0)
            {
                members.Clear();
                order.Begin();
                foreach (var a in Enumerable.Range(0, accounts).Where(_ => random.Next(4) != 0).OrderBy(_ => random.Next()))
                {
                    var debt = Debt(random, round);
                    members[a] = (debt, debt.GetBitLength() > 128 ? -1 : random.Next(-2, 6));
                    Add(order, a, members[a]);
                }
            }
            else
            {
                order.Carry();
                foreach (var a in Enumerable.Range(0, accounts).Where(_ => random.Next(30) == 0).OrderBy(_ => random.Next()))
                {
                    if (random.Next(2) == 0)
                    {
                        members.Remove(a);
                        order.Drop(a);
                    }
                    else
                    {
                        var debt = Debt(random, round);
                        members[a] = (debt, debt.GetBitLength() > 128 ? -1 : random.Next(-2, 6));
                        Add(order, a, members[a]);
                    }
                }
            }

            var expected = members.Keys.OrderByDescending(a => members[a].Debt).ThenBy(a => a).ToList();
            var ordered = order.Ordered();
            var same = expected.SequenceEqual(ordered) && Enumerable.Range(0, ordered.Count).All(k =>
                order.TagAt(k) == members[ordered[k]].Tag
                && order.SummaryAt(k) == (members[ordered[k]].Debt.GetBitLength() > 128
                    ? (true, UInt128.Zero, true) : (true, (UInt128)members[ordered[k]].Debt, false)));
            mismatches += same ? 0 : 1;
        }

        Assert.Equal(0, mismatches);
    }

    private static BigInteger Debt(Random random, int round) => random.Next(40) switch
    {
        0 when round % 3 == 0 => (BigInteger.One << 130) + random.Next(3),
        1 => (BigInteger.One << 70) + random.Next(3),
        2 or 3 => new BigInteger(random.Next(1, 4)),
        _ => new BigInteger(random.Next(1, 1_000_000)),
    };

    private static void Add(CandidateOrder order, int account, (BigInteger Debt, int Tag) member)
    {
        if (member.Debt.GetBitLength() > 128)
        {
            order.Add(account, member.Debt);
        }
        else
        {
            order.Add(account, (UInt128)member.Debt, member.Tag);
        }
    }
}
