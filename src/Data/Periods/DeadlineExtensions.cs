using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using Dapper;

namespace BatchEngine.Data.Periods;

/// <summary>A deadline extension granted to one unit for one period.</summary>
public sealed class DeadlineExtension
{
    public long UnitId { get; init; }
    public required JalaliPeriod Period { get; init; }
    public DateTime LateFrom { get; init => field = value.AsUtc(); }
    public required string Reason { get; init; }
    public required string GrantedBy { get; init; }
    public DateTime GrantedAt { get; init => field = value.AsUtc(); }
}

/// <summary>
/// Extensions a provincial expert grants: the unit's own deadline for a period. Reminders, flags and the late
/// mark all read the deadline in force through <see cref="EffectiveLateFrom"/>.
/// </summary>
public sealed class DeadlineExtensions(Database database)
{
    /// <summary>
    /// SQL for the first late instant of a unit for a period: its latest extension, else its province's own deadline
    /// (where closures moved it), else the period's. The import reads the same from <c>ImportQueries</c>.
    /// </summary>
    public static string EffectiveLateFrom(string unitId, string periodAlias) =>
        $"""
        COALESCE((SELECT e.late_from FROM deadline_extensions e WHERE e.unit_id = {unitId} AND e.period = {periodAlias}.code
                  ORDER BY e.id DESC LIMIT 1),
                 (SELECT d.late_from FROM province_deadlines d JOIN units du ON du.province_code = d.province_code
                  WHERE du.id = {unitId} AND d.period = {periodAlias}.code),
                 {periodAlias}.late_from)
        """;

    public async Task<DeadlineExtension> GrantAsync(long unitId, JalaliPeriod period, DateTime lateFrom, Actor actor, string reason, DateTime now)
    {
        await GrantManyAsync([unitId], period, lateFrom, actor, reason, now);
        return (await HistoryAsync(unitId, period))[^1];
    }

    /// <summary>
    /// Extends the deadline of several units for a period to the same instant, with one reason: all of them or none (a
    /// unit outside the expert's province refuses the whole request). Returns how many extensions were recorded.
    /// </summary>
    public async Task<int> GrantManyAsync(IReadOnlyCollection<long> unitIds, JalaliPeriod period, DateTime lateFrom, Actor actor, string reason, DateTime now)
    {
        if (actor.Role != ActorRole.ProvincialExpert)
        {
            throw Refusals.NotForExtensions();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw Refusals.ExtensionNeedsReason();
        }

        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var open = await PeriodStore.FindAsync(connection, transaction, period)
            ?? throw Refusals.PeriodNotOpen(period);
        if (lateFrom.AsUtc() <= open.LateFrom)
        {
            throw Refusals.ExtensionTooEarly(open.LateFrom);
        }

        var recorded = 0;
        foreach (var unitId in unitIds.Distinct())
        {
            var unit = await RegisterStore.FindUnitAsync(connection, transaction, unitId)
                ?? throw Refusals.UnknownUnit(unitId);
            ReturnWorkflow.CheckScope(actor, unit.Id, unit.ProvinceCode);

            // The same extension again (a double click, a resent form) is the one in force already: nothing new is recorded.
            recorded += await connection.ExecuteAsync(
                """
                INSERT INTO deadline_extensions (unit_id, period, late_from, reason, granted_by, granted_at)
                SELECT @unitId, @period, @lateFrom, @reason, @grantedBy, @now
                WHERE NOT EXISTS (
                    SELECT 1 FROM deadline_extensions e WHERE e.unit_id = @unitId AND e.period = @period AND e.late_from = @lateFrom
                      AND e.id = (SELECT MAX(l.id) FROM deadline_extensions l WHERE l.unit_id = @unitId AND l.period = @period))
                """,
                new { unitId, period, lateFrom = lateFrom.AsUtc(), reason = reason.Trim(), grantedBy = actor.Name, now = now.AsUtc() },
                transaction);
        }

        await transaction.CommitAsync();
        return recorded;
    }

    /// <summary>Every extension granted to the unit for the period, oldest first; the last one is in force.</summary>
    public async Task<IReadOnlyList<DeadlineExtension>> HistoryAsync(long unitId, JalaliPeriod period)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<DeadlineExtension>(
            """
            SELECT unit_id AS UnitId, period, late_from AS LateFrom, reason, granted_by AS GrantedBy, granted_at AS GrantedAt
            FROM deadline_extensions WHERE unit_id = @unitId AND period = @period ORDER BY id
            """,
            new { unitId, period })).AsList();
    }
}
