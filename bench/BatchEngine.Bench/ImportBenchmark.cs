using System.Diagnostics;
using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Migrations;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Bench;

/// <summary>
/// The bulk returns import against the honest limit of the same store in the same run (the floor): CsvHelper's parse of
/// the same file and one bulk insert (binary COPY on PostgreSQL, one prepared statement in one transaction on SQLite)
/// of exactly the returns the import applied into the same tables with the same keys — returns, lines, history, the
/// upload's claims and the figure versions — in a second database seeded alike. A bare table of the file's shape
/// without keys is measured too, for scale. PostgreSQL runs with fsync on, as in production.
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
        if (args is ["one", var oneStore, var onePath, var oneSetting, var floorSetting, var oneDirectory, var oneUnits])
        {
            await MeasureAsync(oneStore, Database.FromSetting(oneSetting), Database.FromSetting(floorSetting), onePath,
                Units(int.Parse(oneUnits, CultureInfo.InvariantCulture)), Periods(), oneDirectory);
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
                string setting, floor;
                if (store == "postgres")
                {
                    postgres ??= await PostgresServer.StartAsync(durable: true);
                    (setting, floor) = (await postgres.CreateDatabaseAsync(), await postgres.CreateDatabaseAsync());
                }
                else
                {
                    (setting, floor) = (Path.Combine(directory, "bench.db"), Path.Combine(directory, "floor.db"));
                }

                // Each store in a process of its own: its peak memory is the import's, not what the previous one left behind.
                if (await RunSelfAsync(["import", "one", store, path, setting, floor, directory, units.ToString(CultureInfo.InvariantCulture)]) != 0)
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

    private static async Task MeasureAsync(string store, Database database, Database floorDatabase, string path, List<FileUnit> units,
        List<string> periods, string directory)
    {
        await new Migrator(database).MigrateAsync();
        await SeedAsync(database, units, periods);
        await new Migrator(floorDatabase).MigrateAsync();
        await SeedAsync(floorDatabase, units, periods);

        // The import first, so that its peak memory is its own and not the other sides' rows held in memory.
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        using var sampler = new MemorySampler();
        var import = new UploadImport(database, new ImportOptions(), Path.Combine(directory, "uploads-" + store), TimeProvider.System);
        var watch = Stopwatch.StartNew();
        var result = await import.ImportAsync(path, "tehran", dryRun: false, "bench");
        var importTime = watch.Elapsed;
        sampler.Stop();
        var summary = result.Summary!;

        var floor = await FloorAsync(database, floorDatabase, path);
        var bare = await BareInsertAsync(floorDatabase, path);
        Console.WriteLine($"{store}:");
        Console.WriteLine($"  import      {importTime.TotalSeconds,6:F1} s  {summary.RowsRead / importTime.TotalSeconds,9:N0} rows/s  " +
            $"({result.Upload.ReturnsApplied:N0} returns applied, {summary.ReturnsRejected:N0} rejected, {summary.RowsInError:N0} rows in error)");
        Console.WriteLine($"    check {summary.Phases.Checking.TotalSeconds:F1} s (read, check, park on disk), apply {summary.Phases.Applying.TotalSeconds:F1} s");
        Console.WriteLine($"  floor       {floor.Total.TotalSeconds,6:F1} s  (CsvHelper parse {floor.Parse.TotalSeconds:F1} s, bulk insert into the same tables with their keys {floor.Insert.TotalSeconds:F1} s)");
        Console.WriteLine($"  bare table  {bare.TotalSeconds,6:F1} s  (every row, parsed beforehand, into one table without keys)");
        Console.WriteLine($"  ratio import / floor: {importTime / floor.Total:F2} (target ≤ 1.5); import / bare table: {importTime / bare:F1}");
        Console.WriteLine($"  peak memory during the import: managed heap {(sampler.PeakManaged - baseline) / 1e6:F0} MB above the start, " +
            $"process working set {sampler.PeakWorkingSet / 1e6:F0} MB (target ≤ 300 MB)");
    }

    private sealed record FloorReturn(long Id, long UnitId, string Period, int? Employees, List<object?[]> Lines);

    private static readonly BulkColumn[] ReturnColumns =
    [
        new("id", "bigint"), new("unit_id", "bigint"), new("period", "text"), new("state", "text"), new("version", "integer"), new("employees", "integer"),
        new("submitted_at", "timestamp with time zone"), new("late", "boolean"), new("updated_at", "timestamp with time zone"),
    ];

    private static readonly BulkColumn[] LineColumns =
    [
        new("return_id", "bigint"), new("product_code", "text"), new("production", "numeric"), new("sales", "numeric"), new("export_qty", "numeric"),
        new("export_value_usd", "numeric"),
    ];

    private static readonly BulkColumn[] HistoryColumns =
    [
        new("return_id", "bigint"), new("at", "timestamp with time zone"), new("actor", "text"), new("actor_role", "text"), new("from_state", "text"),
        new("to_state", "text"), new("reason", "text"), new("version", "integer"),
    ];

    private static readonly BulkColumn[] ClaimColumns = [new("upload_id", "bigint"), new("unit_id", "bigint"), new("period", "text")];

    private static readonly BulkColumn[] VersionColumns =
    [
        new("return_id", "bigint"), new("version", "integer"), new("product_code", "text"), new("production", "numeric"), new("sales", "numeric"),
        new("export_qty", "numeric"), new("export_value_usd", "numeric"), new("employees", "integer"), new("saved_at", "timestamp with time zone"),
        new("actor", "text"), new("actor_role", "text"), new("source", "text"),
    ];

    /// <summary>
    /// The floor: what any import must do at least to store the returns the import applied — parse the file with
    /// CsvHelper, group its rows into returns, and write them in one bulk insert per table and connection, one transaction per connection, into
    /// the same tables with the same keys. No checks beyond parsing; which returns go in is read beforehand.
    /// </summary>
    private static async Task<(TimeSpan Parse, TimeSpan Insert, TimeSpan Total)> FloorAsync(Database imported, Database floorDatabase, string path)
    {
        HashSet<(string, string)> applied;
        Dictionary<string, long> unitIds;
        await using (var connection = await imported.OpenAsync())
        {
            applied = (await Dapper.SqlMapper.QueryAsync<(string, string)>(connection,
                "SELECT u.licence_no, ur.period FROM upload_returns ur JOIN units u ON u.id = ur.unit_id")).ToHashSet();
        }

        await using (var connection = await floorDatabase.OpenAsync())
        {
            unitIds = (await Dapper.SqlMapper.QueryAsync<(string, long)>(connection, "SELECT licence_no, id FROM units")).ToDictionary(u => u.Item1, u => u.Item2);
        }

        var watch = Stopwatch.StartNew();
        var returns = new Dictionary<(string, string), FloorReturn>();
        using (var parser = new CsvHelper.CsvParser(new StreamReader(path), new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            parser.Read();
            while (parser.Read())
            {
                var f = parser.Record!;
                if (!applied.Contains((f[0], f[1])))
                {
                    continue;
                }

                if (!returns.TryGetValue((f[0], f[1]), out var r))
                {
                    returns[(f[0], f[1])] = r = new FloorReturn(returns.Count + 1, unitIds[f[0]], f[1], Whole(f[7]), []);
                }

                r.Lines.Add([r.Id, f[2], Number(f[3]), Number(f[4]), Number(f[5]), Number(f[6])]);
            }
        }

        var parse = watch.Elapsed;
        var now = DateTime.UtcNow;
        long upload;
        await using (var connection = await floorDatabase.OpenAsync())
        {
            upload = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                """
                INSERT INTO uploads (province_code, file_name, stored_path, sha256, dry_run, uploaded_by, state, created_at)
                VALUES ('tehran', 'returns.csv', @path, 'floor', FALSE, 'bench', 'Running', @now) RETURNING id
                """, new { path, now });
        }

        // The same parallelism as the import's apply: as many connections as it writes on (two on PostgreSQL, one on SQLite).
        var writers = floorDatabase.Dialect.ConcurrentWriters ? new ImportOptions().Writers : 1;
        var all = returns.Values.ToList();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => InsertAsync(floorDatabase, upload, all.Where((_, i) => i % writers == w).ToList(), now)));
        var total = watch.Elapsed;
        return (parse, total - parse, total);
    }

    private static async Task InsertAsync(Database floorDatabase, long upload, List<FloorReturn> returns, DateTime now)
    {
        const string reason = "upload 1";
        var dialect = floorDatabase.Dialect;
        await using var connection = await floorDatabase.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await dialect.BulkInsertAsync(connection, transaction, "upload_returns", ClaimColumns, returns.Select(r => new object?[] { upload, r.UnitId, r.Period }));
        await dialect.BulkInsertAsync(connection, transaction, "returns", ReturnColumns,
            returns.Select(r => new object?[] { r.Id, r.UnitId, r.Period, "Submitted", 1, r.Employees, now, false, now }));
        await dialect.BulkInsertAsync(connection, transaction, "return_lines", LineColumns, returns.SelectMany(r => r.Lines));
        await dialect.BulkInsertAsync(connection, transaction, "return_figure_versions", VersionColumns,
            returns.SelectMany(r => r.Lines.Select(l => new object?[] { r.Id, 1, l[1], l[2], l[3], l[4], l[5], r.Employees, now, "bench", "ProvincialOffice", reason })));
        await dialect.BulkInsertAsync(connection, transaction, "return_history", HistoryColumns,
            returns.Select(r => new object?[] { r.Id, now, "bench", "ProvincialOffice", null, "Submitted", reason, 1 }));
        await transaction.CommitAsync();
    }

    private static int? Whole(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static async Task SeedAsync(Database database, List<FileUnit> units, List<string> periods)
    {
        await new RegisterStore(database).UpsertProductsAsync(DemoCatalogue.Products.Select(p => p.Product));
        await new RegisterSeed(database).AddUnitsAsync(units.Select(u => (new Unit
        {
            LicenceNo = u.LicenceNo, Name = "واحد " + u.LicenceNo, ProvinceCode = "tehran", Isic = "2394", Status = UnitStatus.Active,
            CreatedAt = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        }, u.Products)).ToList());
        var opens = new DateTime(2025, 3, 20, 20, 30, 0, DateTimeKind.Utc);
        foreach (var (period, i) in periods.Select((p, i) => (p, i)))
        {
            await new PeriodStore(database).OpenAsync(JalaliPeriod.Parse(period), opens.AddMonths(i), opens.AddMonths(i + 2), opens.AddMonths(i));
        }
    }

    /// <summary>For scale: every row of the file, parsed before the clock starts, inserted in one transaction into a table without keys.</summary>
    private static async Task<TimeSpan> BareInsertAsync(Database database, string path)
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
