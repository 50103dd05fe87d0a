using System.Collections.Concurrent;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using MimeKit;

namespace BatchEngine.Jobs.Notifications;

/// <summary>What one send batch did; <see cref="Stopped"/> says why it gave its remaining rows back, if it did.</summary>
public sealed record SendReport(int Sent, int Retrying, int Failed, int Invalid, int Skipped, string? Stopped = null)
{
    public static readonly SendReport None = new(0, 0, 0, 0, 0);
    public int Claimed => Sent + Retrying + Failed + Invalid;
    public SendReport Add(SendReport other) =>
        new(Sent + other.Sent, Retrying + other.Retrying, Failed + other.Failed, Invalid + other.Invalid, Skipped + other.Skipped, Stopped ?? other.Stopped);
}

/// <summary>
/// Sends one batch from a ledger: claims due rows, renders each from the templates, sends them through a bounded
/// number of reused connections, and marks every row the moment its message is out.
/// </summary>
public sealed class NotificationSender(
    Database database, NotificationOptions options, IEmailTransport email, ISmsGateway sms, MessageTemplates templates, TehranClock clock,
    ReviewDeadline reviewDeadline)
{
    private readonly SmsWindow _smsWindow = new(options.Sms, clock);

    public async Task<SendReport> SendRemindersAsync(Channel channel, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ledger = Ledger.Reminders(database);
        var reminders = new ReminderLedger(database);
        var claim = await ledger.ClaimAsync(channel.ToString(), now.UtcDateTime, Lease, options.BatchSize);
        if (claim is null)
        {
            return SendReport.None;
        }

        var skipped = await reminders.SkipReportedAsync(claim.Token);
        var rows = await reminders.ClaimedAsync(claim.Token);
        var liaisons = await reminders.LiaisonsAsync(claim.Token);
        var items = rows.Select(row => Reminder(row, liaisons[row.UnitId].ToList(), now)).ToList();
        var report = (await SendAsync(ledger, claim, channel, items, now, cancellationToken)) with { Skipped = skipped };
        EngineMetrics.Sent("reminder", channel, report);
        return report;
    }

    public async Task<SendReport> SendDigestsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ledger = Ledger.Digests(database);
        var digests = new DigestLedger(database);
        var claim = await ledger.ClaimAsync(null, now.UtcDateTime, Lease, options.BatchSize);
        if (claim is null)
        {
            return SendReport.None;
        }

        var items = new List<Outgoing>();
        foreach (var row in await digests.ClaimedAsync(claim.Token))
        {
            items.Add(Digest(row, await digests.NonReportingAsync(row.ProvinceCode, row.Period), await digests.AwaitingReviewAsync(row.ProvinceCode), now));
        }

        var report = await SendAsync(ledger, claim, Channel.Email, items, now, cancellationToken);
        EngineMetrics.Sent("digest", Channel.Email, report);
        return report;
    }

    /// <summary>
    /// Sends every due message of every ledger, batch after batch, until none is left (the command line's tick). Rows
    /// held by another sender are waited for: a live one finishes them, a dead one's (a crashed run's) come due when
    /// its lease runs out, and are sent here; after a few leases' time the rest is left to the next run.
    /// </summary>
    public async Task<SendReport> DrainAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var total = SendReport.None;
        var ledgers = new (Ledger Ledger, string? Channel, Func<Task<SendReport>> Send)[]
        {
            (Ledger.Reminders(database), nameof(Channel.Email), () => SendRemindersAsync(Channel.Email, now, cancellationToken)),
            (Ledger.Reminders(database), nameof(Channel.Sms), () => SendRemindersAsync(Channel.Sms, now, cancellationToken)),
            (Ledger.Digests(database), null, () => SendDigestsAsync(now, cancellationToken)),
        };
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            foreach (var (_, _, send) in ledgers)
            {
                SendReport batch;
                do
                {
                    batch = await send();
                    total = total.Add(batch);
                }
                while (batch.Claimed > 0 && batch.Sent + batch.Failed + batch.Invalid > 0);
            }

            var leaseEnds = new List<TimeSpan>();
            foreach (var (ledger, channel, _) in ledgers)
            {
                if ((await ledger.DueAsync(channel, now.UtcDateTime)).LeaseEndsIn is { } ends)
                {
                    leaseEnds.Add(ends);
                }
            }

            if (leaseEnds.Count == 0 || patience.Elapsed > Lease * HeldPatienceLeases)
            {
                return total;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(leaseEnds.Min().TotalMilliseconds, 100, 1000)), cancellationToken);
        }
    }

    /// <summary>How long, in leases, <see cref="DrainAsync"/> waits for rows held by another sender.</summary>
    private const int HeldPatienceLeases = 3;

    private TimeSpan Lease => TimeSpan.FromSeconds(options.ClaimLeaseSeconds);

    private Outgoing Reminder(ClaimedReminder row, List<Data.Register.Liaison> liaisons, DateTimeOffset now)
    {
        var deadlineDay = clock.DateOf(new DateTimeOffset(row.LateFrom).AddTicks(-1));
        var values = new Dictionary<string, string>
        {
            ["unit_name"] = row.UnitName,
            ["licence"] = PersianText.Digits(row.LicenceNo),
            ["period"] = row.Period.ToPersian(),
            ["deadline"] = deadlineDay.ToPersian(),
            ["days_left"] = PersianText.Digits(Math.Max(0, deadlineDay.ToGregorian().DayNumber - clock.DateOf(now).ToGregorian().DayNumber)),
        };
        // A reminder sent after the unit's deadline in force (only an expert's, by hand) is an overdue notice.
        var kind = row.Stage == ReminderLedger.OverdueStage || now.UtcDateTime >= row.LateFrom ? "overdue" : "reminder";
        var reference = $"reminder-{row.Id}";
        if (row.Channel == Channel.Email)
        {
            var (valid, invalid) = Split(liaisons.Select(l => l.Email), e => MailboxAddress.TryParse(e, out _) && e.Contains('@') ? e : null);
            return new Outgoing(row.Id, row.Attempts, valid, invalid, reference, $"{row.Period}/{row.Stage}/{row.LicenceNo}.eml",
                () => templates.Render(kind, "email", values));
        }

        var (numbers, wrong) = Split(liaisons.Select(l => l.Mobile), MobileNumber.Normalise);
        return new Outgoing(row.Id, row.Attempts, numbers, wrong, reference, "", () => templates.Render(kind, "sms", values));
    }

    private Outgoing Digest(ClaimedDigest row, IReadOnlyList<NonReportingUnit> units, IReadOnlyList<AwaitingReview> awaiting, DateTimeOffset now)
    {
        var overdue = awaiting.Count(r => reviewDeadline.Due(ActorRole.ProvincialExpert, r.Period, r.ArrivedAt) <= now);
        var values = new Dictionary<string, string>
        {
            ["expert"] = row.ExpertName,
            ["province"] = row.ProvinceName,
            ["period"] = row.Period.ToPersian(),
            ["count"] = PersianText.Digits(units.Count),
            ["today"] = clock.DateOf(now).ToPersian(),
            ["units"] = string.Join("\n", units.Select(u => $"- {PersianText.Digits(u.LicenceNo)} {u.Name}")),
            ["awaiting"] = PersianText.Number(awaiting.Count),
            ["overdue"] = PersianText.Number(overdue),
            ["review_day"] = reviewDeadline.Day(ActorRole.ProvincialExpert, row.Period).ToPersian(),
        };
        var (valid, invalid) = Split([row.Email], e => MailboxAddress.TryParse(e, out _) && e.Contains('@') ? e : null);
        return new Outgoing(row.Id, row.Attempts, valid, invalid, $"digest-{row.Id}", $"digests/{row.Day}/{row.UserId}.eml",
            () => templates.Render("digest", "email", values), Skip: units.Count == 0);
    }

    /// <summary>
    /// Sends a claim's messages through at most <c>Parallelism</c> reused connections, their sending recorded by group
    /// commit (<see cref="SentRecorder"/>). A message starts only while at least half the claim's lease is left (a
    /// heartbeat renews it); a sender that finds its rows taken over or cannot renew in time stops at once and gives
    /// back what it has not tried.
    /// </summary>
    private async Task<SendReport> SendAsync(Ledger ledger, LedgerClaim claim, Channel channel, List<Outgoing> items, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<Outgoing>(items);
        int sent = 0, retrying = 0, failed = 0, invalid = 0;
        var held = items.Count;
        string? stopped = null;
        void Stop(string why) => Interlocked.CompareExchange(ref stopped, why, null);
        void Lost(bool stillHeld, int count = 1)
        {
            Interlocked.Add(ref held, -count);
            if (!stillHeld)
            {
                Stop("another sender took over rows of this claim");
            }
        }

        // One ledger write at a time from this batch: SQLite has one writer, and waiting here is cheaper than its busy
        // retries; the heartbeat goes through it too, so it counts the rows held between two marks.
        using var writeLock = new SemaphoreSlim(1, 1);
        async Task<T> Write<T>(Func<Task<T>> write)
        {
            await writeLock.WaitAsync(CancellationToken.None);
            try
            {
                return await write();
            }
            finally
            {
                writeLock.Release();
            }
        }

        await using var recordings = await database.OpenAsync(cancellationToken);
        var recorder = new SentRecorder(group => Write(async () =>
        {
            var marked = await ledger.MarkSentAsync(group, claim.Token, now.UtcDateTime, recordings);
            Lost(marked == group.Count, marked);
            return marked;
        }), options.MarkEvery);
        var recording = recorder.RunAsync();
        using var done = new CancellationTokenSource();
        var heartbeat = RenewWhileSendingAsync(() => Write(() => ledger.RenewAsync(claim, Volatile.Read(ref held))), claim, Stop, done.Token);
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(options.Parallelism, items.Count))).Select(async _ =>
        {
            IEmailSession? session = null;
            await using var marks = await database.OpenAsync(cancellationToken);
            var recorded = recorder.Open();
            try
            {
                while (Volatile.Read(ref stopped) is null && queue.TryDequeue(out var item))
                {
                    if (claim.Remaining < claim.Lease / 2)
                    {
                        queue.Enqueue(item);
                        Stop("the claim's lease could not be renewed in time");
                        break;
                    }

                    var recipients = string.Join(",", item.Recipients);
                    var note = item.Invalid.Count == 0 ? null : $"not sent to invalid {(channel == Channel.Sms ? "mobile numbers" : "addresses")}: {string.Join(", ", item.Invalid)}";
                    if (item.Skip)
                    {
                        Lost(await Write(() => ledger.MarkFinalAsync(item.Id, claim.Token, DeliveryStatus.Skipped, "nothing left to report", null, marks)));
                        continue;
                    }

                    if (item.Recipients.Count == 0)
                    {
                        Lost(await Write(() => ledger.MarkFinalAsync(item.Id, claim.Token, DeliveryStatus.Invalid, note ?? "no recipient", null, marks)));
                        Interlocked.Increment(ref invalid);
                        continue;
                    }

                    try
                    {
                        var rendered = item.Render();
                        if (channel == Channel.Email)
                        {
                            session ??= await email.OpenAsync(cancellationToken);
                            var message = MessageTemplates.Email(options.Email.From, item.Recipients, rendered, $"{item.Reference}@batchengine.local");
                            await session.SendAsync(message, item.FileName, cancellationToken);
                        }
                        else
                        {
                            await sms.SendAsync(item.Recipients, rendered.Body, item.Reference, cancellationToken);
                        }

                        Interlocked.Increment(ref sent);
                        await recorded.SentAsync(new SentMessage(item.Id, recipients, note));
                    }
                    catch (DeliveryException e)
                    {
                        if (session is not null && e.Retryable)
                        {
                            // The connection may be what failed: the next message opens a fresh one.
                            await session.DisposeAsync();
                            session = null;
                        }

                        if (e.Retryable && item.Attempts < options.MaxAttempts)
                        {
                            var retryAt = now + options.RetryDelay(item.Attempts);
                            Lost(await Write(() => ledger.MarkRetryAsync(item.Id, claim.Token, e.Message, (channel == Channel.Sms ? _smsWindow.NextAllowed(retryAt) : retryAt).UtcDateTime, marks)));
                            Interlocked.Increment(ref retrying);
                        }
                        else
                        {
                            Lost(await Write(() => ledger.MarkFinalAsync(item.Id, claim.Token, DeliveryStatus.Failed, $"gave up after {item.Attempts} attempt(s): {e.Message}", recipients, marks)));
                            Interlocked.Increment(ref failed);
                        }
                    }
                }
            }
            catch
            {
                Stop("a ledger write failed");
                throw;
            }
            finally
            {
                await recorded.FlushAsync();
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }
        }).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            recorder.Finish();
            await recording;
            await done.CancelAsync();
            await heartbeat;
            await ReleaseUntriedAsync(ledger, claim, queue);
        }

        return new SendReport(sent, retrying, failed, invalid, 0, stopped);
    }

    /// <summary>Gives back what a stopped batch never tried; when the database cannot take it now, the lease expires instead.</summary>
    private static async Task ReleaseUntriedAsync(Ledger ledger, LedgerClaim claim, ConcurrentQueue<Outgoing> untried)
    {
        try
        {
            await ledger.ReleaseAsync(claim.Token, untried.Select(i => i.Id).ToList());
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or IOException)
        {
        }
    }

    /// <summary>
    /// Renews the claim four times per lease. A renewal that finds rows gone stops the batch; one that fails (the
    /// database is away) leaves the sender's own view of the lease running down, which stops it in time.
    /// </summary>
    private static async Task RenewWhileSendingAsync(Func<Task<bool>> renew, LedgerClaim claim, Action<string> stop, CancellationToken done)
    {
        using var timer = new PeriodicTimer(claim.Lease / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                try
                {
                    if (!await renew())
                    {
                        stop("another sender took over rows of this claim");
                    }
                }
                catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or IOException or InvalidOperationException)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static (List<string> Valid, List<string> Invalid) Split(IEnumerable<string?> raw, Func<string, string?> normalise)
    {
        var valid = new List<string>();
        var invalid = new List<string>();
        foreach (var value in raw.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()))
        {
            if (normalise(value) is { } ok)
            {
                if (!valid.Contains(ok))
                {
                    valid.Add(ok);
                }
            }
            else
            {
                invalid.Add(value);
            }
        }

        return (valid, invalid);
    }

    private sealed record Outgoing(long Id, int Attempts, List<string> Recipients, List<string> Invalid, string Reference, string FileName,
        Func<RenderedMessage> Render, bool Skip = false);
}
