using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Cli;

/// <summary>The real program, as a user runs it: mistakes end in one sentence on stderr, never a stack trace.</summary>
[Category(Categories.Process)]
public sealed class ProcessTests
{
    [Test]
    public async Task An_unreachable_postgresql_is_one_sentence_and_exit_3()
    {
        var port = PostgresServer.FreePort();
        var result = await CliRunner.RunProcessAsync("status", "--period", "1404-06", "--db", $"Host=127.0.0.1;Port={port};Username=postgres;Database=x;Timeout=3");
        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Error, Does.StartWith($"Cannot use the database PostgreSQL 127.0.0.1:{port}/x:"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_bad_period_through_the_real_program()
    {
        var result = await CliRunner.RunProcessAsync("calendar", "--period", "1404-99");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error.Trim(), Is.EqualTo("'1404-99' is not a period; expected a Jalali year and month such as 1404-07."));
    }

    [Test]
    public async Task The_environment_variable_chooses_the_database()
    {
        var directory = Directory.CreateTempSubdirectory("batchengine-env-").FullName;
        var path = Path.Combine(directory, "from-env.db");
        Environment.SetEnvironmentVariable("BATCHENGINE_DB", path);
        try
        {
            var result = await CliRunner.RunProcessAsync("migrate");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(result.Output, Does.Contain(path));
            Assert.That(File.Exists(path));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATCHENGINE_DB", null);
            Directory.Delete(directory, true);
        }
    }
}
