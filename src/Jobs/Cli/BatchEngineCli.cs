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
    private const string Usage = """
        batchengine <command> [options]

          migrate                                   create or upgrade the database schema
          demo-data [--units N] [--periods N]       load realistic demo data into an empty database
          calendar --period YYYY-MM [--json]        when a period opens, its deadline and reminders
          status --period YYYY-MM [--province CODE] [--json]
                                                    counts per state, on time / late / missing / flagged
          tick [--now INSTANT]                      run everything due at INSTANT (default now) and print it
          import FILE --province CODE [--dry-run] [--report OUT.csv]
                                                    bulk-load a returns CSV as that province's office
          register import FILE --kind units|products|liaisons|users [--province CODE] [--dry-run] [--report OUT.csv]
          register close --licence NO --reason TEXT [--at INSTANT]
          register reopen --licence NO --reason TEXT
                                                    load and keep the register; close and reopen units
          users add NAME --role admin|ministry-expert|provincial-expert [--province CODE] [--display-name TEXT] [--email ADDRESS]
                                                    create an account (the first admin) with a one-time password
          holidays add YYYY-MM-DD --name TEXT       add an announced holiday to the holiday file
          closures add YYYY-MM-DD --province CODE --reason TEXT
                                                    record a day one province's offices are closed
          deliver [--partner NAME] [--now INSTANT] [--resend SEQ]
                                                    build and send what is due to partners (or send delivery SEQ again)
          deliveries [--partner NAME] [--page N]    every delivery's status and attempts, 100 a page
          worker                                    run the engine (Hangfire server, Quartz scheduler) without the web

        Every command takes --db CONNECTION (or BATCHENGINE_DB): a SQLite file path, or a PostgreSQL
        connection string (Host=...); and --data DIR (default ./data).
        """;

    private static readonly HashSet<string> Flags = ["json", "dry-run"];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time)
    {
        Database? database = null;
        try
        {
            var parsed = CliArguments.Parse(args, Flags);
            if (parsed.Command is "help" or "--help" or "-h")
            {
                output.WriteLine(Usage);
                return 0;
            }

            var settings = EngineSettings.Load(parsed.Option("data"), parsed.Option("db"));
            var calendar = settings.CreateCalendar();
            if (parsed.Command == "calendar")
            {
                return CalendarCommand.Run(parsed, calendar, output);
            }

            if (parsed.Command is not ("migrate" or "demo-data" or "status" or "tick" or "worker" or "import" or "deliver" or "deliveries" or "register" or "users" or "holidays" or "closures"))
            {
                throw new UserErrorException($"Unknown command '{parsed.Command}'; run `batchengine help` for the list of commands.");
            }

            database = settings.OpenDatabase();
            var applied = await new Migrator(database).MigrateAsync();
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
