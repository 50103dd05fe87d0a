using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Statistics;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Statistics;
using Dapper;

namespace BatchEngine.Bench;

/// <summary>
/// The dashboard at national scale, on each store: the demo's register with years of history loaded by the product's
/// own command, the Dashboard started as its own process on the store, then every page and API list a provincial
/// expert, the ministry, a liaison and the admin read, each fired in turn; the p95 of each against the target.
/// </summary>
public static partial class PagesBenchmark
{
    private const double TargetMilliseconds = 200;
    private const int Warmup = 3, Requests = 30;

    /// <summary>Three days after the deadline of Aban 1405: its missing units are being followed up, Azar is open.</summary>
    private static readonly JalaliPeriod Month = new(1405, 8);

    public static async Task<int> RunAsync(string[] args)
    {
        var units = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 24_000;
        var history = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 36;
        string[] storeNames = args.Length > 2 ? args[2..] : ["sqlite", "postgres"];
        var results = new List<(string Store, List<PageResult> Pages)>();
        var tables = new List<(string Store, TableResult Table)>();
        await using (var stores = new BenchStores("batchengine-pages-"))
        {
            foreach (var store in storeNames)
            {
                var run = new Run(await stores.CreateAsync(store, "pages.db"), Path.Combine(stores.Directory, store), units, history);
                results.Add((store, await run.RunAsync()));
                tables.Add((store, run.Table!));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Pages: {units:N0} units, {history} periods of history; {Requests} requests each after {Warmup} to warm up, one at a time; " +
            $"{Environment.ProcessorCount} cores; target p95 ≤ {TargetMilliseconds:F0} ms");
        Console.WriteLine($"| page | who | {string.Join(" | ", results.Select(r => $"{r.Store} first ms | {r.Store} p50 ms | {r.Store} p95 ms | {r.Store} KB"))} |");
        Console.WriteLine($"|---|---|{string.Join("", results.Select(_ => "---:|---:|---:|---:|"))}");
        var failed = false;
        for (var i = 0; i < results[0].Pages.Count; i++)
        {
            var cells = results.Select(r => r.Pages[i]).ToList();
            Console.WriteLine($"| `{cells[0].Path}` | {cells[0].User} | " +
                string.Join(" | ", cells.Select(c => $"{c.First:F0} | {c.P50:F0} | {c.P95:F0}{(c.P95 > c.Target ? " ✗" : "")} | {c.Kilobytes:F0}")) +
                (cells[0].Target == TargetMilliseconds ? "" : $" (target {cells[0].Target:F0} ms)") + " |");
            failed |= cells.Any(c => c.P95 > c.Target);
        }

        Console.WriteLine();
        Console.WriteLine($"Statistics table of {Statistics} (national, every province, year to date, a year earlier, imputations), in process; " +
            $"{TableRuns} runs after one to warm up; target ≤ {TableTargetMilliseconds:F0} ms; floor: reading the same returns and lines with the same statement, in the same parts at once");
        Console.WriteLine("| store | table p50 ms | table max ms | floor p50 ms | table / floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (store, table) in tables)
        {
            Console.WriteLine($"| {store} | {table.P50:F0} | {table.Max:F0}{(table.Max > TableTargetMilliseconds ? " ✗" : "")} | {table.Floor:F0} | {table.P50 / table.Floor:F2} |");
            failed |= table.Max > TableTargetMilliseconds;
        }

        return failed ? 1 : 0;
    }

    private const double TableTargetMilliseconds = 2000, StatusTargetMilliseconds = 50;
    private const int TableRuns = 5;

    /// <summary>The period the statistics are read for: the newest one past its deadline at the benchmark's instant.</summary>
    private static readonly JalaliPeriod Statistics = Month;

    /// <summary>The national table's time, and the floor: the same figures read by the same statement with nothing built from them.</summary>
    private sealed record TableResult(double P50, double Max, double Floor);

    /// <summary><see cref="First"/>: the first request of all, before any warm-up (what a cache or a first judgement costs once).</summary>
    private sealed record PageResult(string User, string Path, double First, double P50, double P95, double Kilobytes, double Target);

    /// <summary>One store: load, start the Dashboard, read every page.</summary>
    private sealed class Run(string setting, string dataDirectory, int units, int history)
    {
        private readonly Database _database = Database.FromSetting(setting);
        private string _partnerKey = "";

        public TableResult? Table { get; private set; }

        /// <summary>The national table built in this process as the command and the page build it, and the floor of its reads.</summary>
        private async Task<TableResult> TimeTableAsync()
        {
            var options = EngineSettings.Load().Statistics;
            var codes = options.Products.SelectMany(p => p.ProductCodes).ToHashSet();
            var tables = new List<double>();
            var floors = new List<double>();
            for (var i = 0; i <= TableRuns; i++)
            {
                var watch = Stopwatch.StartNew();
                var table = (await MonthlyStatistics.LoadAsync(_database, options, Statistics, provisional: false)).Table(Statistics);
                var built = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                // The same statement over the same parts of the span, at once, as the table reads them; nothing built.
                var counts = await Task.WhenAll(ProductionPanel.Parts(new JalaliPeriod(Statistics.Year - 2, 1), Statistics).Select(async part =>
                {
                    var read = 0;
                    await new ProductionFigures(_database).ReturnsAsync(part.Start, part.End, codes, _ => read++);
                    return read;
                }));
                var rows = counts.Sum();

                var floor = watch.Elapsed.TotalMilliseconds;
                if (i > 0)
                {
                    tables.Add(built);
                    floors.Add(floor);
                }

                Console.WriteLine($"statistics table: {built:F0} ms ({table.Cells.Count} rows); floor: {floor:F0} ms ({rows:N0} returns and lines)");
            }

            tables.Sort();
            floors.Sort();
            return new TableResult(tables[tables.Count / 2], tables[^1], floors[floors.Count / 2]);
        }

        public async Task<List<PageResult>> RunAsync()
        {
            Directory.CreateDirectory(dataDirectory);
            var calendar = EngineSettings.Load().CreateCalendar();
            var at = calendar.For(Month).LateFrom.AddDays(3).AddHours(10);
            Console.WriteLine($"== {_database.Description}: {units:N0} units, {history} periods to {Month}, at {BenchStores.InstantText(at)}");
            var watch = Stopwatch.StartNew();
            await CommandAsync(at, "demo-data", "--units", BenchStores.Text(units), "--periods", BenchStores.Text(history));
            // The step the hosts would run at start, run first, so that the measurements meet a quiet engine.
            await CommandAsync(at, "tick", "--now", BenchStores.InstantText(at));
            Console.WriteLine($"loaded in {watch.Elapsed.TotalSeconds:F0} s");
            Table = await TimeTableAsync();
            _partnerKey = (await new ApiKeys(_database).CreateAsync("benchmark", ApiKeys.ReportingStatus, "benchmark", at.UtcDateTime)).Key;

            var port = FreePort();
            var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "BatchEngine.Dashboard"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[] { "--db", setting, "--data", dataDirectory, "--urls", $"http://127.0.0.1:{port}" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["BATCHENGINE_Engine__ClockStartsAt"] = BenchStores.InstantText(at);
            start.Environment["BATCHENGINE_Api__RequestsPerMinute"] = "1000000";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            using var dashboard = Process.Start(start)!;
            var output = dashboard.StandardOutput.ReadToEndAsync();
            var error = dashboard.StandardError.ReadToEndAsync();
            try
            {
                var address = new Uri($"http://127.0.0.1:{port}");
                await WaitUntilUpAsync(address, dashboard);
                return await MeasureAsync(address);
            }
            catch (Exception) when (dashboard.HasExited)
            {
                throw new InvalidOperationException($"The dashboard exited {dashboard.ExitCode}: {await error}{await output}");
            }
            finally
            {
                dashboard.Kill(entireProcessTree: true);
                await dashboard.WaitForExitAsync();
            }
        }

        private async Task<List<PageResult>> MeasureAsync(Uri address)
        {
            await using var connection = await _database.OpenAsync();
            var period = Month.ToString();
            var tehranUnit = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM units WHERE province_code = 'tehran'");
            var licence = await connection.ExecuteScalarAsync<string>("SELECT licence_no FROM units WHERE id = @tehranUnit", new { tehranUnit });
            var forwarded = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM returns WHERE state = 'ForwardedToMinistry'");
            var submitted = await connection.ExecuteScalarAsync<long>(
                "SELECT MIN(r.id) FROM returns r JOIN units u ON u.id = r.unit_id WHERE r.state = 'Submitted' AND u.province_code = 'tehran'");
            var pages = new (string User, string Path, double Target)[]
            {
                ("tehran-expert", "/", TargetMilliseconds),
                ("tehran-expert", "/queue", TargetMilliseconds),
                ("tehran-expert", "/queue?pageNumber=3", TargetMilliseconds),
                ("tehran-expert", $"/queue?licence={licence}", TargetMilliseconds),
                ("tehran-expert", "/queue?outlier=Any", TargetMilliseconds),
                ("tehran-expert", "/api/queue", TargetMilliseconds),
                ("tehran-expert", $"/returns/{submitted}", TargetMilliseconds),
                ("tehran-expert", $"/compliance?period={period}", TargetMilliseconds),
                ("tehran-expert", $"/compliance?period={period}&list=Missing", TargetMilliseconds),
                ("tehran-expert", $"/compliance?period={period}&list=Missing&sort=LastReported&pageNumber=2", TargetMilliseconds),
                ("tehran-expert", $"/api/compliance?period={period}", TargetMilliseconds),
                ("tehran-expert", $"/units/{tehranUnit}", TargetMilliseconds),
                ("tehran-expert", "/register?search=10", TargetMilliseconds),
                ("tehran-expert", "/register/users", TargetMilliseconds),
                ("tehran-expert", "/uploads", TargetMilliseconds),
                ("ministry", "/", TargetMilliseconds),
                ("ministry", "/queue", TargetMilliseconds),
                ("ministry", "/queue?province=isfahan", TargetMilliseconds),
                ("ministry", "/queue?registered=true", TargetMilliseconds),
                ("ministry", "/api/queue?pageNumber=5", TargetMilliseconds),
                ("ministry", $"/returns/{forwarded}", TargetMilliseconds),
                ("ministry", $"/compliance?period={period}", TargetMilliseconds),
                ("ministry", $"/compliance?period={period}&list=Missing", TargetMilliseconds),
                ("ministry", $"/compliance?period={period}&list=Flagged&sort=Reminders", TargetMilliseconds),
                ("ministry", "/register", TargetMilliseconds),
                ("tehran-liaison", "/liaison", TargetMilliseconds),
                ("tehran-liaison", $"/liaison/return/{Month}", TargetMilliseconds),
                ("admin", "/admin/schedule", TargetMilliseconds),
                ("admin", "/admin/deliveries", TargetMilliseconds),
                ("ministry", $"/statistics?period={Statistics}", TableTargetMilliseconds),
                ("ministry", $"/api/statistics?period={Statistics}", TableTargetMilliseconds),
                ("partner", $"/api/v1/units/{licence}/reporting-status", StatusTargetMilliseconds),
            };

            var results = new List<PageResult>();
            var clients = new Dictionary<string, HttpClient>();
            try
            {
                foreach (var (user, path, target) in pages)
                {
                    if (!clients.TryGetValue(user, out var client))
                    {
                        clients[user] = client = user == "partner" ? Partner(address, _partnerKey) : await SignInAsync(address, user);
                    }

                    results.Add(await TimeAsync(client, user, path, target));
                    Console.WriteLine($"{user,-15} {path,-70} p50 {results[^1].P50,6:F0} ms  p95 {results[^1].P95,6:F0} ms  {results[^1].Kilobytes,6:F0} KB");
                }
            }
            finally
            {
                foreach (var client in clients.Values)
                {
                    client.Dispose();
                }
            }

            return results;
        }

        /// <summary>A partner system's client: no cookie, its API key on every request.</summary>
        private static HttpClient Partner(Uri address, string key)
        {
            var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            return client;
        }

        private static async Task<PageResult> TimeAsync(HttpClient client, string user, string path, double target)
        {
            var times = new List<double>();
            double first = 0;
            long bytes = 0;
            for (var i = 0; i < Warmup + Requests; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{user} {path}: {(int)response.StatusCode}");
                }

                if (i == 0)
                {
                    first = watch.Elapsed.TotalMilliseconds;
                }

                if (i >= Warmup)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    bytes = body.Length;
                }
            }

            times.Sort();
            return new PageResult(user, path, first, Percentile(times, 0.5), Percentile(times, 0.95), bytes / 1024.0, target);
        }

        private static double Percentile(List<double> sorted, double share) => sorted[(int)Math.Ceiling(share * sorted.Count) - 1];

        private static async Task<HttpClient> SignInAsync(Uri address, string user)
        {
            // Compressed as a browser asks (the time includes it); the sizes are of the page as read.
            var client = new HttpClient(new HttpClientHandler
            {
                CookieContainer = new CookieContainer(), AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip,
            })
            {
                BaseAddress = address,
            };
            var form = await client.GetStringAsync("/signin");
            var token = Token().Match(form).Groups[1].Value;
            using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = user, ["Password"] = DemoData.DemoPassword, ["__RequestVerificationToken"] = token,
            }));
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"{user} could not sign in: {(int)response.StatusCode}");
            }

            return client;
        }

        private static async Task WaitUntilUpAsync(Uri address, Process dashboard)
        {
            using var probe = new HttpClient { BaseAddress = address };
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (dashboard.HasExited)
                {
                    throw new InvalidOperationException("The dashboard exited while starting.");
                }

                try
                {
                    using var response = await probe.GetAsync("/signin");
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                if (waited.Elapsed > TimeSpan.FromMinutes(3))
                {
                    throw new TimeoutException("The dashboard did not answer within three minutes.");
                }

                await Task.WhenAny(dashboard.WaitForExitAsync(), Task.Delay(200));
            }
        }

        private async Task CommandAsync(DateTimeOffset at, params string[] args)
        {
            var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "batchengine")) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args.Append("--data").Append(dataDirectory))
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["BATCHENGINE_DB"] = setting;
            start.Environment["BATCHENGINE_Engine__ClockStartsAt"] = BenchStores.InstantText(at);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }


    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
