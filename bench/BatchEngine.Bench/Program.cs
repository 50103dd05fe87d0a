using BatchEngine.Bench;

return await Benchmarks.RunAsync(args);
