using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;

namespace BatchEngine.Jobs.Cli;

/// <summary><c>tick [--now INSTANT]</c>: runs everything due at the instant, sending in this process, and prints what it did.</summary>
internal static class TickCommand
{
    public static async Task<int> RunAsync(CliArguments args, Database database, ReportingCalendar calendar, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var now = CliParsing.Instant(args.Option("now"), calendar.Clock, time);
        args.RejectUnknownOptions();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(settings.NotificationOptions().Sms.Kavenegar.TimeoutSeconds) };
        var sender = settings.CreateSender(database, calendar, () => http);
        var report = await settings.InlineStep(database, calendar, sender).RunAsync(now, "tick");
        output.WriteLine($"As of {InstantText.Iso(now)} ({InstantText.Jalali(now, calendar.Clock)} Tehran):");
        output.WriteLine(report.ToString());
        return 0;
    }
}
