using DefiCascade.Simulation.Engine;

namespace DefiCascade.Simulation.Tests.Engine.Speed;

/// <summary>The split of a pass among worker threads: every index once, and errors as one thread meets them.</summary>
public class WorkSharesTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 4_097)]
    [InlineData(3, 10)]
    public void Every_index_is_in_exactly_one_share_in_order(int workers, int count)
    {
        var seen = new int[count];
        var ranges = new (int From, int To)[workers];
        WorkShares.Run(workers, count, (w, from, to) =>
        {
            ranges[w] = (from, to);
            for (var k = from; k < to; k++)
            {
                seen[k]++;
            }
        });

        Assert.All(seen, n => Assert.Equal(1, n));
        // Contiguous and in share order: share w + 1 starts where share w ends.
        for (var w = 1; w < workers; w++)
        {
            Assert.Equal(ranges[w - 1].To, ranges[w].From);
        }
    }

    [Fact]
    public void A_failing_share_throws_its_own_exception_the_lowest_share_first()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WorkShares.Run(2, 100, (w, from, _) =>
            throw new InvalidOperationException($"share {w} from {from}")));
        Assert.Equal("share 0 from 0", error.Message);
    }
}
