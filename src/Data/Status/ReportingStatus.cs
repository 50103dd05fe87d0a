using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Register;
using Dapper;

namespace BatchEngine.Data.Status;

/// <summary>
/// What another agency needs to know of a unit: whether its statistics are up to date. The periods missing are those
/// the deadline step flagged (after the deadline in force) that still have no return.
/// </summary>
public sealed record UnitReportingStatus(string Licence, UnitStatus Status, JalaliPeriod? LastRegisteredPeriod, JalaliPeriod? LastReportedPeriod,
    IReadOnlyList<JalaliPeriod> MissingPeriods, bool SuspensionCandidate)
{
    public bool PossiblyInactive => Status == UnitStatus.PossiblyInactive;
}

public static class ReportingStatus
{
    /// <param name="suspensionWindow">The last periods past their deadline: a unit flagged in each is a suspension candidate (as in the period's counts).</param>
    public static async Task<UnitReportingStatus?> OfAsync(Database database, string licence, IReadOnlyList<JalaliPeriod> suspensionWindow)
    {
        await using var connection = await database.OpenAsync();
        var units = (await connection.QueryAsync<(long Id, string Status)>("SELECT id, status FROM units WHERE licence_no = @licence", new { licence })).AsList();
        if (units is not [var found])
        {
            return null;
        }

        var sql = database.Dialect;
        var reported = MissedDeadlines.ReportedStates;
        var last = await connection.QuerySingleAsync<(JalaliPeriod? Registered, JalaliPeriod? Reported)>(
            $"""
            SELECT (SELECT MAX(period) FROM returns WHERE unit_id = @id AND state = @registered),
                   (SELECT MAX(r.period) FROM returns r WHERE r.unit_id = @id AND {sql.InList("r.state", "reported")})
            """,
            new { id = found.Id, registered = nameof(Returns.ReturnState.Registered), reported });
        var missing = (await connection.QueryAsync<JalaliPeriod>(
            $"""
            SELECT f.period FROM missed_deadline_flags f
            WHERE f.unit_id = @id AND f.unit_id NOT IN {ReportedUnits.Where(sql, "r.period = f.period")}
            ORDER BY f.period
            """,
            new { id = found.Id, reported })).AsList();
        var candidate = await connection.ExecuteScalarAsync<int>(
            $"SELECT COUNT(*) FROM units u WHERE u.id = @id AND u.status <> @closed AND u.id IN {MissedDeadlines.FlaggedInEach(sql, "window", "size", "id")}",
            new { id = found.Id, closed = nameof(UnitStatus.Closed), window = PeriodColumn.Texts(suspensionWindow), size = suspensionWindow.Count }) > 0;
        return new UnitReportingStatus(licence, Enum.Parse<UnitStatus>(found.Status), last.Registered, last.Reported, missing, candidate);
    }
}
