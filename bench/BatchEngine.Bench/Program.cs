using BatchEngine.Bench;

// `import [ROWS] [STORES…]`: the bulk returns import; `soak [UNITS] [PERIODS] [STORES…]`: a national month;
// otherwise `[UNITS]`: reminder fan-out and flagging.
return args switch
{
    ["import", ..] => await ImportBenchmark.RunAsync(args[1..]),
    ["soak", ..] => await SoakBenchmark.RunAsync(args[1..]),
    _ => await Benchmarks.RunAsync(args),
};
