using System.Data.Common;
using System.Diagnostics;
using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;

namespace BatchEngine.Jobs.Cli;

/// <summary>The <c>batchengine</c> command line: parses, runs one command, and turns user mistakes into one sentence.</summary>
public static class BatchEngineCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time)
    {
        Database? database = null;
        try
        {
            if (CommandLineGrammar.Parse(args, output) is not { } parsed)
            {
                return 0;
            }

            var settings = EngineSettings.Load(parsed.Option("data"), parsed.Option("db")).Check();
            var calendar = settings.CreateCalendar();
            if (parsed.Command == "calendar")
            {
                return CalendarCommand.Run(parsed, calendar, output);
            }

            database = settings.OpenDatabase();
            var applied = CommandLineGrammar.ReadOnly.Contains(parsed.Path) ? await RequireCurrentSchemaAsync(database) : await new Migrator(database).MigrateAsync();
            switch (parsed.Command)
            {
                case "migrate":
                    parsed.RejectUnknownOptions();
                    output.WriteLine(applied.Count == 0
                        ? $"The schema of {database.Description} is current (version {await new Migrator(database).CurrentVersionAsync()})."
                        : $"Applied {string.Join(", ", applied)} to {database.Description}.");
                    return 0;
                case "demo-data":
                    var units = CliParsing.PositiveInt(parsed.Option("units"), "units", DemoData.DefaultUnits);
                    var periods = CliParsing.PositiveInt(parsed.Option("periods"), "periods", DemoData.DefaultPeriods);
                    parsed.RejectUnknownOptions();
                    return await LoadDemoDataAsync(database, settings, units, periods, time, output);
                case "worker":
                    return await WorkerCommand.RunAsync(parsed, settings, output);
                case "import":
                    return await ImportCommand.RunAsync(parsed, database, settings, time, output);
                case "register":
                    return await RegisterCommand.RunAsync(parsed, database, calendar, settings, time, output);
                case "users":
                    return await UsersCommand.RunAsync(parsed, database, time, output);
                case "holidays":
                    return HolidaysCommand.Run(parsed, settings, time, output);
                case "closures":
                    return await ClosuresCommand.RunAsync(parsed, database, time, output);
                case "deliver":
                    return await DeliverCommand.RunAsync(parsed, database, calendar, settings, time, output);
                case "deliveries":
                    return await DeliverCommand.ListAsync(parsed, database, settings, output);
                case "statistics":
                    return await StatisticsCommand.RunAsync(parsed, database, settings, time, output);
                case "tick":
                    return await TickCommand.RunAsync(parsed, database, calendar, settings, time, output);
                default:
                    return await StatusCommand.RunAsync(parsed, database, calendar, settings, time, output);
            }
        }
        catch (UserErrorException e)
        {
            error.WriteLine(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is FormatException or WorkflowException or ChangedMeanwhileException or FileNotFoundException or ImportRefusedException)
        {
            error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (StorageFailure.Explain(e) is { } why)
        {
            error.WriteLine(why);
            return 4;
        }
        catch (Exception e) when (database is not null && database.Dialect.IsTimeout(e))
        {
            error.WriteLine($"Stopped: a statement on {database.Description} ran longer than the command timeout of {database.CommandTimeout.TotalSeconds:0} s (Engine:CommandTimeoutSeconds) and was cancelled. What was committed is kept; run the command again to finish.");
            return 5;
        }
        catch (Exception e) when (e is DbException or TimeoutException || e.InnerException is System.Net.Sockets.SocketException)
        {
            error.WriteLine($"Cannot use the database {database?.Description ?? "given"}: {FirstLine(e.Message)}");
            return 3;
        }
    }

    /// <summary>A command that only reads leaves the schema as it is, and refuses one that is behind this program.</summary>
    private static async Task<IReadOnlyList<string>> RequireCurrentSchemaAsync(Database database)
    {
        var latest = Migrator.Scripts.Max(s => s.Version);
        // Unreachable is said as such (exit 3); only a database without the schema's table is at version 0.
        await (await database.OpenAsync()).DisposeAsync();
        int current;
        try
        {
            current = await new Migrator(database).CurrentVersionAsync();
        }
        catch (DbException)
        {
            current = 0;
        }

        return current >= latest
            ? []
            : throw new UserErrorException($"The schema of {database.Description} is at version {current}, this program's is {latest}: run `batchengine migrate` first.", 3);
    }

    private static async Task<int> LoadDemoDataAsync(Database database, EngineSettings settings, int units, int periods, TimeProvider time, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        DemoSummary summary;
        try
        {
            summary = await new DemoData(database, settings.CreateCalendar(), settings.ConsecutiveMisses).LoadAsync(units, time.GetUtcNow(), periods);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new UserErrorException(e is ArgumentException a ? a.Message.Split(" (Parameter")[0] : e.Message);
        }

        output.WriteLine($"Loaded {summary.Units} units, {summary.Returns} returns over {summary.Periods} periods and {summary.Flags} missed-deadline flags into {database.Description} in {watch.Elapsed.TotalSeconds:F1} s.");
        output.WriteLine("Demo sign-ins (password for all: " + DemoData.DemoPassword + "):");
        foreach (var account in DemoData.Accounts)
        {
            output.WriteLine($"  {account.UserName,-16} {account.Description}");
        }

        return 0;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
