using BatchEngine.Data.Register;

namespace BatchEngine.Data.Status;

/// <summary>
/// Which units a period expects a return from: not closed, and in the register before the period opened. One SQL
/// condition over <c>units u</c> and <c>periods p</c> (parameter <c>@closed</c>), for flags, reminders and every count.
/// </summary>
public static class ExpectedUnits
{
    public const string Condition = "u.status <> @closed AND u.created_at <= p.opens_at";

    public const string Closed = nameof(UnitStatus.Closed);
}
