using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project tests/SafetyCheck.Benchmarks -- --filter '*'
// Results are printed and written under BenchmarkDotNet.Artifacts/; nothing here asserts on time.
BenchmarkSwitcher.FromAssembly(typeof(SafetyCheck.Benchmarks.CheckBenchmarks).Assembly).Run(args);
