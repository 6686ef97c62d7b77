using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/DefiCascade.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(DefiCascade.Benchmarks.DefaultSimulationBenchmark).Assembly).Run(args);
