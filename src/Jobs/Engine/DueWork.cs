using System.Diagnostics;
using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Engine;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Partners;
using BatchEngine.Data.Periods;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Partners;

namespace BatchEngine.Jobs.Engine;

/// <summary>What one run of the step did.</summary>
public sealed record DueWorkReport(
    IReadOnlyList<ReportLine> DeadlineChanges,
    IReadOnlyList<JalaliPeriod> OpenedPeriods,
    IReadOnlyList<ReportLine> RemindersWritten,
    int Flagged,
    int MarkedPossiblyInactive,
    int OverdueWritten,
    int DigestsWritten,
    SendReport Sent,
    IReadOnlyList<ReportLine> Deliveries)
{
    public const string NothingDue = "nothing was due";
    public const string NothingDuePersian = "کاری سررسید نشده بود";

    public override string ToString() => Lines().Count == 0 ? NothingDue : string.Join(Environment.NewLine, Lines().Select(l => l.English));

    /// <summary>The same report for the admin's page.</summary>
    public string ToPersian() => Lines().Count == 0 ? NothingDuePersian : string.Join(Environment.NewLine, Lines().Select(l => l.Persian));

    private List<ReportLine> Lines()
    {
        var lines = new List<ReportLine>(DeadlineChanges);
        lines.AddRange(OpenedPeriods.Select(p => new ReportLine($"opened period {p}", $"دورهٔ {p.ToPersian()} آغاز شد")));
        lines.AddRange(RemindersWritten);
        if (Flagged > 0 || MarkedPossiblyInactive > 0)
        {
            lines.Add(new ReportLine($"flagged {Flagged} missed deadline(s); {MarkedPossiblyInactive} unit(s) now possibly inactive",
                $"{PersianText.Number(Flagged)} مهلت ازدست‌رفته علامت خورد؛ {PersianText.Number(MarkedPossiblyInactive)} واحد اکنون احتمالاً غیرفعال است"));
        }

        if (OverdueWritten > 0)
        {
            lines.Add(new ReportLine($"{OverdueWritten} overdue notice(s) to send", $"{PersianText.Number(OverdueWritten)} اعلام گذشت مهلت برای فرستادن"));
        }

        if (DigestsWritten > 0)
        {
            lines.Add(new ReportLine($"{DigestsWritten} expert digest(s) to send", $"{PersianText.Number(DigestsWritten)} گزارش روزانهٔ کارشناس برای فرستادن"));
        }

        if (Sent.Claimed + Sent.Skipped > 0)
        {
            lines.Add(new ReportLine(
                $"sent {Sent.Sent}, retrying {Sent.Retrying}, failed {Sent.Failed}, invalid address {Sent.Invalid}, no longer needed {Sent.Skipped}",
                $"فرستاده {PersianText.Number(Sent.Sent)}، در انتظار تلاش دوباره {PersianText.Number(Sent.Retrying)}، ناموفق {PersianText.Number(Sent.Failed)}، " +
                $"نشانی نادرست {PersianText.Number(Sent.Invalid)}، دیگر لازم نبود {PersianText.Number(Sent.Skipped)}"));
        }

        lines.AddRange(Deliveries);
        return lines;
    }
}

/// <summary>
/// The single step "run what is due at T", shared by every Quartz firing, the hourly sweep and
/// <c>batchengine tick</c>: opens the periods that are due, writes the reminder stages that are due, flags missed
/// deadlines (marking possibly inactive units), writes overdue notices and experts' digests, then hands the
/// sending and the partner deliveries that are due to the dispatcher. Every write is guarded by a key in the database, so running it again changes nothing.
/// </summary>
public sealed class DueWork(Database database, CalendarSource calendars, EngineSettings settings, NotificationOptions options, IWorkDispatcher dispatcher)
{
    /// <summary>How many periods back a restarted engine catches up on.</summary>
    private const int CatchUpPeriods = 13;

