using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Register;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>register import FILE --kind units|products|liaisons|users [--province CODE] [--dry-run] [--report OUT.csv]</c>,
/// <c>register close --licence NO --reason TEXT [--at INSTANT]</c>, <c>register reopen --licence NO --reason TEXT</c>.
/// The command line acts as the ministry. Exit 0 when every row was taken, 1 when some were rejected.
/// </summary>
internal static class RegisterCommand
{
    private static readonly Actor CommandLine = Actor.MinistryExpert("command line");

    public static async Task<int> RunAsync(CliArguments args, Database database, ReportingCalendar calendar, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var action = args.Positional.Count > 0 ? args.Positional[0] : "";
        return action switch
        {
            "import" => await ImportAsync(args, database, settings, time, output),
            "close" or "reopen" => await LifecycleAsync(args, action, database, calendar, time, output),
            _ => throw new UserErrorException("register needs import, close or reopen (for example: batchengine register import units.csv --kind units --province tehran)."),
        };
    }

    private static async Task<int> ImportAsync(CliArguments args, Database database, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var path = args.Positional.Count == 2 ? args.Positional[1] : throw new UserErrorException("register import needs one FILE.");
        var kindText = args.RequiredOption("kind", "units");
        var kind = Enum.TryParse<RegisterKind>(kindText, ignoreCase: true, out var parsed) && !int.TryParse(kindText, out _)
            ? parsed
            : throw new UserErrorException($"--kind must be units, products, liaisons or users, not '{kindText}'.");
        var province = args.Option("province");
        var dryRun = args.Flag("dry-run");
        var report = args.Option("report");
        args.RejectUnknownOptions();
        if (province is not null && await new RegisterStore(database).FindProvinceAsync(province) is null)
        {
            throw new UserErrorException($"There is no province '{province}'.");
        }

        var summary = await new RegisterImport(database, settings.ImportOptions(), time).RunAsync(path, kind, province, dryRun, report, CommandLine.Name, AccountManager.CommandLine);
        output.WriteLine($"{(dryRun ? "Checked" : "Loaded")} {Path.GetFileName(path)} ({summary.Encoding}) as {kind.ToString().ToLowerInvariant()}{(dryRun ? "; nothing was changed" : "")}.");
        output.WriteLine($"  rows read          {summary.RowsRead}");
        output.WriteLine($"  rows in error      {summary.RowsInError}");
        if (summary.Outcome is { } outcome)
        {
            output.WriteLine($"  created            {outcome.Created}");
            output.WriteLine($"  updated            {outcome.Updated}");
            output.WriteLine($"  unchanged          {outcome.Unchanged}");
            if (kind == RegisterKind.Liaisons)
            {
                output.WriteLine($"  left their unit    {outcome.Ended}");
            }

            foreach (var (user, password) in outcome.Passwords)
            {
                output.WriteLine($"  first password of {user}: {password} (to be changed at the first sign-in)");
            }
        }
        else if (dryRun)
        {
            output.WriteLine($"  rows to load       {summary.Valid}");
        }

        if (summary.Missing.Count > 0)
        {
            output.WriteLine($"Units of the province not in the file (kept; close them if they no longer exist): {string.Join(", ", summary.Missing)}");
        }

        if (summary.Errors > 0)
        {
            output.WriteLine($"Errors ({summary.Errors}{(report is null ? "; --report FILE writes them all" : $"; all in {report}")}):");
            foreach (var error in summary.FirstErrors)
            {
                output.WriteLine($"  line {error.Line}, {error.Column}, '{error.Value}': {error.Error}");
            }
        }

        return summary.RowsInError > 0 ? 1 : 0;
    }

    private static async Task<int> LifecycleAsync(CliArguments args, string action, Database database, ReportingCalendar calendar, TimeProvider time, TextWriter output)
    {
        var licence = PersianText.Clean(args.RequiredOption("licence", "10000001"));
        var reason = args.RequiredOption("reason", "\"closed by the owner\"");
        var at = action == "close" ? CliParsing.Instant(args.Option("at"), calendar.Clock, time, "at") : time.GetUtcNow();
        args.RejectUnknownOptions();
        var unit = await new RegisterStore(database).FindUnitByLicenceAsync(licence)
            ?? throw new UserErrorException($"No unit with licence number {licence} is in the register.");
        var lifecycle = new UnitLifecycle(database);
        if (action == "close")
        {
            await lifecycle.CloseAsync(unit.Id, at.UtcDateTime, reason, CommandLine, time.GetUtcNow().UtcDateTime);
            output.WriteLine($"Unit {licence} is closed from {InstantText.Jalali(at, calendar.Clock)}: not expected for periods that open from then on.");
        }
        else
        {
            await lifecycle.ReopenAsync(unit.Id, reason, CommandLine, time.GetUtcNow().UtcDateTime);
            output.WriteLine($"Unit {licence} is open again and expected from the next period that opens.");
        }

        return 0;
    }
}
