using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using Dapper;

namespace BatchEngine.Data.Status;

/// <summary>
/// Where a period stands, for one province or the whole country, at an instant: a unit that has not reported is
/// missing once its deadline in force has passed, and not yet due before.
/// </summary>
public sealed record PeriodStatus(
    JalaliPeriod Period,
    string? Province,
    int Expected,
    IReadOnlyDictionary<ReturnState, int> ByState,
    int OnTime,
    int Late,
    int Missing,
    int Flagged,
    int PossiblyInactive,
    int SuspensionCandidates,
    int NotYetDue);

public sealed class PeriodStatusQuery(Database database)
{
    /// <summary>
    /// Counts for the period. <paramref name="suspensionWindow"/> are the last periods (this one included) a unit
    /// must all have missed to be listed as a suspension candidate.
    /// </summary>
    public async Task<PeriodStatus> GetAsync(JalaliPeriod period, string? province, IReadOnlyList<JalaliPeriod> suspensionWindow, DateTime now)
    {
        var sql = database.Dialect;
        return await database.WholeTablesAsync(async (connection, transaction) =>
        {
            var scope = new { period, province, now = now.AsUtc(), reported = MissedDeadlines.ReportedStates };

            var byState = (await connection.QueryAsync<(string State, int Count)>(
                """
                SELECT r.state, COUNT(*) FROM returns r JOIN units u ON u.id = r.unit_id
                WHERE r.period = @period AND (@province IS NULL OR u.province_code = @province)
                GROUP BY r.state
                """,
                scope, transaction)).ToDictionary(x => Enum.Parse<ReturnState>(x.State), x => x.Count);
            foreach (var state in Enum.GetValues<ReturnState>())
            {
                byState.TryAdd(state, 0);
            }

            var counts = await connection.QuerySingleAsync<(long Expected, long OnTime, long Late, long Missing, long Flagged, long NotYetDue)>(
                $"""
                WITH expected AS (
                    SELECT u.id, {DeadlineExtensions.EffectiveLateFrom("u.id", "p")} AS late_from FROM units u JOIN periods p ON p.code = @period
                    WHERE {ExpectedUnits.Condition} AND (@province IS NULL OR u.province_code = @province)
                ), reported AS (
                    SELECT r.unit_id, r.late FROM returns r JOIN expected e ON e.id = r.unit_id
                    WHERE r.period = @period AND {sql.InList("r.state", "reported")}
                )
                SELECT (SELECT COUNT(*) FROM expected),
                       (SELECT COUNT(*) FROM reported WHERE late = FALSE),
                       (SELECT COUNT(*) FROM reported WHERE late = TRUE),
                       (SELECT COUNT(*) FROM expected e WHERE e.late_from <= @now AND e.id NOT IN (SELECT unit_id FROM reported)),
                       (SELECT COUNT(*) FROM missed_deadline_flags f JOIN expected e ON e.id = f.unit_id WHERE f.period = @period),
                       (SELECT COUNT(*) FROM expected e WHERE e.late_from > @now AND e.id NOT IN (SELECT unit_id FROM reported))
                """,
                scope, transaction);

            var possiblyInactive = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM units u WHERE u.status = @status AND (@province IS NULL OR u.province_code = @province)",
                new { status = nameof(UnitStatus.PossiblyInactive), province }, transaction);
            var candidates = await connection.ExecuteScalarAsync<int>(
                $"""
                SELECT COUNT(*) FROM units u
                WHERE u.status <> @closed AND (@province IS NULL OR u.province_code = @province)
                  AND u.id IN {MissedDeadlines.FlaggedInEach(sql, "window", "size")}
                """,
                new { closed = nameof(UnitStatus.Closed), province, window = PeriodColumn.Texts(suspensionWindow), size = suspensionWindow.Count }, transaction);

            return new PeriodStatus(period, province, (int)counts.Expected, byState, (int)counts.OnTime, (int)counts.Late,
                (int)counts.Missing, (int)counts.Flagged, possiblyInactive, candidates, (int)counts.NotYetDue);
        });
    }
}
