using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Data;

[Category(Categories.Rules)]
public sealed class ReturnWorkflowTests
{
    // The transition table of returns.md, with who may make each move and whether a reason is required.
    private static readonly (ReturnState From, ReturnState To, ActorRole[] By, bool Reason)[] Table =
    [
        (ReturnState.Draft, ReturnState.Submitted, [ActorRole.Liaison, ActorRole.ProvincialOffice], false),
        (ReturnState.Submitted, ReturnState.Submitted, [ActorRole.Liaison, ActorRole.ProvincialOffice], false),
        (ReturnState.Submitted, ReturnState.ForwardedToMinistry, [ActorRole.ProvincialExpert], false),
        (ReturnState.Submitted, ReturnState.ReturnedByProvince, [ActorRole.ProvincialExpert], true),
        (ReturnState.ReturnedByProvince, ReturnState.Submitted, [ActorRole.Liaison, ActorRole.ProvincialOffice], false),
        (ReturnState.ForwardedToMinistry, ReturnState.Registered, [ActorRole.MinistryExpert], false),
        (ReturnState.ForwardedToMinistry, ReturnState.ReturnedByMinistry, [ActorRole.MinistryExpert], true),
        (ReturnState.ReturnedByMinistry, ReturnState.ReturnedByProvince, [ActorRole.ProvincialExpert], true),
        (ReturnState.ReturnedByMinistry, ReturnState.ForwardedToMinistry, [ActorRole.ProvincialExpert], true),
        (ReturnState.Registered, ReturnState.ReturnedByMinistry, [ActorRole.MinistryExpert], true),
    ];

    [Test]
    public void Every_pair_of_states_and_every_role_is_allowed_or_refused_exactly_as_the_table_says()
    {
        var checkedMoves = 0;
        foreach (var from in Enum.GetValues<ReturnState>())
        {
            foreach (var to in Enum.GetValues<ReturnState>())
            {
                foreach (var role in Enum.GetValues<ActorRole>())
                {
                    var row = Table.SingleOrDefault(t => t.From == from && t.To == to);
                    var allowed = row.By?.Contains(role) ?? false;
                    if (allowed)
                    {
                        Assert.DoesNotThrow(() => ReturnWorkflow.Check(from, to, role, "دلیل"), $"{role}: {from} → {to}");
                        if (row.Reason)
                        {
                            var error = Assert.Throws<WorkflowException>(() => ReturnWorkflow.Check(from, to, role, "  "))!;
                            Assert.That(error.Message, Does.Contain("requires a reason"));
                        }
                        else
                        {
                            Assert.DoesNotThrow(() => ReturnWorkflow.Check(from, to, role, null));
                        }
                    }
                    else
                    {
                        var error = Assert.Throws<WorkflowException>(() => ReturnWorkflow.Check(from, to, role, "دلیل"), $"{role}: {from} → {to}")!;
                        Assert.That(error.Message, Does.Contain(from.ToString()).And.Contain(to.ToString()));
                    }

                    checkedMoves++;
                }
            }
        }

        Assert.That(checkedMoves, Is.EqualTo(6 * 6 * 4));
        Assert.That(ReturnWorkflow.AllowedMoves, Is.EquivalentTo(Table.Select(t => (t.From, t.To))));
    }

    [Test]
    public void A_refusal_names_who_may_make_the_move()
    {
        var error = Assert.Throws<WorkflowException>(() =>
            ReturnWorkflow.Check(ReturnState.ForwardedToMinistry, ReturnState.Registered, ActorRole.ProvincialExpert, null))!;
        Assert.That(error.Message, Is.EqualTo("A provincial expert cannot move a return from ForwardedToMinistry to Registered; only a ministry expert can."));
    }

    [Test]
    public void Figures_may_change_only_before_an_expert_has_taken_the_return()
    {
        var editable = Enum.GetValues<ReturnState>().Where(ReturnWorkflow.FiguresMayChange);
        Assert.That(editable, Is.EquivalentTo(new[] { ReturnState.Draft, ReturnState.Submitted, ReturnState.ReturnedByProvince }));
    }

