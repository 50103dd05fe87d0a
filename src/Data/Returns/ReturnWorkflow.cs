namespace BatchEngine.Data.Returns;

/// <summary>
/// The return state machine of the service card: which moves exist, who may make them, which need a
/// reason, whose figures may change, and on which units an actor may act. The only place these rules live.
/// </summary>
public static class ReturnWorkflow
{
    private sealed record Move(ReturnState From, ReturnState To, bool ReasonRequired, params ActorRole[] By);

    private static readonly Move[] Moves =
    [
        new(ReturnState.Draft, ReturnState.Submitted, false, ActorRole.Liaison, ActorRole.ProvincialOffice),
        // A newer submission replaces the figures until an expert acts.
        new(ReturnState.Submitted, ReturnState.Submitted, false, ActorRole.Liaison, ActorRole.ProvincialOffice),
        new(ReturnState.Submitted, ReturnState.ForwardedToMinistry, false, ActorRole.ProvincialExpert),
        new(ReturnState.Submitted, ReturnState.ReturnedByProvince, true, ActorRole.ProvincialExpert),
        new(ReturnState.ReturnedByProvince, ReturnState.Submitted, false, ActorRole.Liaison, ActorRole.ProvincialOffice),
        new(ReturnState.ForwardedToMinistry, ReturnState.Registered, false, ActorRole.MinistryExpert),
        new(ReturnState.ForwardedToMinistry, ReturnState.ReturnedByMinistry, true, ActorRole.MinistryExpert),
        new(ReturnState.ReturnedByMinistry, ReturnState.ReturnedByProvince, true, ActorRole.ProvincialExpert),
        new(ReturnState.ReturnedByMinistry, ReturnState.ForwardedToMinistry, true, ActorRole.ProvincialExpert),
        new(ReturnState.Registered, ReturnState.ReturnedByMinistry, true, ActorRole.MinistryExpert),
    ];

    /// <summary>Every allowed (from, to) pair, for tests and for listing the actions a page may offer.</summary>
    public static IEnumerable<(ReturnState From, ReturnState To)> AllowedMoves => Moves.Select(m => (m.From, m.To));

    public static bool FiguresMayChange(ReturnState state) =>
        state is ReturnState.Draft or ReturnState.Submitted or ReturnState.ReturnedByProvince;

    /// <summary>
    /// Whether the liaison may save figures without submitting them: only while the return is the liaison's to edit. A
    /// submitted return is the province's to review; its figures change only by a new submission.
    /// </summary>
    public static bool DraftMayBeSaved(ReturnState state) => state is ReturnState.Draft or ReturnState.ReturnedByProvince;

    /// <summary>
    /// The states whose returns wait on an expert of <paramref name="role"/>: their review queue. (A registered return
    /// may be reopened by the ministry, but it waits on nobody.)
    /// </summary>
    public static IReadOnlyList<ReturnState> AwaitingReviewBy(ActorRole role) => role switch
    {
        ActorRole.ProvincialExpert => [ReturnState.Submitted, ReturnState.ReturnedByMinistry],
        ActorRole.MinistryExpert => [ReturnState.ForwardedToMinistry],
        _ => [],
    };

    /// <summary>"Submitted or later": the unit has reported for the period (a return sent back for edits still counts).</summary>
    public static bool HasReported(ReturnState state) => state != ReturnState.Draft;

    /// <summary>The moves from <paramref name="from"/> that <paramref name="role"/> may make.</summary>
    public static IEnumerable<ReturnState> NextStates(ReturnState from, ActorRole role) =>
        Moves.Where(m => m.From == from && m.To != from && m.By.Contains(role)).Select(m => m.To);

    /// <summary>Throws <see cref="WorkflowException"/> unless <paramref name="role"/> may move a return from one state to the other.</summary>
    public static void Check(ReturnState from, ReturnState to, ActorRole role, string? reason)
    {
        var move = Find(from, to)
            ?? throw Refusals.NoSuchMove(from, to);
        if (!move.By.Contains(role))
        {
            throw Refusals.NotYourMove(role, from, to, move.By);
        }

        if (move.ReasonRequired && string.IsNullOrWhiteSpace(reason))
        {
            throw Refusals.ReasonRequired(from, to);
        }
    }

    /// <summary>Throws unless the actor's scope covers the unit: a liaison their own unit, a provincial role their own province.</summary>
    public static void CheckScope(Actor actor, long unitId, string unitProvince)
    {
        var allowed = actor.Role switch
        {
            ActorRole.Liaison => actor.UnitId == unitId,
            ActorRole.ProvincialExpert or ActorRole.ProvincialOffice => actor.ProvinceCode == unitProvince,
            ActorRole.MinistryExpert => true,
            _ => false,
        };
        if (!allowed)
        {
            throw actor.Role == ActorRole.Liaison ? Refusals.NotTheirUnit(actor, unitId) : Refusals.NotTheirProvince(actor);
        }
    }

    /// <summary>
    /// The reasons the return was sent back for since it was last submitted, oldest first: the ministry's reason
    /// travels with the return to the province and on to the liaison, beside the province's own.
    /// </summary>
    public static IReadOnlyList<ReturnHistoryEntry> ReasonsSinceSubmission(IReadOnlyList<ReturnHistoryEntry> history)
    {
        var since = history.Select((h, i) => (h, i)).LastOrDefault(x => x.h.ToState == ReturnState.Submitted).i;
        return history.Skip(since).Where(h => h.Reason is not null && h.ToState is ReturnState.ReturnedByProvince or ReturnState.ReturnedByMinistry).ToList();
    }

    /// <summary>Whether the move from one state to the other needs a written reason (false for a move that does not exist).</summary>
    public static bool ReasonRequired(ReturnState from, ReturnState to) => Find(from, to)?.ReasonRequired ?? false;

    private static Move? Find(ReturnState from, ReturnState to) => Moves.FirstOrDefault(m => m.From == from && m.To == to);
}
