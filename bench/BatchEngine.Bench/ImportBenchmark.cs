using System.Diagnostics;
using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Bench;

/// <summary>
/// The bulk returns import against the raw limit of the same store in the same run: a bare bulk insert of the same
/// rows (one prepared statement in one transaction on SQLite, binary COPY on PostgreSQL) into a table of the file's shape.
/// </summary>
public static class ImportBenchmark
{
    private const int ProductsPerUnit = 10;
    private const int PeriodCount = 10;

    private static readonly BulkColumn[] RawColumns =
    [
        new("unit_id", "text"), new("period", "text"), new("product_code", "text"), new("production", "numeric"), new("sales", "numeric"),
        new("export_qty", "numeric"), new("export_value_usd", "numeric"), new("employees", "integer"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["one", var oneStore, var onePath, var oneSetting, var oneDirectory, var oneUnits])
        {
            await MeasureAsync(oneStore, Database.FromSetting(oneSetting), onePath, Units(int.Parse(oneUnits, CultureInfo.InvariantCulture)), Periods(), oneDirectory);
            return 0;
        }

        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var stores = args.Length > 1 ? args[1..] : ["sqlite", "postgres"];
        var units = rows / ProductsPerUnit / PeriodCount;
        var directory = Directory.CreateTempSubdirectory("batchengine-import-bench-").FullName;
        PostgresServer? postgres = null;
        try
        {
            var path = Path.Combine(directory, "returns.csv");
            int written;
            await using (var writer = new StreamWriter(path))
            {
                written = DemoReturnsFile.Write(writer, Units(units), Periods(), errorShare: 0.02, seed: 1404);
            }

            Console.WriteLine($"Bulk returns import: {written:N0} rows ({units * PeriodCount:N0} returns × {ProductsPerUnit} products, 2 % of rows with a mistake), " +
                $"{new FileInfo(path).Length / 1e6:F0} MB, {Environment.ProcessorCount} cores");
            foreach (var store in stores)
            {
                string setting;
                if (store == "postgres")
                {
                    postgres ??= await PostgresServer.StartAsync();
                    setting = await postgres.CreateDatabaseAsync();
                }
                else
                {
                    setting = Path.Combine(directory, "bench.db");
                }

                // Each store in a process of its own: its peak memory is the import's, not what the previous one left behind.
                if (await RunSelfAsync(["import", "one", store, path, setting, directory, units.ToString(CultureInfo.InvariantCulture)]) != 0)
                {
                    return 1;
                }
            }
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static List<FileUnit> Units(int count)
    {
        var products = DemoCatalogue.Products.Take(ProductsPerUnit).Select(p => p.Product.Code).ToList();
        return Enumerable.Range(0, count).Select(i => new FileUnit((30_000_000 + i).ToString(CultureInfo.InvariantCulture), products)).ToList();
    }

    private static List<string> Periods() => Enumerable.Range(1, PeriodCount).Select(m => $"1404-{m:D2}").ToList();

    private static async Task<int> RunSelfAsync(string[] args)
    {
        var start = SelfProcess.Start(args);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static async Task MeasureAsync(string store, Database database, string path, List<FileUnit> units, List<string> periods, string directory)
    {
        await new Migrator(database).MigrateAsync();
        await SeedAsync(database, units, periods);

        // The import first, so that its peak memory is its own and not the raw side's rows held in memory.
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        using var sampler = new MemorySampler();
        var import = new UploadImport(database, new ImportOptions(), Path.Combine(directory, "uploads-" + store), TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var result = await import.ImportAsync(path, "tehran", dryRun: false, "bench");
        var importTime = watch.Elapsed;
        sampler.Stop();
        var summary = result.Summary!;

        var raw = await RawInsertAsync(database, path);
        Console.WriteLine($"{store}:");
        Console.WriteLine($"  import      {importTime.TotalSeconds,6:F1} s  {summary.RowsRead / importTime.TotalSeconds,9:N0} rows/s  " +
            $"({result.Upload.ReturnsApplied:N0} returns applied, {summary.ReturnsRejected:N0} rejected, {summary.RowsInError:N0} rows in error)");
        Console.WriteLine($"  raw insert  {raw.TotalSeconds,6:F1} s  {summary.RowsRead / raw.TotalSeconds,9:N0} rows/s  (the same rows, parsed beforehand, bulk-inserted bare)");
        Console.WriteLine($"  ratio import / raw: {importTime.TotalSeconds / raw.TotalSeconds:F2} (target ≤ 2)");
        Console.WriteLine($"  peak memory during the import: managed heap {(sampler.PeakManaged - baseline) / 1e6:F0} MB above the start, " +
            $"process working set {sampler.PeakWorkingSet / 1e6:F0} MB (target ≤ 300 MB)");
    }

    private static async Task SeedAsync(Database database, List<FileUnit> units, List<string> periods)
    {
        var register = new RegisterStore(database);
        await register.UpsertProvincesAsync([new Province { Code = "tehran", Name = "تهران" }]);
        await register.UpsertProductsAsync(DemoCatalogue.Products.Select(p => p.Product));
        await register.AddUnitsAsync(units.Select(u => (new Unit
        {
            LicenceNo = u.LicenceNo, Name = "واحد " + u.LicenceNo, ProvinceCode = "tehran", Isic = "2394", Status = UnitStatus.Active,
            CreatedAt = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        }, u.Products)).ToList());
        var opens = new DateTime(2025, 3, 20, 20, 30, 0, DateTimeKind.Utc);
        foreach (var (period, i) in periods.Select((p, i) => (p, i)))
        {
            await new PeriodStore(database).OpenAsync(period, opens.AddMonths(i), opens.AddMonths(i + 2), opens.AddMonths(i));
        }
    }

    /// <summary>The raw limit: the file's rows, parsed before the clock starts, inserted bare in one transaction.</summary>
    private static async Task<TimeSpan> RawInsertAsync(Database database, string path)
    {
        var rows = File.ReadLines(path).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new object?[] { f[0], f[1], f[2], Number(f[3]), Number(f[4]), Number(f[5]), Number(f[6]), int.Parse(f[7], CultureInfo.InvariantCulture) };
        }).ToList();
        await using var connection = await database.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, database.Dialect.ExpandDdl(
            "CREATE TABLE raw_rows (unit_id TEXT, period TEXT, product_code TEXT, production {decimal}, sales {decimal}, export_qty {decimal}, export_value_usd {decimal}, employees INTEGER)"));
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        await database.Dialect.BulkInsertAsync(connection, transaction, "raw_rows", RawColumns, rows);
        await transaction.CommitAsync();
        return watch.Elapsed;
    }

    // A mistyped quantity of the file goes in as NULL: the raw side stores, it does not check.
    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Samples the managed heap and the working set every 20 ms until stopped.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;

        public MemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 20);

        public long PeakManaged { get; private set; }
        public long PeakWorkingSet { get; private set; }

        private void Sample()
        {
            lock (_timer)
            {
                PeakManaged = Math.Max(PeakManaged, GC.GetTotalMemory(false));
                PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
            }
        }

        public void Stop()
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            Sample();
        }

        public void Dispose() => _timer.Dispose();
    }
}