    [Test]
    public void Next_states_offer_only_real_moves()
    {
        Assert.That(ReturnWorkflow.NextStates(ReturnState.Submitted, ActorRole.ProvincialExpert),
            Is.EquivalentTo(new[] { ReturnState.ForwardedToMinistry, ReturnState.ReturnedByProvince }));
        Assert.That(ReturnWorkflow.NextStates(ReturnState.Submitted, ActorRole.Liaison), Is.Empty);
        Assert.That(ReturnWorkflow.NextStates(ReturnState.Registered, ActorRole.MinistryExpert), Is.EqualTo(new[] { ReturnState.ReturnedByMinistry }));
    }

    [Test]
    public void Scope_binds_liaisons_to_their_unit_and_provincial_roles_to_their_province()
    {
        Assert.DoesNotThrow(() => ReturnWorkflow.CheckScope(Actor.Liaison("L", 7), 7, "tehran"));
        Assert.That(() => ReturnWorkflow.CheckScope(Actor.Liaison("L", 7), 8, "tehran"),
            Throws.TypeOf<WorkflowException>().With.Message.EqualTo("L is not a liaison of unit 8."));
        Assert.DoesNotThrow(() => ReturnWorkflow.CheckScope(Actor.ProvincialExpert("E", "tehran"), 8, "tehran"));
        Assert.That(() => ReturnWorkflow.CheckScope(Actor.ProvincialExpert("E", "tehran"), 8, "isfahan"),
            Throws.TypeOf<WorkflowException>().With.Message.EqualTo("E acts for province tehran; this return is not of that province."));
        Assert.That(() => ReturnWorkflow.CheckScope(Actor.ProvincialOffice("O", "tehran"), 8, "isfahan"), Throws.TypeOf<WorkflowException>());
        Assert.DoesNotThrow(() => ReturnWorkflow.CheckScope(Actor.MinistryExpert("M"), 8, "isfahan"));
    }

    [Test]
    public void Every_refusal_reads_in_Persian_for_people_and_in_English_for_logs()
    {
        var samples = new Dictionary<Type, object>
        {
            [typeof(ReturnState)] = ReturnState.Submitted, [typeof(ActorRole)] = ActorRole.Liaison,
            [typeof(IEnumerable<ActorRole>)] = new[] { ActorRole.ProvincialExpert, ActorRole.MinistryExpert },
            [typeof(Actor)] = Actor.ProvincialExpert("Reza", "tehran"), [typeof(long)] = 42L, [typeof(string)] = "24000001",
            [typeof(JalaliPeriod)] = new JalaliPeriod(1404, 7),
            [typeof(DateTime)] = new DateTime(2025, 10, 2, 20, 30, 0, DateTimeKind.Utc),
        };
        var factories = typeof(Refusals).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(WorkflowException)).ToList();

        Assert.That(factories, Has.Count.GreaterThan(20));
        foreach (var factory in factories)
        {
            var refusal = (WorkflowException)factory.Invoke(null, factory.GetParameters().Select(p => samples[p.ParameterType]).ToArray())!;
            Assert.That(refusal.Message, Does.Match("^[A-Z]").And.EndWith("."), factory.Name);
            Assert.That(refusal.Persian, Does.Not.Match("[A-Za-z]"), $"{factory.Name}: no English reaches a page");
        }
    }

    [Test]
    public void The_ministrys_reason_travels_with_the_return_to_the_province_and_the_liaison_until_it_is_submitted_again()
    {
        ReturnHistoryEntry Step(ReturnState to, string? reason = null) => new() { Actor = "x", ToState = to, Reason = reason };
        List<ReturnHistoryEntry> history =
        [
            Step(ReturnState.Draft), Step(ReturnState.Submitted), Step(ReturnState.ReturnedByProvince, "an old cycle"), Step(ReturnState.Submitted),
            Step(ReturnState.ForwardedToMinistry), Step(ReturnState.ReturnedByMinistry, "exports do not add up"),
            Step(ReturnState.ReturnedByProvince, "please correct exports"),
        ];

        Assert.That(ReturnWorkflow.ReasonsSinceSubmission(history).Select(h => h.Reason), Is.EqualTo(new[] { "exports do not add up", "please correct exports" }));
        Assert.That(ReturnWorkflow.ReasonsSinceSubmission([.. history, Step(ReturnState.Submitted)]), Is.Empty, "a new submission answers them");
    }
}
