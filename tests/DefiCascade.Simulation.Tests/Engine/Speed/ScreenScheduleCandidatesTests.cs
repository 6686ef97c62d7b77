using DefiCascade.Simulation.Engine.Screening;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>
/// The schedule's candidate list is kept between reads (leavers dropped in place, newcomers sorted and merged
/// into the sorted rest): at every read it must equal the ascending list of accounts whose last screen is
/// below the threshold, whatever mix of entries, exits, re-entries and reads without changes came before.
/// </summary>
public sealed class ScreenScheduleCandidatesTests
{
    [Fact]
    public void Every_read_equals_the_sorted_accounts_below_the_threshold()
    {
        const int accounts = 500;
        const double threshold = 1.05;
        var random = new Random(20261207);
        var schedule = new ScreenSchedule(accounts, threshold);
        var below = new bool[accounts];
        var (reads, merges) = (0, 0);
        var previous = new List<int>();
        for (var step = 0; step < 2_000; step++)
        {
            // a few screens most steps, a burst (many entries or exits at once) now and then, sometimes none.
            var screens = step % 50 == 0 ? accounts : step % 7 == 0 ? 0 : random.Next(1, 12);
            var entering = random.NextDouble();
            for (var k = 0; k < screens; k++)
            {
                var i = random.Next(accounts);
                var healthFactor = random.NextDouble() < entering ? 0.5 + random.NextDouble() * 0.5 : 1.1 + random.NextDouble();
                schedule.Place(i, healthFactor);
                below[i] = healthFactor < threshold;
            }

            var expected = Enumerable.Range(0, accounts).Where(i => below[i]).ToList();
            var actual = schedule.Candidates;
            Assert.True(expected.SequenceEqual(actual), $"step {step}: {actual.Count} listed, {expected.Count} expected");
            reads++;
            // a newcomer below the largest account listed before needs the merge (not just the appended tail sorted).
            merges += previous.Count > 0 && expected.Except(previous).Any(i => i < previous[^1]) ? 1 : 0;
            previous = expected;
        }

        Assert.True(reads == 2_000 && merges > 100, $"{merges} reads with newcomers");
    }
}
