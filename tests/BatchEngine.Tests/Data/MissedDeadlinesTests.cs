using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Data;

public sealed class MissedDeadlinesTests(string store) : StoreTest(store)
{
    private static readonly ReturnFigures Figures = new(10, [new ReturnLine { ProductCode = "2394-01", Production = 5m }]);

    [Test]
    public async Task Flags_exactly_the_expected_units_that_have_not_reported_and_a_second_run_changes_nothing()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var reported = await seed.UnitAsync("1");
        var drafted = await seed.UnitAsync("2");
        var silent = await seed.UnitAsync("3", "isfahan");
        var returnedForEdit = await seed.UnitAsync("4");
        await seed.UnitAsync("5", status: UnitStatus.Closed);
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        var returns = new ReturnStore(Database);
        var at = Seed.Opens.AddDays(1);
        await returns.SaveAsync(reported, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("a", reported), true, null, at);
        await returns.SaveAsync(drafted, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("b", drafted), false, null, at);
        var r = await returns.SaveAsync(returnedForEdit, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("d", returnedForEdit), true, null, at);
        await returns.TransitionAsync(r.Id, r.Version, ReturnState.ReturnedByProvince, Actor.ProvincialExpert("e", "tehran"), "اصلاح", at);

        var flagging = new MissedDeadlines(Database);
        Assert.That(await flagging.FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom.AddTicks(-1)), Is.EqualTo(0), "nothing before the deadline");
        Assert.That(await flagging.FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom), Is.EqualTo(2));
        Assert.That(await flagging.MarkPossiblyInactiveAsync([new JalaliPeriod(1404, 6)]), Is.EqualTo(2));
        Assert.That(await flagging.FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom.AddHours(1)), Is.EqualTo(0));
        Assert.That(await flagging.MarkPossiblyInactiveAsync([new JalaliPeriod(1404, 6)]), Is.EqualTo(0));

        await using var connection = await Database.OpenAsync();
        var flagged = await connection.QueryAsync<long>("SELECT unit_id FROM missed_deadline_flags ORDER BY unit_id");
        Assert.That(flagged, Is.EqualTo(new[] { drafted, silent }));
        Assert.That((await seed.Register.FindUnitAsync(silent))!.Status, Is.EqualTo(UnitStatus.PossiblyInactive));
        Assert.That((await seed.Register.FindUnitAsync(reported))!.Status, Is.EqualTo(UnitStatus.Active));
    }

    [Test]
    public async Task With_two_misses_required_a_unit_is_possibly_inactive_only_after_the_second()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var unit = await seed.UnitAsync("1");
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 7), 1);
        var flagging = new MissedDeadlines(Database);

        await flagging.FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom);
        Assert.That(await flagging.MarkPossiblyInactiveAsync([new JalaliPeriod(1404, 5), new JalaliPeriod(1404, 6)]), Is.EqualTo(0));
        await flagging.FlagAsync(new JalaliPeriod(1404, 7), Seed.LateFrom.AddMonths(1));
        Assert.That(await flagging.MarkPossiblyInactiveAsync([new JalaliPeriod(1404, 6), new JalaliPeriod(1404, 7)]), Is.EqualTo(1));

        // A late return for the newest period brings it back; the flags stay as history.
        await new ReturnStore(Database).SaveAsync(unit, new JalaliPeriod(1404, 7), Figures, Actor.Liaison("a", unit), true, null, Seed.LateFrom.AddMonths(1).AddDays(2));
        Assert.That((await seed.Register.FindUnitAsync(unit))!.Status, Is.EqualTo(UnitStatus.Active));
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM missed_deadline_flags"), Is.EqualTo(2));
        Assert.That(await flagging.MarkPossiblyInactiveAsync([new JalaliPeriod(1404, 6), new JalaliPeriod(1404, 7)]), Is.EqualTo(0), "a unit that reported late is not marked again");
    }

    [Test]
    public async Task An_extension_moves_the_units_flag_and_late_mark()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var extended = await seed.UnitAsync("1");
        var other = await seed.UnitAsync("2");
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        var extensions = new DeadlineExtensions(Database);
        var expert = Actor.ProvincialExpert("کارشناس", "tehran");
        Assert.That(() => extensions.GrantAsync(extended, new JalaliPeriod(1404, 6), Seed.LateFrom.AddDays(5), expert, " ", Seed.Opens),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("requires a reason"));
        Assert.That(() => extensions.GrantAsync(extended, new JalaliPeriod(1404, 6), Seed.LateFrom.AddDays(5), Actor.ProvincialExpert("x", "isfahan"), "دلیل", Seed.Opens),
            Throws.TypeOf<WorkflowException>());
        Assert.That(() => extensions.GrantAsync(extended, new JalaliPeriod(1404, 6), Seed.LateFrom.AddDays(5), Actor.Liaison("x", extended), "دلیل", Seed.Opens),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("Only a provincial expert"));
        await extensions.GrantAsync(extended, new JalaliPeriod(1404, 6), Seed.LateFrom.AddDays(5), expert, "خرابی دستگاه", Seed.Opens);

        var flagging = new MissedDeadlines(Database);
        Assert.That(await flagging.FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom), Is.EqualTo(1), "only the unit without an extension");
        var onTime = await new ReturnStore(Database).SaveAsync(extended, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("a", extended), true, null, Seed.LateFrom.AddDays(4));
        Assert.That(onTime.Late, Is.False, "inside its extension");
        Assert.That(await flagging.FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom.AddDays(6)), Is.EqualTo(0));
        var history = await extensions.HistoryAsync(extended, new JalaliPeriod(1404, 6));
        Assert.That(history.Single().Reason, Is.EqualTo("خرابی دستگاه"));
        Assert.That(history.Single().GrantedBy, Is.EqualTo("کارشناس"));
        Assert.That(other, Is.Not.EqualTo(extended));
    }
}
