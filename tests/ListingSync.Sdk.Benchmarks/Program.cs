using BenchmarkDotNet.Running;

if (args.Contains("--propagation"))
{
    return await ListingSync.Sdk.Benchmarks.PropagationRun.RunAsync(args);
}

if (args.Contains("--first-sync"))
{
    return await ListingSync.Sdk.Benchmarks.FirstSyncRun.RunAsync(args);
}

if (args.Contains("--worker-soak"))
{
    return await ListingSync.Sdk.Benchmarks.WorkerSoak.RunAsync(args);
}

if (args.Contains("--store-overhead"))
{
    return await ListingSync.Sdk.Benchmarks.StoreOverheadRun.RunAsync(args);
}

if (args.Contains("--soak"))
{
    return await ListingSync.Sdk.Benchmarks.SoakRunner.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
