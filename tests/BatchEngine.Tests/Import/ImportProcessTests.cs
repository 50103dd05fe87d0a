using System.Globalization;
using BatchEngine.Data.Imports;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace BatchEngine.Tests.Import;

/// <summary>The import as people run it: the command line (exit codes), a killed process run again, and the background job.</summary>
[Category(Categories.Process)]
public sealed class ImportProcessTests(string store) : StoreTest(store)
{
    private ImportFixture _fixture = null!;

    [SetUp]
    public async Task SeedAsync() => _fixture = await new ImportFixture(Database, TempDirectory).CreateAsync();

    private Task<CliResult> CliAsync(params string[] args) => CliRunner.RunAsync([.. args, "--db", DatabaseSetting, "--data", TempDirectory]);

    [Test]
    public async Task The_command_exits_0_when_all_is_applied_1_when_rows_are_rejected_2_when_the_file_is_refused()
    {
        var clean = _fixture.Write("clean.csv", "unit_id,period,product_code,production\n23000002,1404-07,2394-01,5\n");
        var mixed = _fixture.Write("mixed.csv", "unit_id,period,product_code,production\n23000001,1404-07,2394-01,5\n23000002,1404-06,2394-01,x\n");
        var refused = _fixture.Write("refused.csv", "unit,period\n1,2\n");
        var report = Path.Combine(TempDirectory, "out", "errors.csv");

        var check = await CliAsync("import", mixed, "--province", "tehran", "--dry-run");
        var ok = await CliAsync("import", clean, "--province", "tehran");
        var again = await CliAsync("import", clean, "--province", "tehran");
        var partly = await CliAsync("import", mixed, "--province", "tehran", "--report", report);
        var bad = await CliAsync("import", refused, "--province", "tehran");
        var nowhere = await CliAsync("import", clean, "--province", "atlantis");

        Assert.That((check.ExitCode, check.Output), Is.EqualTo((1, check.Output)));
        Assert.That(check.Output, Does.Contain("nothing was changed").And.Contain("returns to apply   1").And.Contain("line 3, production, 'x': not a number"));
        Assert.That(ok.ExitCode, Is.Zero, ok.Error);
        Assert.That(ok.Output, Does.Contain("as upload 1").And.Contain("returns applied    1"));
        Assert.That((again.ExitCode, again.Output), Is.EqualTo((0, "clean.csv was already imported (upload 1, 1 returns applied); nothing was changed.\n")));
        Assert.That(partly.ExitCode, Is.EqualTo(1));
        Assert.That(partly.Output, Does.Contain("returns applied    1").And.Contain("returns rejected   1").And.Contain("all in " + report));
        Assert.That(File.ReadAllText(report), Does.Contain("3,production,x,عدد نیست"));
        Assert.That((bad.ExitCode, bad.Error), Is.EqualTo((2, bad.Error)));
        Assert.That(bad.Error, Does.Contain("lacks the required columns unit_id, product_code, production"));
        Assert.That((nowhere.ExitCode, nowhere.Error), Is.EqualTo((2, nowhere.Error)));
        Assert.That(nowhere.Error, Does.StartWith("There is no province 'atlantis'"));
    }