    public async Task<DueWorkReport> RunAsync(DateTimeOffset now, string source, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var calendar = calendars.Current;
        var runs = new EngineRuns(database);
        var runId = await runs.StartAsync(source, now.UtcDateTime, DateTime.UtcNow);
        var opened = await OpenDuePeriodsAsync(calendar, now);
        var periods = (await new PeriodStore(database).AllAsync()).TakeLast(CatchUpPeriods).Select(p => p.Code).ToList();
        var deadlineChanges = await RederiveDeadlinesAsync(calendar, periods, now);
        // Nothing before the first period collected is the engine's to chase: it sent no reminder for it.
        var firstCollected = await settings.FirstCollectedAsync(database);
        bool Collected(JalaliPeriod period) => firstCollected is { } first && period >= first;
        var smsWindow = new SmsWindow(options.Sms, calendar.Clock);
        var ledger = new ReminderLedger(database);
        var flagging = new MissedDeadlines(database);
        var written = new List<ReportLine>();
        int flagged = 0, overdue = 0;
        foreach (var period in periods)
        {
            var schedule = calendar.For(period);
            var stages = schedule.Reminders.OrderBy(r => r.At).ToList();
            if (now < schedule.LateFrom)
            {
                var due = stages.Where(r => r.At <= now).ToList();
                if (due.Count == 0)
                {
                    continue;
                }

                // Only the latest stage that is due goes out: the earlier ones came due with it (the engine was down).
                var latest = due[^1];
                if (await ledger.SupersedeAsync(period, due.SkipLast(1).Select(r => r.Key).ToList(), latest.Key, now.UtcDateTime) is > 0 and var superseded)
                {
                    written.Add(new ReportLine($"{period}: {superseded} reminder(s) of earlier stages superseded by {latest.Key}",
                        $"{period.ToPersian()}: {PersianText.Number(superseded)} یادآوری مرحله‌های پیشین جای خود را به یادآوری {PersianText.Digits(latest.Stage)} دادند"));
                }

                var count = await ledger.CreateStageAsync(period, latest.Key, latest.At.UtcDateTime, smsWindow.NextAllowed(now).UtcDateTime, now.UtcDateTime);
                if (count > 0)
                {
                    written.Add(new ReportLine($"{period}/{latest.Key}: {count} reminder(s) to send",
                        $"{period.ToPersian()}، یادآوری {PersianText.Digits(latest.Stage)}: {PersianText.Number(count)} یادآوری برای فرستادن"));
                }

                continue;
            }

            await ledger.SkipPendingAfterDeadlineAsync(period, stages.Select(r => r.Key).ToList());
            if (!Collected(period))
            {
                continue;
            }

            flagged += await flagging.FlagAsync(period, now.UtcDateTime);
            if (now < schedule.LateFrom.AddDays(options.OverdueWindowDays))
            {
                overdue += await ledger.CreateOverdueAsync(period, now.UtcDateTime, smsWindow.NextAllowed(now).UtcDateTime, now.UtcDateTime);
            }
        }

        var closed = periods.Where(p => calendar.For(p).LateFrom <= now && Collected(p)).ToList();
        var misses = closed.Count == 0 ? [] : closed[^1].LastPeriods(settings.ConsecutiveMisses);
        var inactive = misses.Count == 0 || !misses.All(Collected) ? 0
            : await flagging.MarkPossiblyInactiveAsync(misses);
        var digests = await WriteDigestsAsync(calendar, closed, now);
        var sent = await dispatcher.DispatchAsync(now, cancellationToken);
        var deliveries = await dispatcher.DeliverAsync(await DueDeliveriesAsync(calendar, now), now, cancellationToken);
        var report = new DueWorkReport(deadlineChanges, opened, written, flagged, inactive, overdue, digests, sent, deliveries);
        await runs.FinishAsync(runId, report.ToString(), report.ToPersian(), DateTime.UtcNow);
        EngineMetrics.Step(source, Stopwatch.GetElapsedTime(started));
        return report;
    }

