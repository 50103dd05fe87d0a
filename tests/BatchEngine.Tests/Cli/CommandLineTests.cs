using System.CommandLine;
using BatchEngine.Jobs.Cli;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Cli;

/// <summary>
/// The command line's grammar (issue #18): help on every command and subcommand, a mistake named by its own option or
/// argument with exit 2, and a command that only reads never changes the schema.
/// </summary>
[Category(Categories.Process)]
public sealed class CommandLineTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("batchengine-cli-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static IEnumerable<string[]> EveryCommand()
    {
        IEnumerable<string[]> Walk(Command command, string[] path) =>
            command.Subcommands.SelectMany(c => Walk(c, [.. path, c.Name]).Prepend([.. path, c.Name]));
        return Walk(CommandLineGrammar.Build(), []).Prepend([]);
    }

    [TestCaseSource(nameof(EveryCommand))]
    public async Task Every_command_and_subcommand_answers_help_and_exits_0(string[] path)
    {
        var result = await CliRunner.RunAsync([.. path, "--help"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("Usage:").And.Contain($"batchengine {string.Join(' ', path)}".TrimEnd()));
        Assert.That(result.Error, Is.Empty);
    }

    [TestCase(new[] { "status", "--period", "1405-08", "--frobnicate", "x" }, "The status command does not take --frobnicate")]
    [TestCase(new[] { "status", "--period", "1405-08", "stray" }, "The status command does not take the argument 'stray'")]
    [TestCase(new[] { "register", "close", "--licence", "1", "--reason", "x", "--at", "tomorrow" }, "--at 'tomorrow' is not an instant")]
    [TestCase(new[] { "register" }, "register needs one of: import, close, reopen")]
    [TestCase(new[] { "frobnicate" }, "Unknown command 'frobnicate'")]
    [TestCase(new[] { "import", "--province", "tehran" }, "Run `batchengine import --help`")]
    public async Task A_mistake_is_one_sentence_naming_what_was_wrong_and_exit_2(string[] args, string said)
    {
        var result = await CliRunner.RunAsync([.. args, "--db", Path.Combine(_folder, "x.db")]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Error, Does.Contain(said));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_command_that_only_reads_never_migrates_and_says_what_to_run()
    {
        var database = Path.Combine(_folder, "empty.db");

        var status = await CliRunner.RunAsync("status", "--period", "1405-08", "--db", database);
        var deliveries = await CliRunner.RunAsync("deliveries", "--db", database);
        var migrated = await CliRunner.RunAsync("migrate", "--db", database);
        var after = await CliRunner.RunAsync("deliveries", "--db", database);

        Assert.That((status.ExitCode, deliveries.ExitCode), Is.EqualTo((3, 3)));
        Assert.That(status.Error, Does.Contain("is at version 0").And.Contain("run `batchengine migrate` first"));
        Assert.That(migrated.Output, Does.StartWith("Applied 0001_"), "status and deliveries created nothing");
        Assert.That((after.ExitCode, after.Output), Is.EqualTo((0, "No deliveries yet." + Environment.NewLine)));
    }
}
