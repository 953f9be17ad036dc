using BenchmarkDotNet.Running;

if (args.Contains("--soak"))
{
    return await ListingSync.Sdk.Benchmarks.SoakRunner.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
