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

    /// <summary>
    /// The same against a plain scan on a larger book, with deadlines far beyond the ring of near buckets (up
    /// to a log move of 20, where the ring covers 8), clocks that stand still or jump, and re-placements behind
    /// the clock: what each step hands out must be exactly the accounts whose current deadline the clock reached.
    /// </summary>
    [Fact]
    public void Each_step_hands_out_exactly_the_accounts_whose_deadline_the_clock_reached()
    {
        const int accounts = 3_000;
        var random = new Random(20261210);
        var calendar = new DeadlineBuckets();
        var entries = new ScreenEntry[accounts];
        var deadlines = Enumerable.Repeat(double.PositiveInfinity, accounts).ToArray();
        var clock = 0.0;
        var (handedOut, far, mismatches) = (0, 0, 0);
        void Place(int i, double deadline)
        {
            entries[i].Version++;
            entries[i].Deadline = deadline;
            deadlines[i] = deadline;
            calendar.Add(i, entries[i].Version, deadline);
            far += deadline - clock > 8 ? 1 : 0;
        }

        for (var i = 0; i < accounts; i++)
        {
            Place(i, random.NextDouble() < 0.1 ? 8 + (random.NextDouble() * 12) : random.NextDouble() * 3);
        }

        var due = new List<int>();
        for (var step = 0; step < 1_500; step++)
        {
            // Mostly small steps, some standing still, a few jumps.
            clock += random.Next(10) switch { 0 => 0, 1 => random.NextDouble() * 0.5, _ => random.NextDouble() * 0.004 };
            for (var k = random.Next(30); k > 0; k--)
            {
                var i = random.Next(accounts);
                var ahead = random.Next(6) switch { 0 => -random.NextDouble() * 0.01, 1 => 8 + (random.NextDouble() * 12), _ => random.NextDouble() * 0.3 };
                Place(i, clock + ahead);
            }

            due.Clear();
            calendar.TakeDue(clock, entries, due);
            var expected = Enumerable.Range(0, accounts).Where(i => deadlines[i] <= clock).ToList();
            foreach (var i in expected)
            {
                deadlines[i] = double.PositiveInfinity;
            }

            mismatches += expected.SequenceEqual(due.Order()) ? 0 : 1;
            handedOut += due.Count;
            Assert.All(due, i => Assert.True(double.IsPositiveInfinity(entries[i].Deadline)));
        }

        Assert.Equal(0, mismatches);
        Assert.True(handedOut > 5_000, $"the clock should reach many deadlines, got {handedOut}");
        Assert.True(far > 1_000, $"many deadlines should lie beyond the ring, got {far}");
        Assert.True(clock > 20, $"the clock should pass the far deadlines too, got {clock}");
    }
}
