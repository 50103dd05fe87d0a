using BatchEngine.Data.Register;

namespace BatchEngine.Data.Status;

/// <summary>
/// Which units a period expects a return from: in the register before the period opened, and not closed when it
/// opened (a unit closed during a period still owes that period). One SQL condition over <c>units u</c> and
/// <c>periods p</c>, for flags, reminders and every count.
/// </summary>
public static class ExpectedUnits
{
    public const string Condition = """
        u.created_at <= p.opens_at AND NOT EXISTS (
            SELECT 1 FROM unit_closures c WHERE c.unit_id = u.id AND c.closed_at <= p.opens_at AND (c.reopened_at IS NULL OR c.reopened_at > p.opens_at))
        """;

    public const string Closed = nameof(UnitStatus.Closed);
}
