using BatchEngine.Data.Calendar;
using BatchEngine.Data.Engine;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Tests.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Engine;

[Category(Categories.Rules)]
public sealed class SchedulePlanTests
{
    private static DateTimeOffset At(string jalali) =>
        InstantText.TryParse(jalali, CalendarFixtures.Tehran, out var instant) ? instant : throw new FormatException(jalali);

    [Test]
    public void The_plan_holds_exactly_the_instants_of_the_open_period_and_the_next_twelve()
    {
        var calendar = CalendarFixtures.Create();
        var plan = new SchedulePlanner(CalendarSource.Fixed(calendar), () => []).Plan(At("1404-07-15T12:00"));

        var expected = new List<(string, DateTimeOffset)>();
        for (var p = new JalaliPeriod(1404, 6); p <= new JalaliPeriod(1405, 6); p = p.Next)
        {
            var s = calendar.For(p);
            expected.Add(($"{p}/open", s.OpensAt));
            expected.AddRange(s.Reminders.Select(r => ($"{p}/{r.Key}", r.At)));
            expected.Add(($"{p}/deadline", s.LateFrom));
        }

        Assert.That(plan.Select(i => (i.Key, i.At)), Is.EqualTo(expected));
        Assert.That(plan, Has.Count.EqualTo(65));
        Assert.That(plan.Select(i => i.Key), Is.Unique);
        Assert.That(plan.Single(i => i.Key == "1404-12/reminder-1").At, Is.EqualTo(At("1405-01-05T09:00")));
        Assert.That(plan.Single(i => i.Key == "1404-12/deadline").At, Is.EqualTo(At("1405-01-11T00:00")));
        // Mordad 1404's deadline moved past the holiday on 10 Shahrivar; Esfand 1404 opens on the 29th.
        Assert.That(new SchedulePlanner(CalendarSource.Fixed(calendar), () => []).Plan(At("1404-05-15T00:00")).Single(i => i.Key == "1404-05/deadline").At, Is.EqualTo(At("1404-06-12T00:00")));
        Assert.That(plan.Single(i => i.Key == "1404-12/open").At, Is.EqualTo(At("1404-12-29T00:00")));
    }

    [Test]
    public void A_configuration_change_moves_the_planned_instants()
    {
        var now = At("1404-07-15T12:00");
        var before = new SchedulePlanner(CalendarSource.Fixed(CalendarFixtures.Create()), () => []).Plan(now);
        var after = new SchedulePlanner(CalendarSource.Fixed(CalendarFixtures.Create(o => o.Reminders = [new ReminderStageOptions { DayOfMonth = 3, Time = "10:30" }])), () => []).Plan(now);
        Assert.That(after, Has.Count.EqualTo(13 * 3));
        Assert.That(after.Single(i => i.Key == "1404-07/reminder-1").At, Is.EqualTo(At("1404-08-03T10:30")));
        Assert.That(before.Single(i => i.Key == "1404-07/reminder-1").At, Is.EqualTo(At("1404-08-05T09:00")));
    }
}

public sealed class HandoffTests(string store) : StoreTest(store)
{
    [Test]
    public async Task A_firing_is_handed_off_once_and_its_repeats_are_counted()
    {
        var handoffs = new Handoffs(Database);
        var at = new DateTime(2025, 10, 27, 5, 30, 0, DateTimeKind.Utc);
        Assert.That(await handoffs.TryClaimAsync("1404-07/reminder-1", at, at), Is.True);
        Assert.That(await handoffs.TryClaimAsync("1404-07/reminder-1", at, at.AddSeconds(1)), Is.False);
        Assert.That(await handoffs.TryClaimAsync("1404-07/reminder-1", at, at.AddSeconds(2)), Is.False);
        Assert.That(await handoffs.TryClaimAsync("1404-07/reminder-1", at.AddHours(1), at), Is.True, "another scheduled instant is another firing");
        Assert.That(await handoffs.HandedOffKeysAsync(), Is.EquivalentTo(new[] { "1404-07/reminder-1" }));
        await using var connection = await Database.OpenAsync();
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT MAX(repeats) FROM handoffs"), Is.EqualTo(2));
    }
}

[Category(Categories.Rules)]
public sealed class ReplanTests
{
    [Test]
    public void Editing_the_holiday_file_moves_the_planned_deadline_without_a_restart()
    {
        var config = Directory.CreateTempSubdirectory("batchengine-config-").FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(CalendarFixtures.FindConfig("holidays.json"))!))
        {
            File.Copy(file, Path.Combine(config, Path.GetFileName(file)));
        }

        Environment.SetEnvironmentVariable("BATCHENGINE_CONFIG", config);
        try
        {
            var planner = new SchedulePlanner(new CalendarSource(BatchEngine.Jobs.Hosting.EngineSettings.Load(config, Path.Combine(config, "x.db"))), () => []);
            InstantText.TryParse("1404-07-15T12:00", CalendarFixtures.Tehran, out var now);
            InstantText.TryParse("1404-08-11T00:00", CalendarFixtures.Tehran, out var before);
            InstantText.TryParse("1404-08-12T00:00", CalendarFixtures.Tehran, out var after);
            Assert.That(planner.Plan(now).Single(i => i.Key == "1404-07/deadline").At, Is.EqualTo(before));

            var holidays = Path.Combine(config, "holidays.json");
            File.WriteAllText(holidays, File.ReadAllText(holidays).Replace("\"dated\": [", "\"dated\": [\n    { \"date\": \"1404-08-10\", \"name\": \"تعطیل اعلام‌شده\" },", StringComparison.Ordinal));
            File.SetLastWriteTimeUtc(holidays, DateTime.UtcNow.AddMinutes(1));
            Assert.That(planner.Plan(now).Single(i => i.Key == "1404-07/deadline").At, Is.EqualTo(after));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATCHENGINE_CONFIG", null);
            Directory.Delete(config, recursive: true);
        }
    }
}
