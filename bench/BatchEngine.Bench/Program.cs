using BatchEngine.Bench;

// `import [ROWS] [STORES…]`: the bulk returns import; `soak [UNITS] [PERIODS] [STORES…]`: a national month;
// `pages [UNITS] [PERIODS] [STORES…]`: the dashboard's pages at national scale; otherwise `[UNITS]`: reminder fan-out and flagging.
return args switch
{
    ["import", ..] => await ImportBenchmark.RunAsync(args[1..]),
    ["soak", ..] => await SoakBenchmark.RunAsync(args[1..]),
    ["pages", ..] => await PagesBenchmark.RunAsync(args[1..]),
    _ => await Benchmarks.RunAsync(args),
};
