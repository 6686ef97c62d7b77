using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/DefiCascade.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/DefiCascade.Benchmarks -- --filter '*ReadBorrowers*'   (anvil, ~6 min)
BenchmarkSwitcher.FromAssembly(typeof(DefiCascade.Benchmarks.DefaultSimulationBenchmark).Assembly).Run(args);
