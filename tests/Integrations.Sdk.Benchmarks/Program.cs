// dotnet run -c Release --project tests/Integrations.Sdk.Benchmarks -- --filter '*' --job short
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Integrations.Sdk.Benchmarks.Orders).Assembly).Run(args);