    /// <summary>
    /// One deadline truth: a holiday added or a deadline setting changed moves the stored deadline of every period whose
    /// old and new deadlines are both still ahead, so that late marks, reminders and their texts, flags and the plan agree;
    /// a deadline that has passed stays, and the refusal is reported once.
    /// </summary>
    private async Task<List<ReportLine>> RederiveDeadlinesAsync(ReportingCalendar calendar, IReadOnlyList<JalaliPeriod> periods, DateTimeOffset now)
    {
        var store = new PeriodStore(database);
        var closures = (await new ProvinceClosures(database).AllAsync())
            .GroupBy(c => c.ProvinceCode)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<JalaliDate, string>)g.ToDictionary(c => JalaliDate.Parse(c.Day), c => $"offices closed: {c.Reason}"));
        var changes = new List<ReportLine>();
        var provinceNames = closures.Count == 0 ? new Dictionary<string, string>()
            : (await new Data.Register.RegisterStore(database).ProvincesAsync()).ToDictionary(p => p.Code, p => p.Name);
        foreach (var period in periods)
        {
            // The country first: a province's deadline is told apart from the country's as it now stands.
            foreach (var province in closures.Keys.Prepend(null))
            {
                var schedule = calendar.For(period, province is null ? null : closures[province]);
                var reason = schedule.ShiftReasons.Count == 0
                    ? $"the calendar now gives {schedule.DeadlineDay}"
                    : $"the calendar now gives {schedule.DeadlineDay}, moved past {string.Join(", ", schedule.ShiftReasons)}";
                if (await store.RederiveDeadlineAsync(period, province, schedule.LateFrom.UtcDateTime, reason, now.UtcDateTime) is { } change)
                {
                    var where = province is null ? period.ToString() : $"{period} in {province}";
                    var wherePersian = period.ToPersian() + (province is null ? "" : $" (استان {provinceNames.GetValueOrDefault(province, province)})");
                    var inForce = calendar.Clock.DateOf(new DateTimeOffset(change.Before).AddTicks(-1));
                    changes.Add(change.Applied
                        ? new ReportLine($"{where}: deadline moved to {schedule.DeadlineDay} ({reason})",
                            $"{wherePersian}: مهلت به {schedule.DeadlineDay.ToPersian()} رفت" + (schedule.ShiftReasons.Count == 0 ? "" : " (روزهای پیش از آن تعطیل است)"))
                        : new ReportLine($"{where}: not moved: {reason}, but the deadline in force ({inForce}) or the new one has passed",
                            $"{wherePersian}: مهلت جابه‌جا نشد، چون مهلت در جریان ({inForce.ToPersian()}) یا مهلت تازه ({schedule.DeadlineDay.ToPersian()}) گذشته است"));
                }
            }
        }

        return changes;
    }

    /// <summary>The partners whose daily slot has come (each slot once) or whose failed delivery is due for a retry.</summary>
    private async Task<IReadOnlyList<PartnerOptions>> DueDeliveriesAsync(ReportingCalendar calendar, DateTimeOffset now)
    {
        var store = new Deliveries(database);
        var retries = (await store.DueRetriesAsync(now.UtcDateTime)).ToHashSet();
        var due = new List<PartnerOptions>();
        foreach (var partner in settings.Partners())
        {
            if (await store.ClaimSlotAsync(partner.Name, PartnerSchedule.Latest(partner, now, calendar.Clock).UtcDateTime) || retries.Contains(partner.Name))
            {
                due.Add(partner);
            }
        }

        return due;
    }

    /// <summary>Opens every period whose opening has come, back to the newest one already open (at most a year).</summary>
    private async Task<List<JalaliPeriod>> OpenDuePeriodsAsync(ReportingCalendar calendar, DateTimeOffset now)
    {
        var store = new PeriodStore(database);
        var latestOpen = await store.LatestAsync();
        var due = new List<JalaliPeriod>();
        for (var period = calendar.LatestOpenAt(now); due.Count < CatchUpPeriods; period = period.Previous)
        {
            if (latestOpen is not null && period <= latestOpen.Code)
            {
                break;
            }

            due.Add(period);
            // A database that has never opened a period starts with the current one, not with a year of missed deadlines.
            if (latestOpen is null)
            {
                break;
            }
        }

        var opened = new List<JalaliPeriod>();
        foreach (var period in due.AsEnumerable().Reverse())
        {
            var schedule = calendar.For(period);
            if (await store.OpenAsync(period, schedule.OpensAt.UtcDateTime, schedule.LateFrom.UtcDateTime, now.UtcDateTime))
            {
                opened.Add(period);
            }
        }

        return opened;
    }

    /// <summary>One digest per expert per day, from the digest time, while the newest closed period still has units to chase.</summary>
    private async Task<int> WriteDigestsAsync(ReportingCalendar calendar, IReadOnlyList<JalaliPeriod> closed, DateTimeOffset now)
    {
        if (closed.Count == 0)
        {
            return 0;
        }

        var period = closed[^1];
        var local = calendar.Clock.ToTehran(now);
        var digestTime = TimeOnly.ParseExact(options.DigestTime, "HH:mm", CultureInfo.InvariantCulture);
        if (now >= calendar.For(period).LateFrom.AddDays(options.DigestWindowDays) || TimeOnly.FromDateTime(local.DateTime) < digestTime)
        {
            return 0;
        }

        return await new DigestLedger(database).CreateAsync(period, calendar.Clock.DateOf(now).ToString(), now.UtcDateTime, now.UtcDateTime);
    }
}
