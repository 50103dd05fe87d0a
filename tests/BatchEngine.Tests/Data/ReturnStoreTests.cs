using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Data;

/// <summary>The review of returns.md carried out on a real database: six steps, refusals, races, history.</summary>
public sealed class ReturnStoreTests(string store) : StoreTest(store)
{
    private static readonly ReturnFigures Figures = new(40, [new ReturnLine { ProductCode = "2394-01", Production = 100m, Sales = 90m }]);
    private Seed _seed = null!;
    private ReturnStore _returns = null!;
    private long _unit;
    private Actor _liaison = null!;
    private readonly Actor _expert = Actor.ProvincialExpert("کارشناس تهران", "tehran");
    private readonly Actor _ministry = Actor.MinistryExpert("کارشناس وزارت");

    [SetUp]
    public async Task SeedAsync()
    {
        _seed = await new Seed(Database).BasicsAsync();
        _unit = await _seed.UnitAsync("23000001");
        _liaison = Actor.Liaison("رابط", _unit);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 7), 1);
        _returns = new ReturnStore(Database);
    }

    private DateTime OnTime => Seed.Opens.AddDays(2);

    [Test]
    public async Task A_return_passes_all_six_steps_with_every_step_in_its_history()
    {
        var draft = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, submit: false, null, OnTime);
        Assert.That(draft.State, Is.EqualTo(ReturnState.Draft));
        var submitted = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, submit: true, draft.Version, OnTime.AddHours(1));
        var returned = await _returns.TransitionAsync(submitted.Id, submitted.Version, ReturnState.ReturnedByProvince, _expert, "فروش بیش از تولید است", OnTime.AddHours(2));
        var fixedFigures = new ReturnFigures(41, [new ReturnLine { ProductCode = "2394-01", Production = 100m, Sales = 80m }]);
        var resubmitted = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), fixedFigures, _liaison, submit: true, returned.Version, OnTime.AddHours(3));
        var forwarded = await _returns.TransitionAsync(resubmitted.Id, resubmitted.Version, ReturnState.ForwardedToMinistry, _expert, null, OnTime.AddHours(4));
        var registered = await _returns.TransitionAsync(forwarded.Id, forwarded.Version, ReturnState.Registered, _ministry, null, OnTime.AddHours(5));

        Assert.That(registered.State, Is.EqualTo(ReturnState.Registered));
        Assert.That(registered.SubmittedAt, Is.EqualTo(OnTime.AddHours(1)), "the first submission counts");
        Assert.That((await _returns.LinesAsync(registered.Id)).Single().Sales, Is.EqualTo(80m));
        var history = await _returns.HistoryAsync(registered.Id);
        Assert.That(history.Select(h => h.ToState), Is.EqualTo(new[]
        {
            ReturnState.Draft, ReturnState.Submitted, ReturnState.ReturnedByProvince, ReturnState.Submitted,
            ReturnState.ForwardedToMinistry, ReturnState.Registered,
        }));
        Assert.That(history[2].Reason, Is.EqualTo("فروش بیش از تولید است"));
        Assert.That(history[2].ActorRole, Is.EqualTo(ActorRole.ProvincialExpert));
        Assert.That(history.Select(h => h.Version), Is.Ordered.Ascending);
    }

    [Test]
    public async Task The_ministry_returns_reopens_and_the_province_sends_on_each_with_a_reason()
    {
        var r = await SubmittedAsync();
        r = await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ForwardedToMinistry, _expert, null, OnTime);
        r = await _returns.TransitionAsync(r.Id, r.Version, ReturnState.Registered, _ministry, null, OnTime);
        r = await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ReturnedByMinistry, _ministry, "اصلاح صادرات", OnTime);
        r = await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ForwardedToMinistry, _expert, "توضیح داده شد", OnTime);
        r = await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ReturnedByMinistry, _ministry, "هنوز مغایرت دارد", OnTime);
        r = await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ReturnedByProvince, _expert, "لطفاً اصلاح کنید", OnTime);
        Assert.That(r.State, Is.EqualTo(ReturnState.ReturnedByProvince));
        Assert.That((await _returns.HistoryAsync(r.Id)).Where(h => h.Reason is not null).Select(h => h.Reason),
            Is.EqualTo(new[] { "اصلاح صادرات", "توضیح داده شد", "هنوز مغایرت دارد", "لطفاً اصلاح کنید" }));
    }

    [Test]
    public async Task A_refused_move_changes_nothing()
    {
        var r = await SubmittedAsync();
        Assert.That(() => _returns.TransitionAsync(r.Id, r.Version, ReturnState.Registered, _ministry, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.EqualTo("A return in state Submitted cannot move to Registered."));
        Assert.That(() => _returns.TransitionAsync(r.Id, r.Version, ReturnState.ReturnedByProvince, _expert, "", OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("requires a reason"));
        Assert.That(() => _returns.TransitionAsync(r.Id, r.Version, ReturnState.ForwardedToMinistry, Actor.ProvincialExpert("اصفهانی", "isfahan"), null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("this return is not of that province"));
        var after = (await _returns.GetAsync(r.Id))!;
        Assert.That((after.State, after.Version), Is.EqualTo((r.State, r.Version)));
        Assert.That(await _returns.HistoryAsync(r.Id), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Figures_are_frozen_once_forwarded()
    {
        var r = await SubmittedAsync();
        await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ForwardedToMinistry, _expert, null, OnTime);
        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, submit: true, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.EqualTo("The figures of a return in state ForwardedToMinistry may not change."));
    }

    [Test]
    public async Task A_submitted_return_is_no_draft_its_figures_change_only_by_submitting_again()
    {
        var submitted = await SubmittedAsync();
        var changed = new ReturnFigures(41, [new ReturnLine { ProductCode = "2394-01", Production = 5m, Sales = 1m }]);

        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), changed, _liaison, submit: false, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("no longer a draft"));
        var after = (await _returns.FindAsync(_unit, new JalaliPeriod(1404, 6)))!;
        Assert.That((after.State, after.Version, after.Employees), Is.EqualTo((ReturnState.Submitted, submitted.Version, submitted.Employees)), "nothing changed");
        Assert.That((await _returns.LinesAsync(after.Id)).Single().Production, Is.EqualTo(100m));

        // Sent back for edits, the liaison may save drafts again.
        await _returns.TransitionAsync(after.Id, after.Version, ReturnState.ReturnedByProvince, _expert, "ارقام فروش را بررسی کنید", OnTime);
        var draft = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), changed, _liaison, submit: false, null, OnTime);
        Assert.That(draft.State, Is.EqualTo(ReturnState.ReturnedByProvince));
    }

    [Test]
    public async Task A_queue_is_paged_with_its_total_and_no_return_is_left_out()
    {
        var units = new List<long> { _unit };
        for (var i = 2; i <= 5; i++)
        {
            units.Add(await _seed.UnitAsync($"2300000{i}"));
        }

        foreach (var unit in units)
        {
            // The later units submitted earlier: the queue shows the longest waiting first.
            await _returns.SaveAsync(unit, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("رابط", unit), submit: true, null, OnTime.AddMinutes(-units.IndexOf(unit)));
        }

        var queries = new ReviewQueries(Database);
        QueueFilter Page(int page) => new([ReturnState.Submitted], "tehran", null, null, null, null, page, PageSize: 2);
        var pages = new List<ListPage<ReturnRow>>();
        for (var page = 1; page <= 3; page++)
        {
            pages.Add(await queries.QueueAsync(Page(page)));
        }

        Assert.That(pages.Select(p => (p.Total, p.Pages, p.Rows.Count, p.First, p.Last)), Is.EqualTo(new[] { (5, 3, 2, 1, 2), (5, 3, 2, 3, 4), (5, 3, 1, 5, 5) }));
        Assert.That(pages.SelectMany(p => p.Rows).Select(r => r.UnitId), Is.EqualTo(units.AsEnumerable().Reverse()), "every return, once, longest waiting first");
        Assert.That((await queries.QueueAsync(Page(99))).Page, Is.EqualTo(3), "past the last page: the last");
    }

    [Test]
    public async Task Bad_figures_are_refused_with_the_product_named()
    {
        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), new ReturnFigures(1, [new ReturnLine { ProductCode = "1050-01", Production = 1 }]), _liaison, true, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("1050-01").And.Message.Contains("23000001"));
        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), new ReturnFigures(1, [new ReturnLine { ProductCode = "2394-01", Production = -1 }]), _liaison, true, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("negative"));
        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), new ReturnFigures(1, [Figures.Lines[0], Figures.Lines[0]]), _liaison, true, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("more than once"));
        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 9), Figures, _liaison, true, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.EqualTo("Period 1404-09 is not open for returns."));
        Assert.That(() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("دیگری", _unit + 1), true, null, OnTime),
            Throws.TypeOf<WorkflowException>());
        Assert.That(await _returns.FindAsync(_unit, new JalaliPeriod(1404, 6)), Is.Null, "nothing half-saved");
    }

    [Test]
    public async Task A_first_submission_after_the_deadline_is_late_and_a_resubmission_keeps_the_first_mark()
    {
        var late = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, true, null, Seed.LateFrom);
        Assert.That(late.Late, Is.True);
        var onTime = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 7), Figures, _liaison, true, null, Seed.LateFrom.AddMonths(1).AddTicks(-1));
        Assert.That(onTime.Late, Is.False);
        var returned = await _returns.TransitionAsync(onTime.Id, onTime.Version, ReturnState.ReturnedByProvince, _expert, "اصلاح", Seed.LateFrom.AddMonths(1));
        var resubmitted = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 7), Figures, _liaison, true, returned.Version, Seed.LateFrom.AddMonths(1).AddDays(3));
        Assert.That(resubmitted.Late, Is.False);
    }

    [Test]
    public async Task Two_experts_acting_at_once_one_wins_and_the_other_is_told_it_changed_meanwhile()
    {
        var r = await SubmittedAsync();
        var otherExpert = Actor.ProvincialExpert("کارشناس دوم", "tehran");
        for (var round = 0; round < 5; round++)
        {
            var historyBefore = (await _returns.HistoryAsync(r.Id)).Count;
            var start = new TaskCompletionSource();
            var forward = Task.Run(async () => { await start.Task; return await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ForwardedToMinistry, _expert, null, OnTime); });
            var giveBack = Task.Run(async () => { await start.Task; return await _returns.TransitionAsync(r.Id, r.Version, ReturnState.ReturnedByProvince, otherExpert, "اصلاح", OnTime); });
            start.SetResult();
            var outcomes = await Task.WhenAll(Outcome(forward), Outcome(giveBack));
            Assert.That(outcomes.Count(o => o is null), Is.EqualTo(1), "exactly one wins");
            Assert.That(outcomes.Single(o => o is not null), Is.TypeOf<ChangedMeanwhileException>());
            var now = (await _returns.GetAsync(r.Id))!;
            Assert.That(now.Version, Is.EqualTo(r.Version + 1));
            Assert.That(await _returns.HistoryAsync(r.Id), Has.Count.EqualTo(historyBefore + 1), "the loser left no trace");

            // Back to Submitted for the next round.
            r = now.State == ReturnState.ReturnedByProvince
                ? await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, true, now.Version, OnTime)
                : await ReturnToSubmittedAsync(now);
        }
    }

    [Test]
    public async Task Several_periods_are_returned_at_once_or_not_at_all()
    {
        var june = await SubmittedAsync();
        var july = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 7), Figures, _liaison, true, null, OnTime.AddMonths(1));
        var both = await _returns.TransitionManyAsync([(june.Id, june.Version), (july.Id, july.Version)], ReturnState.ReturnedByProvince, _expert, "هر دو ماه مغایرت دارد", OnTime.AddMonths(1));
        Assert.That(both.Select(r => r.State), Is.All.EqualTo(ReturnState.ReturnedByProvince));
        Assert.That((await _returns.HistoryAsync(july.Id)).Last().Reason, Is.EqualTo("هر دو ماه مغایرت دارد"));

        var juneAgain = await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, true, null, OnTime.AddMonths(1));
        var stale = both[1];
        Assert.That(() => _returns.TransitionManyAsync([(juneAgain.Id, juneAgain.Version), (stale.Id, stale.Version - 1)], ReturnState.ForwardedToMinistry, _expert, null, OnTime.AddMonths(1)),
            Throws.TypeOf<ChangedMeanwhileException>());
        Assert.That((await _returns.GetAsync(juneAgain.Id))!.State, Is.EqualTo(ReturnState.Submitted), "the first one was rolled back");
    }

    [Test]
    public async Task A_submission_makes_a_possibly_inactive_unit_active_again()
    {
        var sleeper = await _seed.UnitAsync("23000009", status: UnitStatus.PossiblyInactive);
        await _returns.SaveAsync(sleeper, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("رابط", sleeper), submit: false, null, OnTime);
        Assert.That((await _seed.Register.FindUnitAsync(sleeper))!.Status, Is.EqualTo(UnitStatus.PossiblyInactive), "a draft proves nothing");
        await _returns.SaveAsync(sleeper, new JalaliPeriod(1404, 6), Figures, Actor.Liaison("رابط", sleeper), submit: true, null, OnTime);
        Assert.That((await _seed.Register.FindUnitAsync(sleeper))!.Status, Is.EqualTo(UnitStatus.Active));
    }

    [Test]
    public async Task A_closed_unit_cannot_report()
    {
        var closed = await _seed.UnitAsync("23000010", status: UnitStatus.Closed);
        Assert.That(() => _returns.SaveAsync(closed, new JalaliPeriod(1404, 6), Figures, Actor.ProvincialOffice("دفتر", "tehran"), true, null, OnTime),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("closed"));
    }

    private Task<Return> SubmittedAsync() => _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, submit: true, null, OnTime);

    private async Task<Return> ReturnToSubmittedAsync(Return forwarded)
    {
        var back = await _returns.TransitionAsync(forwarded.Id, forwarded.Version, ReturnState.ReturnedByMinistry, _ministry, "برگشت", OnTime);
        back = await _returns.TransitionAsync(back.Id, back.Version, ReturnState.ReturnedByProvince, _expert, "برگشت", OnTime);
        return await _returns.SaveAsync(_unit, new JalaliPeriod(1404, 6), Figures, _liaison, true, back.Version, OnTime);
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
