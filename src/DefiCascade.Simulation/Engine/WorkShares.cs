using System.Runtime.ExceptionServices;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// Splits a pass over a list of independent accounts into contiguous shares, one per worker thread,
/// and waits for all of them. The calling thread runs a share itself. What each share computes must
/// depend on its own accounts only; merging the shares (in share order) is the caller's, on one thread.
/// </summary>
internal static class WorkShares
{
    /// <summary>
    /// The workers a pass over <paramref name="count"/> accounts uses: all <paramref name="workers"/> from
    /// <paramref name="parallelFrom"/> accounts up, else one (a hand-off costs more than a small pass saves).
    /// </summary>
    public static int For(int workers, int parallelFrom, int count) => workers > 1 && count >= parallelFrom ? workers : 1;

    /// <summary>
    /// Runs <paramref name="share"/>(w, from, to) for w in [0, workers) over [0, count), split evenly. A share
    /// that throws surfaces as itself (not wrapped), the lowest share's first: the exception a single
    /// thread walking the accounts in order would have met first.
    /// </summary>
    public static void Run(int workers, int count, Action<int, int, int> share)
    {
        if (workers <= 1)
        {
            share(0, 0, count);
            return;
        }

        var failures = new Exception?[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            try
            {
                share(w, (int)((long)count * w / workers), (int)((long)count * (w + 1) / workers));
            }
            catch (Exception e)
            {
                failures[w] = e;
            }
        });

        if (failures.FirstOrDefault(e => e is not null) is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
