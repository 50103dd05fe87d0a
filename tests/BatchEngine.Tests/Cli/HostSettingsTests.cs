using System.Diagnostics;
using BatchEngine.Data;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BatchEngine.Tests.Cli;

/// <summary>Where the hosts find their database and data folder, and what a mistyped database setting gets.</summary>
[Category(Categories.Process)]
public sealed class HostSettingsTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("batchengine-hosts-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase("Host=127.0.0.1;Usernme=batchengine;Database=x", "usernme")]
    [TestCase("Host=127.0.0.1;Port=abc;Database=x", "port")]
    public async Task A_mistyped_connection_string_is_one_sentence_and_exit_3_on_the_command_line(string setting, string named)
    {
        var result = await CliRunner.RunAsync("status", "--period", "1404-07", "--db", setting);

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
        Assert.That(result.Error, Does.StartWith("Cannot use the database given: the PostgreSQL connection string is not valid")
            .And.Contain(named).IgnoreCase);
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one sentence, no stack trace");
    }

    [Test]
    public async Task A_mistyped_connection_string_is_one_sentence_and_exit_3_for_the_dashboard()
    {
        var (exit, _, error) = await RunDashboardUntilAsync(() => false, "--db", "Host=127.0.0.1;Usernme=batchengine;Database=x");

        Assert.That(exit, Is.EqualTo(3), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1).And.Some.Contains("connection string is not valid"));
    }

    [Test]
    public async Task A_wrong_review_day_stops_the_dashboard_with_one_sentence_naming_the_key()
    {
        var start = CliRunner.BuiltProgram("BatchEngine.Dashboard", ["--db", Path.Combine(_directory, "review.db")],
            new Dictionary<string, string> { ["BATCHENGINE_Review__ProvincialDay"] = "40" });

        var (exit, _, error) = await RunDashboardUntilAsync(() => false, start);

        Assert.That(exit, Is.EqualTo(3), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1).And.Some.Contains("Review:ProvincialDay is 40"));
    }

    [TestCase("BATCHENGINE_Engine__Workers", "four", "Engine:Workers")]
    [TestCase("BATCHENGINE_Notifications__DigestTime", "9am", "Notifications:DigestTime is '9am'")]
    [TestCase("SignIn__MaxFailures", "0", "SignIn:MaxFailures is 0")]
    public async Task A_bad_setting_of_the_engine_or_the_dashboard_stops_it_with_one_sentence_naming_the_key(string variable, string value, string named)
    {
        var start = CliRunner.BuiltProgram("BatchEngine.Dashboard", ["--db", Path.Combine(_directory, "settings.db"), "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { [variable] = value });

        var (exit, output, error) = await RunDashboardUntilAsync(() => false, start);

        Assert.That(exit, Is.EqualTo(3), error + output);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1).And.Some.Contains(named));
    }

    [Test]
    public async Task A_bad_setting_stops_a_command_with_one_sentence_naming_the_key()
    {
        var result = await CliRunner.RunProcessAsync(new Dictionary<string, string> { ["BATCHENGINE_Inactivity__ConsecutiveMisses"] = "0" },
            "status", "--period", "1404-07", "--db", Path.Combine(_directory, "settings.db"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.Some.Contains("Inactivity:ConsecutiveMisses is 0; it must be 1 to 24."));
        Assert.That(File.Exists(Path.Combine(_directory, "settings.db")), Is.False, "refused before the database was touched");
    }

    [Test]
    public async Task The_dashboard_uses_the_database_given_by_db_creates_a_missing_data_folder_and_loads_no_demo_unless_asked()
    {
        var database = Path.Combine(_directory, "databases", "national.db");
        var data = Path.Combine(_directory, "not", "yet", "data");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);

        var (exit, output, error) = await RunDashboardUntilAsync(
            () => File.Exists(database) && File.Exists(Path.Combine(data, "hangfire.db")),
            "--db", database, "--data", data, "--urls", "http://127.0.0.1:0");

        Assert.That(exit, Is.Null, $"the host stopped by itself: {error}{output}");
        Assert.That(File.Exists(Path.Combine(data, "batchengine.db")), Is.False, "the default database beside the data was not used");
        Assert.That(await new RegisterStore(Database.FromSetting(database)).CountUnitsAsync(), Is.Zero, "a named database gets no demo unasked");
        Assert.That(output, Does.Contain("no demo data"));

        var demo = Path.Combine(_directory, "databases", "demo.db");
        var demoData = Path.Combine(_directory, "demo-data");
        (exit, output, error) = await RunDashboardUntilAsync(
            () => File.Exists(Path.Combine(demoData, "hangfire.db")),
            "--db", demo, "--data", demoData, "--urls", "http://127.0.0.1:0", "--demo", "--DemoUnits", "62");
        Assert.That(exit, Is.Null, $"the host stopped by itself: {error}{output}");
        Assert.That(await new RegisterStore(Database.FromSetting(demo)).CountUnitsAsync(), Is.Positive, "--demo asks for it");
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Starts the Dashboard and waits until it exits (its exit code) or <paramref name="ready"/> holds (then stops it:
    /// exit code null).
    /// </summary>
    private static Task<(int? Exit, string Output, string Error)> RunDashboardUntilAsync(Func<bool> ready, params string[] args) =>
        RunDashboardUntilAsync(ready, CliRunner.BuiltProgram("BatchEngine.Dashboard", args));

    private static async Task<(int? Exit, string Output, string Error)> RunDashboardUntilAsync(Func<bool> ready, ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && !ready())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("The dashboard neither exited nor became ready within two minutes.");
            }

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(100));
        }

        int? exit = process.HasExited ? process.ExitCode : null;
        if (exit is null)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        return (exit, await output, await error);
    }
}
