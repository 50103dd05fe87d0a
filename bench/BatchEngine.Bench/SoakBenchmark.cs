using System.Diagnostics;
using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;
using Dapper;

namespace BatchEngine.Bench;

/// <summary>
/// A whole reporting month at national scale, on each store: the demo's register and years of history, then one
/// period by time travel, each step the product's own command in a process of its own (so its peak memory is its
/// own), with wall time, peak memory and the database's size after it.
/// </summary>
public static class SoakBenchmark
{
    private const double StepSeconds = 60, StepMegabytes = 300;

    /// <summary>The share of units that report before the deadline, province by province, in the month under test.</summary>
    private const double ReportingShare = 0.45;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["queues", var queuesDatabase])
        {
            return await QueuesAsync(Database.FromSetting(queuesDatabase));
        }

        var units = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 24_000;
        var history = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 36;
        string[] storeNames = args.Length > 2 ? args[2..] : ["sqlite", "postgres"];
        await using var smtp = new SmtpSink();
        var results = new List<(string Store, List<StepResult> Steps)>();
        await using (var stores = new BenchStores("batchengine-soak-"))
        {
            foreach (var store in storeNames)
            {
                var soak = new Soak(await stores.CreateAsync(store, "soak.db"), Path.Combine(stores.Directory, store), smtp.Port, units, history);
                results.Add((store, await soak.RunAsync()));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Soak: {units:N0} units, {history} periods of history, one period by time travel; {Environment.ProcessorCount} cores, " +
            $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:F0} GB; targets {StepSeconds:F0} s and {StepMegabytes:F0} MB a step");
        Console.WriteLine($"| step | {string.Join(" | ", results.Select(r => $"{r.Store} s | {r.Store} MB | {r.Store} DB MB"))} |");
        Console.WriteLine($"|---|{string.Join("", results.Select(_ => "---:|---:|---:|"))}");
        var failed = false;
        for (var i = 0; i < results[0].Steps.Count; i++)
        {
            var cells = results.Select(r => r.Steps[i]).ToList();
            Console.WriteLine($"| {cells[0].Name} | {string.Join(" | ", cells.Select(c => $"{c.Seconds:F1}{(c.Measured && c.Seconds > StepSeconds ? " ✗" : "")} | {c.PeakMegabytes:F0}{(c.Measured && c.PeakMegabytes > StepMegabytes ? " ✗" : "")} | {c.DatabaseMegabytes:F0}"))} |");
            failed |= cells.Any(c => c.Measured && (c.Seconds > StepSeconds || c.PeakMegabytes > StepMegabytes));
        }

        if (results.Count == 2 && results.All(r => r.Steps.Any(s => s.Name == Soak.DeadlineStep)))
        {
            var deadline = results.Select(r => r.Steps.Single(s => s.Name == Soak.DeadlineStep).Seconds).ToList();
            Console.WriteLine($"deadline step {results[1].Store} / {results[0].Store}: {deadline[1] / deadline[0]:F2} (target ≤ 1.5)");
        }

        return failed ? 1 : 0;
    }

    /// <summary>The experts' queues as the dashboard asks for them: the ministry's whole country, the largest province's office.</summary>
    private static async Task<int> QueuesAsync(Database database)
    {
        var queries = new ReviewQueries(database);
        var ministry = await queries.QueueAsync(new QueueFilter([ReturnState.ForwardedToMinistry], null, null, null, null, null));
        var province = await queries.QueueAsync(new QueueFilter([ReturnState.Submitted], "tehran", null, null, null, null));
        Console.WriteLine($"ministry queue {ministry.Total} returns (first page {ministry.Rows.Count}), tehran queue {province.Total} (first page {province.Rows.Count})");
        return 0;
    }

    private sealed record StepResult(string Name, double Seconds, double PeakMegabytes, double DatabaseMegabytes, bool Measured, string Output);

    /// <summary>One store's month.</summary>
    private sealed class Soak(string setting, string dataDirectory, int smtpPort, int units, int history)
    {
        public const string DeadlineStep = "deadline: flags, possibly inactive, overdue notices sent";

        private readonly Database _database = Database.FromSetting(setting);
        private readonly ReportingCalendar _calendar = EngineSettings.Load().CreateCalendar();
        private readonly List<StepResult> _steps = [];

        /// <summary>The month under test, the same on every run; the history ends with the one before it.</summary>
        private static readonly JalaliPeriod Month = new(1405, 8);

        public async Task<List<StepResult>> RunAsync()
        {
            Directory.CreateDirectory(dataDirectory);
            var clock = _calendar.Clock;
            var month = Month;
            var previous = _calendar.For(month.Previous);
            var schedule = _calendar.For(month);
            var loadedAt = previous.LateFrom.AddDays(5);
            Console.WriteLine($"== {_database.Description}: {units:N0} units, {history} periods to {month.Previous}, then {month}");

            // Years of history loaded in one go: the setting of the month, not a step of it (no target).
            await StepAsync($"setup: demo-data, {history} periods of history", loadedAt, measured: false,
                "demo-data", "--units", BenchStores.Text(units), "--periods", BenchStores.Text(history));
            await StepAsync("first partner deliveries (all history)", loadedAt, "deliver");
            await TickAsync("period opens", schedule.OpensAt.AddMinutes(1));
            var stages = schedule.Reminders.OrderBy(r => r.At).ToList();
            await TickAsync("reminder stage 1 written and sent", stages[0].At.AddMinutes(1));
            await ImportWaveAsync(month, stages[0].At.AddHours(2));
            for (var i = 1; i < stages.Count; i++)
            {
                await TickAsync($"reminder stage {i + 1} written and sent", stages[i].At.AddMinutes(1));
            }

            await TickAsync(DeadlineStep, schedule.LateFrom.AddMinutes(1));
            var again = await TickAsync("deadline again (nothing due)", schedule.LateFrom.AddMinutes(2));
            if (!again.Output.Contains("nothing was due", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"A second tick at the deadline did work: {again.Output}");
            }

            var digestAt = clock.At(clock.DateOf(schedule.LateFrom), new TimeOnly(9, 1));
            await TickAsync("digests to provincial experts", digestAt);
            var partnersAt = clock.At(clock.DateOf(schedule.LateFrom).AddDays(1), new TimeOnly(3, 0));
            await TickAsync("daily partner deliveries", partnersAt);
            await StepAsync("experts' queues (ministry, tehran)", partnersAt, "bench:queues");
            await StepAsync("status of the month", partnersAt, "status", "--period", month.ToString());
            return _steps;
        }

        private Task<StepResult> TickAsync(string name, DateTimeOffset at) => StepAsync(name, at, "tick", "--now", BenchStores.InstantText(at));

        /// <summary>
        /// The month's reports: every province's office imports the returns of its share of units, the largest
        /// province's file measured as the import step, the others loaded as the same command without counting.
        /// </summary>
        private async Task ImportWaveAsync(JalaliPeriod month, DateTimeOffset at)
        {
            var random = new Random(1405);
            var register = (await QueryAsync<(string Licence, string Province, string Product)>(
                "SELECT u.licence_no, u.province_code, p.product_code FROM units u JOIN unit_products p ON p.unit_id = u.id ORDER BY u.licence_no, p.product_code"))
                .GroupBy(r => r.Province);
            foreach (var province in register.OrderByDescending(g => g.Count()))
            {
                var reporting = province.GroupBy(r => r.Licence).Where(_ => random.NextDouble() < ReportingShare)
                    .Select(u => new FileUnit(u.Key, u.Select(r => r.Product).ToList())).ToList();
                var file = Path.Combine(dataDirectory, $"returns-{province.Key}.csv");
                int rows;
                await using (var writer = new StreamWriter(file))
                {
                    rows = DemoReturnsFile.Write(writer, reporting, [month.ToString()], errorShare: 0, seed: 1405);
                }

                var first = _steps.All(s => !s.Name.StartsWith("import", StringComparison.Ordinal));
                await StepAsync(first ? $"import: {province.Key}, {rows:N0} rows" : $"other imports ({province.Key})", at, measured: first,
                    "import", file, "--province", province.Key);
            }

            _steps.RemoveAll(s => s.Name.StartsWith("other imports", StringComparison.Ordinal));
            Console.WriteLine($"(every province's office imported the month's returns of {ReportingShare:P0} of its units)");
        }

        private Task<StepResult> StepAsync(string name, DateTimeOffset at, params string[] args) => StepAsync(name, at, measured: true, args);

        private async Task<StepResult> StepAsync(string name, DateTimeOffset at, bool measured, params string[] args)
        {
            var start = args[0] == "bench:queues"
                ? SelfProcess.Start("soak", "queues", setting)
                : new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "batchengine"));
            if (args[0] != "bench:queues")
            {
                foreach (var arg in args.Append("--data").Append(dataDirectory))
                {
                    start.ArgumentList.Add(arg);
                }
            }

            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.Environment["BATCHENGINE_DB"] = setting;
            start.Environment["BATCHENGINE_Engine__ClockStartsAt"] = BenchStores.InstantText(at);
            start.Environment["BATCHENGINE_Notifications__Email__Smtp__Host"] = "127.0.0.1";
            start.Environment["BATCHENGINE_Notifications__Email__Smtp__Port"] = BenchStores.Text(smtpPort);
            start.Environment["BATCHENGINE_Notifications__Email__Smtp__Security"] = "None";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            var peak = await PeakMemoryAsync(process);
            var seconds = watch.Elapsed.TotalSeconds;
            if (process.ExitCode is not (0 or 1))
            {
                throw new InvalidOperationException($"Step '{name}' exited {process.ExitCode}: {await error}{await output}");
            }

            var result = new StepResult(name, seconds, peak / 1e6, await DatabaseSizeAsync() / 1e6, measured, await output);
            Console.WriteLine($"{name,-60} {seconds,7:F1} s {peak / 1e6,6:F0} MB  db {result.DatabaseMegabytes,6:F0} MB");
            _steps.Add(result);
            return result;
        }

        /// <summary>The process's high-water mark of resident memory, read until it exits (Linux keeps it in VmHWM).</summary>
        private static async Task<long> PeakMemoryAsync(Process process)
        {
            long peak = 0;
            var status = $"/proc/{process.Id}/status";
            while (!process.HasExited)
            {
                try
                {
                    var line = (await File.ReadAllLinesAsync(status)).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                    if (line is not null)
                    {
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
                    }
                }
                catch (IOException)
                {
                }

                await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(50));
            }

            await process.WaitForExitAsync();
            return peak;
        }

        private async Task<long> DatabaseSizeAsync()
        {
            if (_database.IsPostgres)
            {
                return (await QueryAsync<long>("SELECT pg_database_size(current_database())")).Single();
            }

            var path = setting;
            return new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
        }

        private async Task<List<T>> QueryAsync<T>(string sql)
        {
            await using var connection = await _database.OpenAsync();
            return (await connection.QueryAsync<T>(sql)).AsList();
        }


    }
}
