using BatchEngine.Data;
using BatchEngine.Data.Notifications;
using BatchEngine.Jobs.Notifications;
using Hangfire;
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
public sealed class SendBatchJob(NotificationSender sender, HangfireDispatcher dispatcher, TimeProvider time)
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
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var (due, _) = await Ledger.Reminders(database).DueAsync(channel.ToString(), now.UtcDateTime, Lease);
            for (var i = 0; i < Batches(due); i++)
            {
                jobs.Enqueue<SendBatchJob>(job => job.RemindersAsync(channel, CancellationToken.None));
            }
        }

        var (digests, _) = await Ledger.Digests(database).DueAsync(null, now.UtcDateTime, Lease);
        for (var i = 0; i < Batches(digests); i++)
        {
            jobs.Enqueue<SendBatchJob>(job => job.DigestsAsync(CancellationToken.None));
        }

        await ScheduleWaitingAsync(now);
        return SendReport.None;
    }

    /// <summary>Schedules a batch for the earliest message that is waiting (SMS quiet hours, retry back-off, a dead sender's claim).</summary>
    public async Task ScheduleWaitingAsync(DateTimeOffset now)
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            if ((await Ledger.Reminders(database).DueAsync(channel.ToString(), now.UtcDateTime, Lease)).Next is { } next)
            {
                jobs.Schedule<SendBatchJob>(job => job.RemindersAsync(channel, CancellationToken.None), new DateTimeOffset(next));
            }
        }

        if ((await Ledger.Digests(database).DueAsync(null, now.UtcDateTime, Lease)).Next is { } digest)
        {
            jobs.Schedule<SendBatchJob>(job => job.DigestsAsync(CancellationToken.None), new DateTimeOffset(digest));
        }
    }

    private TimeSpan Lease => TimeSpan.FromSeconds(options.ClaimLeaseSeconds);

    private int Batches(int due) => (due + options.BatchSize - 1) / options.BatchSize;
}
