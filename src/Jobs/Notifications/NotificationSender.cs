using System.Collections.Concurrent;
using BatchEngine.Data;
using BatchEngine.Data.Notifications;
using BatchEngine.Jobs.Calendar;
using MimeKit;

namespace BatchEngine.Jobs.Notifications;

/// <summary>What one send batch did.</summary>
public sealed record SendReport(int Sent, int Retrying, int Failed, int Invalid, int Skipped)
{
    public static readonly SendReport None = new(0, 0, 0, 0, 0);
    public int Claimed => Sent + Retrying + Failed + Invalid;
    public SendReport Add(SendReport other) =>
        new(Sent + other.Sent, Retrying + other.Retrying, Failed + other.Failed, Invalid + other.Invalid, Skipped + other.Skipped);
}

/// <summary>
/// Sends one batch from a ledger: claims due rows, renders each from the templates, sends them through a bounded
/// number of reused connections, and marks every row the moment its message is out.
/// </summary>
public sealed class NotificationSender(
    Database database, NotificationOptions options, IEmailTransport email, ISmsGateway sms, MessageTemplates templates, TehranClock clock)
{
    private readonly SmsWindow _smsWindow = new(options.Sms, clock);

    public async Task<SendReport> SendRemindersAsync(Channel channel, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ledger = Ledger.Reminders(database);
        var reminders = new ReminderLedger(database);
        var token = await ledger.ClaimAsync(channel.ToString(), now.UtcDateTime, (now - Lease).UtcDateTime, options.BatchSize);
        if (token is null)
        {
            return SendReport.None;
        }

        var skipped = await reminders.SkipReportedAsync(token);
        var rows = await reminders.ClaimedAsync(token);
        var liaisons = await reminders.LiaisonsAsync(token);
        var items = rows.Select(row => Reminder(row, liaisons[row.UnitId].ToList(), now)).ToList();
        return (await SendAsync(ledger, token, channel, items, now, cancellationToken)) with { Skipped = skipped };
    }

    public async Task<SendReport> SendDigestsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ledger = Ledger.Digests(database);
        var digests = new DigestLedger(database);
        var token = await ledger.ClaimAsync(null, now.UtcDateTime, (now - Lease).UtcDateTime, options.BatchSize);
        if (token is null)
        {
            return SendReport.None;
        }

        var items = new List<Outgoing>();
        foreach (var row in await digests.ClaimedAsync(token))
        {
            items.Add(Digest(row, await digests.NonReportingAsync(row.ProvinceCode, row.Period), now));
        }

        return await SendAsync(ledger, token, Channel.Email, items, now, cancellationToken);
    }

    /// <summary>Sends every due message of every ledger, batch after batch, until none is left (the command line's tick).</summary>
    public async Task<SendReport> DrainAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var total = SendReport.None;
        foreach (var send in new Func<Task<SendReport>>[]
        {
            () => SendRemindersAsync(Channel.Email, now, cancellationToken),
            () => SendRemindersAsync(Channel.Sms, now, cancellationToken),
            () => SendDigestsAsync(now, cancellationToken),
        })
        {
            SendReport batch;
            do
            {
                batch = await send();
                total = total.Add(batch);
            }
            while (batch.Claimed > 0 && batch.Sent + batch.Failed + batch.Invalid > 0);
        }

        return total;
    }

    private TimeSpan Lease => TimeSpan.FromSeconds(options.ClaimLeaseSeconds);

    private Outgoing Reminder(ClaimedReminder row, List<Data.Register.Liaison> liaisons, DateTimeOffset now)
    {
        var deadlineDay = clock.DateOf(new DateTimeOffset(row.LateFrom).AddTicks(-1));
        var values = new Dictionary<string, string>
        {
            ["unit_name"] = row.UnitName,
            ["licence"] = PersianText.Digits(row.LicenceNo),
            ["period"] = JalaliPeriod.Parse(row.Period).ToPersian(),
            ["deadline"] = deadlineDay.ToPersian(),
            ["days_left"] = PersianText.Digits(Math.Max(0, deadlineDay.ToGregorian().DayNumber - clock.DateOf(now).ToGregorian().DayNumber)),
        };
        var kind = row.Stage == ReminderLedger.OverdueStage ? "overdue" : "reminder";
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

    private Outgoing Digest(ClaimedDigest row, IReadOnlyList<NonReportingUnit> units, DateTimeOffset now)
    {
        var values = new Dictionary<string, string>
        {
            ["expert"] = row.ExpertName,
            ["province"] = row.ProvinceName,
            ["period"] = JalaliPeriod.Parse(row.Period).ToPersian(),
            ["count"] = PersianText.Digits(units.Count),
            ["today"] = clock.DateOf(now).ToPersian(),
            ["units"] = string.Join("\n", units.Select(u => $"- {PersianText.Digits(u.LicenceNo)} {u.Name}")),
        };
        var (valid, invalid) = Split([row.Email], e => MailboxAddress.TryParse(e, out _) && e.Contains('@') ? e : null);
        return new Outgoing(row.Id, row.Attempts, valid, invalid, $"digest-{row.Id}", $"digests/{row.Day}/{row.UserId}.eml",
            () => templates.Render("digest", "email", values), Skip: units.Count == 0);
    }

    private async Task<SendReport> SendAsync(Ledger ledger, string token, Channel channel, List<Outgoing> items, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<Outgoing>(items);
        int sent = 0, retrying = 0, failed = 0, invalid = 0;
        using var done = new CancellationTokenSource();
        // One ledger write at a time from this batch: SQLite has one writer, and waiting here is cheaper than its busy retries.
        using var writeLock = new SemaphoreSlim(1, 1);
        async Task Write(Func<Task> write)
        {
            await writeLock.WaitAsync(CancellationToken.None);
            try
            {
                await write();
            }
            finally
            {
                writeLock.Release();
            }
        }

        var heartbeat = RenewWhileSendingAsync(ledger, token, now, done.Token);
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(options.Parallelism, items.Count))).Select(async _ =>
        {
            IEmailSession? session = null;
            await using var marks = await database.OpenAsync(cancellationToken);
            var sentNotMarked = new List<SentMessage>();
            try
            {
                while (queue.TryDequeue(out var item))
                {
                    var recipients = string.Join(",", item.Recipients);
                    var note = item.Invalid.Count == 0 ? null : $"not sent to invalid {(channel == Channel.Sms ? "mobile numbers" : "addresses")}: {string.Join(", ", item.Invalid)}";
                    if (item.Skip)
                    {
                        await Write(() => ledger.MarkFinalAsync(item.Id, token, DeliveryStatus.Skipped, "nothing left to report", null, marks));
                        continue;
                    }

                    if (item.Recipients.Count == 0)
                    {
                        await Write(() => ledger.MarkFinalAsync(item.Id, token, DeliveryStatus.Invalid, note ?? "no recipient", null, marks));
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

                        sentNotMarked.Add(new SentMessage(item.Id, recipients, note));
                        if (sentNotMarked.Count >= options.MarkEvery)
                        {
                            var group = sentNotMarked.ToList();
                            sentNotMarked.Clear();
                            await Write(() => ledger.MarkSentAsync(group, token, now.UtcDateTime, marks));
                        }

                        Interlocked.Increment(ref sent);
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
                            await Write(() => ledger.MarkRetryAsync(item.Id, token, e.Message, (channel == Channel.Sms ? _smsWindow.NextAllowed(retryAt) : retryAt).UtcDateTime, marks));
                            Interlocked.Increment(ref retrying);
                        }
                        else
                        {
                            await Write(() => ledger.MarkFinalAsync(item.Id, token, DeliveryStatus.Failed, $"gave up after {item.Attempts} attempt(s): {e.Message}", recipients, marks));
                            Interlocked.Increment(ref failed);
                        }
                    }
                }
            }
            finally
            {
                await Write(() => ledger.MarkSentAsync(sentNotMarked, token, now.UtcDateTime, marks));
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }
        });
        await Task.WhenAll(workers);
        await done.CancelAsync();
        await heartbeat;
        return new SendReport(sent, retrying, failed, invalid, 0);
    }

    /// <summary>
    /// Renews the batch's claim every third of the lease, so only a sender that died loses its rows to another;
    /// the renewal time runs on from the batch's own "now" (virtual under <c>tick --now</c>).
    /// </summary>
    private async Task RenewWhileSendingAsync(Ledger ledger, string token, DateTimeOffset now, CancellationToken done)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                await ledger.RenewAsync(token, (now + started.Elapsed).UtcDateTime);
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
