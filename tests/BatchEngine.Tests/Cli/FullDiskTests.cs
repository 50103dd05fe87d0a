using System.Diagnostics;
using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using BatchEngine.Tests.Engine;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Cli;

/// <summary>The embedded default on a data folder that fills up: a real small file system (tmpfs) mounted for the test.</summary>
[Category(Categories.Process)]
public sealed class FullDiskTests
{
    private string _folder = "";

    [SetUp]
    public void MountSmallFolder()
    {
        _folder = Directory.CreateTempSubdirectory("batchengine-full-").FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", _folder);
    }

    [TearDown]
    public void Unmount()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Run("umount", "-l", _folder);
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task A_tick_on_a_full_data_folder_stops_with_one_sentence_and_a_rerun_with_room_sends_the_rest()
    {
        const int units = 2000;
        var (path, database) = await SeedAsync(units);
        var settings = new Dictionary<string, string?> { ["Notifications:ClaimLeaseSeconds"] = "2" };

        using (var full = new WorkerProcess(path, _folder, settings, "tick", "--now", "1405-08-30T09:00"))
        {
            Assert.That(await full.WaitForExitAsync(TimeSpan.FromMinutes(2)), Is.EqualTo(4), full.Output);
            Assert.That(full.Output, Does.Contain("Stopped: the disk holding").And.Contain("is full"));
            Assert.That(full.Output, Does.Not.Contain("   at "), "no stack trace");
        }

        await using (var connection = await database.OpenAsync())
        {
            Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
        }

        Run("mount", "-o", "remount,size=64m", _folder);
        using (var rerun = new WorkerProcess(path, _folder, settings, "tick", "--now", "1405-08-30T09:00"))
        {
            Assert.That(await rerun.WaitForExitAsync(TimeSpan.FromMinutes(2)), Is.Zero, rerun.Output);
        }

        await using var check = await database.OpenAsync();
        Assert.That(await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE channel = 'Email' AND status = 'Sent'"), Is.EqualTo(units));
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "outbox", "email"), "*.eml", SearchOption.AllDirectories), Has.Length.EqualTo(units));
    }

    [Test]
    public async Task A_read_only_data_folder_stops_a_tick_with_one_sentence_and_leaves_the_database_intact()
    {
        const int units = 50;
        var (path, database) = await SeedAsync(units);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Run("mount", "-o", "remount,ro", _folder);

        using (var readOnly = new WorkerProcess(path, _folder, new Dictionary<string, string?>(), "tick", "--now", "1405-08-30T09:00"))
        {
            Assert.That(await readOnly.WaitForExitAsync(TimeSpan.FromMinutes(2)), Is.EqualTo(4), readOnly.Output);
            Assert.That(readOnly.Output, Does.Contain("Stopped: ").And.Contain("read-only"));
            Assert.That(readOnly.Output, Does.Not.Contain("   at "), "no stack trace");
        }

        Run("mount", "-o", "remount,rw", _folder);
        await using var connection = await database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE channel = 'Email' AND status = 'Pending'"), Is.EqualTo(units));
    }

    /// <summary>The embedded database on the small folder, with a reminder stage due for <paramref name="units"/> units.</summary>
    private async Task<(string Path, Database Database)> SeedAsync(int units)
    {
        var path = Path.Combine(_folder, "batchengine.db");
        var database = Database.FromSetting(path);
        await new Migrator(database).MigrateAsync();
        await WorkerFixtures.SeedDueRemindersAsync(database, _folder, path, units);
        return (path, database);
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{command} failed (the tests run as root, as .ci/run does): {process.StandardError.ReadToEnd()}");
    }
}
