using Dapper;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;

namespace BatchEngine.Data.Flags;

/// <summary>
/// The missed-deadline rule, set-based: one statement flags every expected unit that has not reported
/// for the period, another marks the units that missed enough periods in a row as possibly inactive.
/// Both are guarded by keys and conditions, so running them again changes nothing.
/// </summary>
public sealed class MissedDeadlines(Database database)
{
    internal static readonly string[] ReportedStates =
        Enum.GetValues<ReturnState>().Where(ReturnWorkflow.HasReported).Select(s => s.ToString()).ToArray();

    /// <summary>
    /// Flags the period and updates unit status. <paramref name="recentPeriods"/> are the last periods up to and
    /// including this one, as many as the consecutive misses that make a unit possibly inactive.
    /// </summary>
    public async Task<FlagOutcome> FlagAsync(string period, IReadOnlyList<string> recentPeriods, DateTime now)
    {
        var sql = database.Dialect;
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var flagged = await connection.ExecuteAsync(
            $"""
            INSERT INTO missed_deadline_flags (unit_id, period, flagged_at)
            SELECT u.id, p.code, @now
            FROM units u JOIN periods p ON p.code = @period
            WHERE u.status <> @closed AND u.created_at <= p.opens_at
              AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.unit_id = u.id AND r.period = p.code AND {sql.InList("r.state", "reported")})
            ON CONFLICT (unit_id, period) DO NOTHING
            """,
            new { period, now = now.AsUtc(), closed = nameof(UnitStatus.Closed), reported = ReportedStates }, transaction);
        var inactive = await connection.ExecuteAsync(
            $"""
            UPDATE units SET status = @possiblyInactive
            WHERE status = @active
              AND (SELECT COUNT(*) FROM missed_deadline_flags f WHERE f.unit_id = units.id AND {sql.InList("f.period", "recentPeriods")}) = @count
              AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.unit_id = units.id AND {sql.InList("r.period", "recentPeriods")} AND {sql.InList("r.state", "reported")})
            """,
            new
            {
                possiblyInactive = nameof(UnitStatus.PossiblyInactive),
                active = nameof(UnitStatus.Active),
                recentPeriods = recentPeriods.ToArray(),
                count = recentPeriods.Count,
                reported = ReportedStates,
            },
            transaction);
        await transaction.CommitAsync();
        return new FlagOutcome(flagged, inactive);
    }
}

/// <summary>How many units one flagging run flagged, and how many it newly marked possibly inactive.</summary>
public sealed record FlagOutcome(int Flagged, int MarkedPossiblyInactive);
