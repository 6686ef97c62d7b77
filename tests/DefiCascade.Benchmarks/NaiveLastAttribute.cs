using System.Collections.Immutable;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DefiCascade.Benchmarks;

/// <summary>
/// Runs a class's naive-reference cases (parameter <c>Engine</c> = "naive") after all its other cases, in the default
/// order otherwise. A naive 1M-position cascade allocates ~30 GB; the case that ran next, in its own process, was
/// measured on a machine still giving that memory back. The summary's order is unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NaiveLastAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().WithOrderer(new NaiveLastOrderer());

    private sealed class NaiveLastOrderer : IOrderer
    {
        private readonly IOrderer _default = DefaultOrderer.Instance;

        public bool SeparateLogicalGroups => _default.SeparateLogicalGroups;

        public IEnumerable<BenchmarkCase> GetExecutionOrder(ImmutableArray<BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
            _default.GetExecutionOrder(benchmarksCase, order).OrderBy(IsNaive);

        public IEnumerable<BenchmarkCase> GetSummaryOrder(ImmutableArray<BenchmarkCase> benchmarksCases, Summary summary) =>
            _default.GetSummaryOrder(benchmarksCases, summary);

        public string? GetHighlightGroupKey(BenchmarkCase benchmarkCase) => _default.GetHighlightGroupKey(benchmarkCase);

        public string? GetLogicalGroupKey(ImmutableArray<BenchmarkCase> allBenchmarksCases, BenchmarkCase benchmarkCase) =>
            _default.GetLogicalGroupKey(allBenchmarksCases, benchmarkCase);

        public IEnumerable<IGrouping<string, BenchmarkCase>> GetLogicalGroupOrder(IEnumerable<IGrouping<string, BenchmarkCase>> logicalGroups, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
            _default.GetLogicalGroupOrder(logicalGroups, order);

        private static bool IsNaive(BenchmarkCase benchmarkCase) =>
            benchmarkCase.Parameters.Items.Any(p => p.Name == "Engine" && Equals(p.Value, "naive"));
    }
}
