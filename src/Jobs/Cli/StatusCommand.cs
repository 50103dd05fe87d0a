using System.Text.Json;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Periods;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Status;

namespace BatchEngine.Jobs.Cli;

/// <summary><c>status --period YYYY-MM [--province CODE] [--now INSTANT] [--json]</c>: where a period stands at an instant (now by default).</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(CliArguments args, Database database, ReportingCalendar calendar, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var period = CliParsing.Period(args.RequiredOption("period", "1404-07"));
        var now = CliParsing.Instant(args.Option("now"), calendar.Clock, time);
        var province = args.Option("province");
        var json = args.Flag("json");
        args.RejectUnknownOptions();

        if (province is not null)
        {
            await CliParsing.RequireProvinceAsync(database, province);
        }

        if (await new PeriodStore(database).FindAsync(period) is null)
        {
            throw new UserErrorException(
                $"Period {period} has not been opened in this database (it opens at {InstantText.Iso(calendar.For(period).OpensAt)}).");
        }

        var status = await new PeriodOverview(database, calendar, settings).GetAsync(period, province, now);
        var reminders = await new ReminderLedger(database).CountsAsync(period, province);
        var firstCollected = await settings.FirstCollectedAsync(database);
        var holidayGap = calendar.HolidayGapAt(now);
        var upcoming = new SchedulePlanner(CalendarSource.Fixed(calendar), settings.Partners).Plan(now).Where(i => i.At > now).Take(6).ToList();
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                period = status.Period,
                province = status.Province,
                expected = status.Expected,
                byState = status.ByState.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(), s => s.Value),
                onTime = status.OnTime,
                late = status.Late,
                missing = status.Missing,
                notYetDue = status.NotYetDue,
                flagged = status.Flagged,
                possiblyInactive = status.PossiblyInactive,
                suspensionCandidates = status.SuspensionCandidates,
                firstCollected = firstCollected?.ToString(),
                holidayWarning = holidayGap?.ToString(),
                reminders = reminders.Select(r => new { stage = r.Stage, channel = r.Channel.ToString(), status = r.Status.ToString(), count = r.Count }),
                upcoming = upcoming.Select(i => new { key = i.Key, at = InstantText.Iso(i.At), atJalali = InstantText.Jalali(i.At, calendar.Clock), does = i.Description }),
            }, CliParsing.Json));
            return 0;
        }

        output.WriteLine($"Period {period} ({period.ToPersian()}), {(province is null ? "all provinces" : "province " + province)}");
        output.WriteLine($"  expected units        {status.Expected}");
        foreach (var (state, count) in status.ByState.OrderBy(s => s.Key))
        {
            output.WriteLine($"  {state,-21} {count}");
        }

        output.WriteLine($"  on time               {status.OnTime}");
        output.WriteLine($"  late                  {status.Late}");
        output.WriteLine($"  missing               {status.Missing}");
        output.WriteLine($"  not yet due           {status.NotYetDue}");
        output.WriteLine($"  flagged               {status.Flagged}");
        output.WriteLine($"  possibly inactive     {status.PossiblyInactive}");
        output.WriteLine($"  suspension candidates {status.SuspensionCandidates}");
        output.WriteLine(firstCollected is { } first
            ? $"Collected from period {first}: no flags, inactivity or overdue notices for earlier periods."
            : "No period collected yet (the first is the first one opened before its deadline): nothing is flagged.");
        output.WriteLine("Reminders (stage, channel: status count):");
        foreach (var group in reminders.GroupBy(r => (r.Stage, r.Channel)))
        {
            output.WriteLine($"  {group.Key.Stage,-11} {group.Key.Channel,-6} {string.Join(", ", group.Select(r => $"{r.Status} {r.Count}"))}");
        }

        if (holidayGap is not null)
        {
            output.WriteLine($"Warning: {holidayGap}");
        }

        output.WriteLine("Upcoming:");
        foreach (var instant in upcoming)
        {
            output.WriteLine($"  {InstantText.Jalali(instant.At, calendar.Clock)}  {instant.Key,-20} {instant.Description}");
        }

        return 0;
    }
}
