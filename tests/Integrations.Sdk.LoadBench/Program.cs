// The end-to-end load bench: dotnet run -c Release --project tests/Integrations.Sdk.LoadBench [-- --smoke]
// Ends with one machine-readable line: bench: sdk_rps=N handwritten_rps=N ratio=R sqlite_rps=N webhook_rps=N backfill_peak_mb=N
return await Integrations.Sdk.LoadBench.Bench.RunAsync(args, Console.Out);
