using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// The screen schedule's calendar of deadlines must hand out exactly what a full scan of the pending
/// entries finds: every current entry (its account's version unchanged) whose deadline the clock reached,
/// once, whatever the clock's steps (tiny, none, a jump across many buckets, a first take far before
/// the first deadline) and deadlines placed before the clock (a tolerance of zero less its slack).
/// </summary>
public sealed class DeadlineBucketsTests
{
    [Fact]
    public void Each_take_equals_a_scan_of_the_pending_entries()
    {
        const int accounts = 300;
        var random = new Random(20261207);
        var buckets = new DeadlineBuckets();
        var entries = Enumerable.Repeat(new ScreenEntry { Deadline = double.PositiveInfinity }, accounts).ToArray();
        var clock = 0.0;
        var taken = 0;
        var due = new List<int>();

        void Place(int account, double deadline)
        {
            entries[account].Version++;
            entries[account].Deadline = deadline;
            buckets.Add(account, entries[account].Version, deadline);
        }

        for (var a = 0; a < accounts; a++)
        {
            Place(a, 0.5 + (random.NextDouble() * 2));
        }

        for (var round = 0; round < 2_000; round++)
        {
            clock += (round % 97) switch
            {
                0 => 0.3,                                // a jump across hundreds of buckets
                1 => 0,                                  // no move
                _ => random.NextDouble() * 0.004,        // about one oracle update
            };

            // The reference: current entries are exactly the accounts with a finite deadline.
            var expected = Enumerable.Range(0, accounts).Where(a => entries[a].Deadline <= clock).ToHashSet();
            due.Clear();
            buckets.TakeDue(clock, entries, due);
            Assert.Equal(expected.Count, due.Count);
            Assert.True(expected.SetEquals(due), $"round {round}: taken accounts differ from the scan");
            Assert.All(due, a => Assert.True(double.IsPositiveInfinity(entries[a].Deadline)));
            taken += due.Count;

            // Re-place what was taken and move some others (their old entries turn stale); some land before the clock.
            foreach (var a in due)
            {
                Place(a, clock + (random.Next(4) == 0 ? -1e-12 : random.NextDouble() * 0.05));
            }

            for (var k = 0; k < 5; k++)
            {
                Place(random.Next(accounts), clock + (random.NextDouble() * 0.5));
            }
        }

        Assert.True(taken > 10 * accounts, $"the test should take many entries, took {taken}");
    }
}
