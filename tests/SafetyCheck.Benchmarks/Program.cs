using System.Globalization;
using BenchmarkDotNet.Running;
using SafetyCheck.Benchmarks;

// Run: dotnet run -c Release --project tests/SafetyCheck.Benchmarks -- --filter '*'
// Results are printed and written under BenchmarkDotNet.Artifacts/; nothing here asserts on time.
// A quick allocation look without BenchmarkDotNet: -- --probe [decisions per seed], -- --probe-service [calls per seed]
if (args is ["--probe", ..])
{
    QuickProbe.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
    return;
}

if (args is ["--probe-service", ..])
{
    await QuickProbe.RunServiceAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CheckBenchmarks).Assembly).Run(args);
