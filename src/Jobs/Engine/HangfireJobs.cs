using BatchEngine.Data;
using BatchEngine.Data.Notifications;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Partners;
using System.Linq.Expressions;
using Hangfire;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BatchEngine.Jobs.Engine;

/// <summary>The step as a Hangfire job: what a Quartz firing enqueues.</summary>
public sealed class DueWorkJob(DueWork step, TimeProvider time)
{
    [AutomaticRetry(Attempts = 10)]
    public Task RunAsync(string source, CancellationToken cancellationToken) => step.RunAsync(time.GetUtcNow(), source, cancellationToken);
}

/// <summary>The hourly safety sweep: re-plans Quartz from the current configuration and runs the same step, so a lost trigger loses no deadline.</summary>
public sealed class SweepJob(DueWork step, QuartzCalendar calendar, ISchedulerFactory schedulers, TimeProvider time)
{
    public const string Id = "sweep";

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await calendar.ApplyAsync(await schedulers.GetScheduler(cancellationToken), cancellationToken);
        await step.RunAsync(time.GetUtcNow(), "sweep", cancellationToken);
    }
}

/// <summary>A send batch still has messages to try again; thrown so the job shows as failed and Hangfire retries it.</summary>
public sealed class RetryLaterException(string message) : Exception(message);

/// <summary>One batch of messages, resumable: whatever it did not finish is claimed again by the next batch.</summary>
public sealed class SendBatchJob(NotificationSender sender, HangfireDispatcher dispatcher, TimeProvider time, ILogger<SendBatchJob> logger)
{
    [AutomaticRetry(Attempts = 10)]
    public async Task RemindersAsync(Channel channel, CancellationToken cancellationToken) =>
        await FinishAsync(await sender.SendRemindersAsync(channel, time.GetUtcNow(), cancellationToken));

    [AutomaticRetry(Attempts = 10)]
    public async Task DigestsAsync(CancellationToken cancellationToken) =>
        await FinishAsync(await sender.SendDigestsAsync(time.GetUtcNow(), cancellationToken));

    /// <summary>Schedules the next batch for whatever is left waiting; fails the job while messages await a retry.</summary>
    private async Task FinishAsync(SendReport report)
    {
        if (report.Stopped is { } why)
        {
            logger.LogWarning("Send batch stopped after {Sent} message(s): {Reason}; its unsent rows were given back", report.Sent, why);
        }

        await dispatcher.ScheduleWaitingAsync(time.GetUtcNow());
        if (report.Retrying > 0)
        {
            throw new RetryLaterException($"{report.Retrying} message(s) could not be sent yet and will be retried; {report.Sent} sent.");
        }
    }
}

/// <summary>The hosts' dispatcher: one Hangfire job per batch of due messages, and a job scheduled for the next waiting one.</summary>
public sealed class HangfireDispatcher(Database database, NotificationOptions options, IBackgroundJobClient jobs) : IWorkDispatcher
{
    public async Task<SendReport> DispatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (ledger, channel, job) in Sends())
        {
            var due = await ledger.DueAsync(channel, now.UtcDateTime);
            for (var i = 0; i < Batches(due.Due); i++)
            {
                jobs.Enqueue(job);
            }

            Schedule(job, due.NextIn);
        }

        return SendReport.None;
    }

    /// <summary>
    /// After a batch: schedules one for rows still due (at the scheduler's next poll, so rows locked elsewhere are not
    /// spun on), else for the earliest message that is waiting (SMS quiet hours, retry back-off, a dead sender's claim).
    /// </summary>
    public async Task ScheduleWaitingAsync(DateTimeOffset now)
    {
        foreach (var (ledger, channel, job) in Sends())
        {
            Schedule(job, (await ledger.DueAsync(channel, now.UtcDateTime)).WorkIn);
        }
    }

    public Task<IReadOnlyList<ReportLine>> DeliverAsync(IReadOnlyList<PartnerOptions> partners, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var partner in partners)
        {
            jobs.Enqueue<DeliveryJob>(job => job.RunAsync(partner.Name, CancellationToken.None));
        }

        return Task.FromResult<IReadOnlyList<ReportLine>>(partners.Select(p => new ReportLine($"delivery to {p.Name} enqueued", $"ارسال به {p.Title} در صف کار گذاشته شد")).ToList());
    }

    /// <summary>Each ledger (per channel for reminders) with the send job that drains it.</summary>
    private IEnumerable<(Ledger Ledger, string? Channel, Expression<Func<SendBatchJob, Task>> Job)> Sends()
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            yield return (Ledger.Reminders(database), channel.ToString(), job => job.RemindersAsync(channel, CancellationToken.None));
        }

        yield return (Ledger.Digests(database), null, job => job.DigestsAsync(CancellationToken.None));
    }

    /// <summary>A delay, not an instant: Hangfire runs on the real clock, the engine's may be set elsewhere (a rehearsal).</summary>
    private void Schedule(Expression<Func<SendBatchJob, Task>> job, TimeSpan? nextIn)
    {
        if (nextIn is { } delay)
        {
            jobs.Schedule(job, delay);
        }
    }

    private int Batches(int due) => (due + options.BatchSize - 1) / options.BatchSize;
}