    [Test]
    public async Task An_import_killed_mid_way_and_run_again_applies_every_return_exactly_once()
    {
        var units = await _fixture.ManyUnitsAsync(1500);
        var path = _fixture.WriteReturns("big.csv", units, ["1404-06", "1404-07"]);
        const int returns = 1500 * 2;
        // Small transactions make the window for the kill wide; the import is the real program.
        var settings = new Dictionary<string, string?> { ["Import:ReturnsPerTransaction"] = "3" };

        int atKill;
        using (var import = new WorkerProcess(DatabaseSetting, TempDirectory, settings, "import", path, "--province", "tehran"))
        {
            await import.WaitUntilAsync(async () => await _fixture.CountAsync("SELECT COUNT(*) FROM upload_returns") >= 30,
                TimeSpan.FromMinutes(2), "the first returns to be applied", pollMilliseconds: 10);
            import.Kill();
            atKill = await _fixture.CountAsync("SELECT COUNT(*) FROM upload_returns");
        }

        Assert.That(atKill, Is.LessThan(returns), "killed before the end");
        await AssertWholeAsync(atKill);

        var rerun = await CliRunner.RunProcessAsync("import", path, "--province", "tehran", "--db", DatabaseSetting, "--data", TempDirectory);

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain($"applied before     {atKill}"));
        await AssertWholeAsync(returns);
        var upload = (await new Uploads(Database).GetAsync(1))!;
        Assert.That((upload.State, upload.ReturnsApplied), Is.EqualTo((UploadState.Completed, returns)));
        var fileTotal = File.ReadLines(path).Skip(1).Sum(l => decimal.Parse(l.Split(',')[3], CultureInfo.InvariantCulture));
        await using var connection = await Database.OpenAsync();
        var stored = (await connection.QueryAsync<decimal>("SELECT production FROM return_lines")).Sum();
        Assert.That(stored, Is.EqualTo(fileTotal), "every figure of the file, once");
    }

    /// <summary>Every applied return is whole: claimed once, two lines, one history entry; nothing else exists.</summary>
    private async Task AssertWholeAsync(int expected)
    {
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.EqualTo(expected));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM upload_returns"), Is.EqualTo(expected));
        Assert.That((await new Uploads(Database).GetAsync(1))!.ReturnsApplied, Is.EqualTo(expected));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM return_history"), Is.EqualTo(expected), "one history entry per return");
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns r WHERE (SELECT COUNT(*) FROM return_lines l WHERE l.return_id = r.id) <> 2"),
            Is.Zero, "no return half-applied");
    }

    [Test]
    public async Task The_background_job_imports_an_upload_and_its_progress_is_readable_while_it_runs()
    {
        var units = await _fixture.ManyUnitsAsync(2000);
        var path = _fixture.WriteReturns("job.csv", units, ["1404-06", "1404-07"], errorShare: 0.01);
        var rows = File.ReadLines(path).Count() - 1;
        await using var host = new DashboardFactory(TempDirectory, DatabaseSetting, engineSettings: new Dictionary<string, string>
        {
            ["Import:ReturnsPerTransaction"] = "50",
            ["Import:ProgressEveryRows"] = "500",
        });
        using var client = host.CreateClient();
        var import = host.Services.GetRequiredService<UploadImport>();
        var uploads = new Uploads(Database);
        var (upload, created) = await import.RegisterAsync(path, "job.csv", "tehran", false, "office:tehran");
        Assert.That(created);

        host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ImportJob>(j => j.RunAsync(upload.Id, CancellationToken.None));
        var seen = new List<Upload>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Upload current;
        while ((current = (await uploads.GetAsync(upload.Id))!).State is UploadState.Queued or UploadState.Running && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            seen.Add(current);
            await Task.Delay(5);
        }

        Assert.That(current.State, Is.EqualTo(UploadState.Completed), current.Message);
        Assert.That(current.RowsRead, Is.EqualTo(rows));
        Assert.That(current.ReturnsApplied, Is.EqualTo(await _fixture.CountAsync("SELECT COUNT(*) FROM returns")));
        Assert.That(current.ReturnsApplied, Is.InRange(units.Count, units.Count * 2 - 1), "about one return in fifty has a bad row");
        Assert.That(seen.Where(s => s.State == UploadState.Running).Select(s => (s.RowsRead, s.ReturnsApplied)),
            Has.Some.Matches<(int Rows, int Applied)>(p => (p.Rows > 0 && p.Rows < rows) || (p.Applied > 0 && p.Applied < current.ReturnsApplied)),
            "progress between the start and the end");
        var report = File.ReadLines(current.ErrorReport!).Skip(1).ToList();
        Assert.That(report.Count(l => !l.Contains("همراه همهٔ اظهارنامه‌های واحد")), Is.EqualTo(current.RowsInError),
            "a line per row in error, besides a line per return rejected because a row of its unit has a period that cannot be read");
    }
}
