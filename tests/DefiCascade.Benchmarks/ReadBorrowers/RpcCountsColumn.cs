using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DefiCascade.Benchmarks.ReadBorrowers;

/// <summary>
/// A summary column from the RPC counts a benchmark process prints (<see cref="Line"/>). The counts live in the child
/// process BenchmarkDotNet starts per benchmark, so the host reads them back from that process's standard output.
/// </summary>
internal sealed partial class RpcCountsColumn(string name, Func<RpcCounts, long> pick, bool ratioToBaseline, string legend) : IColumn
{
    private const string Prefix = "rpc counts per op: ";

    public static RpcCountsColumn RoundTrips { get; } = new("Round trips/op", c => c.RoundTrips, false, "HTTP POSTs per operation (a JSON-RPC batch is one)");

    public static RpcCountsColumn FewerRoundTrips { get; } = new("Fewer round trips", c => c.RoundTrips, true, "the baseline's round trips/op divided by this benchmark's");

    public static RpcCountsColumn Requests { get; } = new("RPC requests/op", c => c.Requests, false, "JSON-RPC requests per operation (an aggregate3 eth_call is one)");

    public static RpcCountsColumn Reads { get; } = new("Reads/op", c => c.Reads, false, "contract reads the reader asked for per operation");

    public string Id => nameof(RpcCountsColumn) + "." + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    /// <summary>What the benchmark process prints once, in its global cleanup, when every operation cost the same.</summary>
    public static string Line(RpcCounts counts) => Prefix + counts;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (Read(summary, benchmarkCase) is not { } counts)
        {
            return "?";
        }

        if (!ratioToBaseline)
        {
            return pick(counts).ToString("N0", CultureInfo.InvariantCulture);
        }

        // as a factor (1,684x) rather than a ratio (0.0006): the target is stated as "at least 20x fewer".
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        return baseline is not null && Read(summary, baseline) is { } b && pick(counts) > 0
            ? ((double)pick(b) / pick(counts)).ToString("N1", CultureInfo.InvariantCulture) + "x"
            : "?";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;

    private static RpcCounts? Read(Summary summary, BenchmarkCase benchmarkCase)
    {
        var line = summary[benchmarkCase]?.ExecuteResults.SelectMany(r => r.StandardOutput).LastOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        var match = line is null ? null : CountsPattern().Match(line);
        return match is { Success: true }
            ? new RpcCounts(Number(match, "rt"), Number(match, "req"), Number(match, "reads"))
            : null;
    }

    private static long Number(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"round-trips=(?<rt>\d+) requests=(?<req>\d+) reads=(?<reads>\d+)")]
    private static partial Regex CountsPattern();
}

/// <summary>
/// Each operation takes seconds, so one invocation per iteration, one warm-up and five measured
/// iterations, all three readers in one run so their ratios compare like with like.
/// </summary>
public sealed class ReadBorrowersConfig : ManualConfig
{
    public ReadBorrowersConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
        AddColumn(RpcCountsColumn.RoundTrips, RpcCountsColumn.FewerRoundTrips, RpcCountsColumn.Requests, RpcCountsColumn.Reads);
    }
}
