using BatchEngine.Bench;

// `import [ROWS] [STORES…]`: the bulk returns import; otherwise `[UNITS]`: reminder fan-out and flagging.
return args.Length > 0 && args[0] == "import"
    ? await ImportBenchmark.RunAsync(args[1..])
    : await Benchmarks.RunAsync(args);
