using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Status;
using Dapper;

namespace BatchEngine.Data.Flags;

/// <summary>
/// The missed-deadline rule, set-based: one statement flags every expected unit whose deadline (its own
/// extension, else the period's) has passed and that has not reported for the period, another marks the units that missed enough periods in a row as possibly inactive.
/// Both are guarded by keys and conditions, so running them again changes nothing.
/// </summary>
public sealed class MissedDeadlines(Database database)
{
    internal static readonly string[] ReportedStates =
        Enum.GetValues<ReturnState>().Where(ReturnWorkflow.HasReported).Select(s => s.ToString()).ToArray();

    /// <summary>
    /// SQL: the units flagged in each of the periods of list parameter <paramref name="periods"/> (parameter
    /// <paramref name="count"/> says how many there are), gathered once for a statement over every unit.
    /// </summary>
    /// <param name="unit">A parameter naming one unit, to ask of that unit alone (its flags, not the country's).</param>
    public static string FlaggedInEach(SqlDialect sql, string periods, string count, string? unit = null) =>
        $"(SELECT f.unit_id FROM missed_deadline_flags f WHERE {sql.InList("f.period", periods)}{(unit is null ? "" : $" AND f.unit_id = @{unit}")} GROUP BY f.unit_id HAVING COUNT(*) = @{count})";

    /// <summary>Flags every expected unit whose deadline has passed at <paramref name="now"/> without a report. Returns how many it flagged.</summary>
    public async Task<int> FlagAsync(JalaliPeriod period, DateTime now)
    {
        var flagged = await database.WholeTablesAsync((connection, transaction) => connection.ExecuteAsync(
            $"""
            INSERT INTO missed_deadline_flags (unit_id, period, flagged_at)
            SELECT u.id, p.code, @now
            FROM units u JOIN periods p ON p.code = @period
            WHERE {ExpectedUnits.Condition}
              AND {DeadlineExtensions.EffectiveLateFrom("u.id", "p")} <= @now
              AND u.id NOT IN {ReportedUnits.Of(database.Dialect)}
            ON CONFLICT (unit_id, period) DO NOTHING
            """,
            new { period, now = now.AsUtc(), closed = nameof(UnitStatus.Closed), reported = ReportedStates },
            transaction));
        if (flagged > 0)
        {
            await database.AnalyzeAsync("missed_deadline_flags");
        }

        return flagged;
    }

    /// <summary>
    /// Marks possibly inactive every active unit flagged in each of <paramref name="lastClosedPeriods"/> (the newest
    /// periods whose deadline has passed, as many as the misses that count) that has reported for none of them
    /// nor for any later period: a report, even late or for the next month, shows the unit is producing.
    /// </summary>
    public Task<int> MarkPossiblyInactiveAsync(IReadOnlyList<JalaliPeriod> lastClosedPeriods) =>
        database.WholeTablesAsync((connection, transaction) => connection.ExecuteAsync(
            $"""
            UPDATE units SET status = @possiblyInactive
            WHERE status = @active
              AND id IN {FlaggedInEach(database.Dialect, "periods", "count")}
              AND id NOT IN {ReportedUnits.Where(database.Dialect, "r.period >= @oldest")}
            """,
            new
            {
                possiblyInactive = nameof(UnitStatus.PossiblyInactive),
                active = nameof(UnitStatus.Active),
                periods = PeriodColumn.Texts(lastClosedPeriods),
                count = lastClosedPeriods.Count,
                oldest = lastClosedPeriods.Min(),
                reported = ReportedStates,
            },
            transaction));
}

