using BatchEngine.Data.Engine;
using Hangfire;
using Quartz;

namespace BatchEngine.Jobs.Engine;

/// <summary>
/// Keeps Quartz's triggers equal to the plan: one trigger per planned instant, in the instant's group (the periods'
/// calendar, partner deliveries), all firing the same job. A missed instant fires once when a scheduler comes back
/// (misfire: fire now).
/// </summary>
public sealed class QuartzCalendar(SchedulePlanner planner, Handoffs handoffs, TimeProvider time)
{
    private static readonly string[] Groups = [PlannedInstant.Calendar, PlannedInstant.Deliveries];
    public static readonly JobKey JobKey = new("due-instant", PlannedInstant.Calendar);

    /// <summary>Adds, moves and removes triggers so that Quartz holds exactly the plan; returns how many it changed.</summary>
    public async Task<int> ApplyAsync(IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var plan = planner.Plan(now);
        await scheduler.AddJob(
            JobBuilder.Create<DueInstantJob>().WithIdentity(JobKey).StoreDurably(true).WithDescription("run what is due").Build(),
            AddJobOptions.Replacing, cancellationToken);

        // Triggers first, hand-offs second: a one-shot trigger stays in Quartz's store until its job has handed the
        // instant off, so an instant missing from both was never fired — not one another node fired meanwhile.
        var existing = await ExistingAsync(scheduler, cancellationToken);
        var done = await handoffs.HandedOffKeysAsync();
        var changed = 0;
        var wanted = new HashSet<TriggerKey>();
        foreach (var instant in plan)
        {
            var key = new TriggerKey(instant.Key, instant.Group);
            if (done.Contains(instant.Key) && instant.At <= now)
            {
                continue;
            }

            wanted.Add(key);
            if (existing.TryGetValue(key, out var startsAt) && startsAt == instant.At)
            {
                continue;
            }

            var trigger = TriggerBuilder.Create(time)
                .WithIdentity(key)
                .ForJob(JobKey)
                .StartAt(instant.At)
                .WithDescription(instant.Description)
                .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, cancellationToken);
            changed++;
        }

        foreach (var stale in existing.Keys.Where(k => !wanted.Contains(k)))
        {
            await scheduler.UnscheduleJob(stale, cancellationToken);
            changed++;
        }

        return changed;
    }

    /// <summary>The planned triggers Quartz holds, with their instants.</summary>
    private static async Task<Dictionary<TriggerKey, DateTimeOffset>> ExistingAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<TriggerKey, DateTimeOffset>();
        foreach (var group in Groups)
        {
            var page = await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(group), Take = 10_000 }, cancellationToken);
            foreach (var trigger in page.Items)
            {
                existing[trigger.Key] = trigger.StartTimeUtc;
            }
        }

        return existing;
    }
}

/// <summary>
/// What every calendar trigger runs: hands its instant to Hangfire exactly once, keyed on (trigger, scheduled
/// instant), so a trigger that fires twice enqueues nothing new.
/// </summary>
public sealed class DueInstantJob(Handoffs handoffs, IBackgroundJobClient jobs, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var key = context.Trigger.Key.Name;
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        if (await handoffs.TryClaimAsync(key, scheduled.UtcDateTime, time.GetUtcNow().UtcDateTime))
        {
            jobs.Enqueue<DueWorkJob>(job => job.RunAsync($"quartz {key}", CancellationToken.None));
        }
    }
}
