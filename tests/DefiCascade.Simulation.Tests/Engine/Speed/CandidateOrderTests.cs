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
}
