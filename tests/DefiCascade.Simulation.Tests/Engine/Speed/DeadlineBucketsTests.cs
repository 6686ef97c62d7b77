using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// The screen calendar against a plain scan: after each clock step, what it hands out must be exactly the
/// accounts whose current deadline the clock reached, whatever came before: re-placements (older entries go
/// stale), deadlines behind the clock, clocks that stand still or jump, and deadlines far beyond the ring of
/// near buckets (up to a log move of 20, where the ring covers 8).
/// </summary>
public sealed class DeadlineBucketsTests
{
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
