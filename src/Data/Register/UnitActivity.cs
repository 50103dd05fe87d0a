using System.Data.Common;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using Dapper;

namespace BatchEngine.Data.Register;

/// <summary>A unit that reports is producing: a possibly inactive unit with a reported return becomes active again.</summary>
public static class UnitActivity
{
    /// <summary>Reactivates the units that reported for <paramref name="period"/>; all of them, or just <paramref name="unitIds"/>.</summary>
    public static Task<int> ReactivateReportedAsync(Database database, DbConnection connection, DbTransaction? transaction, JalaliPeriod period, long[]? unitIds) =>
        connection.ExecuteAsync(
            $"""
            UPDATE units SET status = @active
            WHERE status = @possiblyInactive AND (@all OR {database.Dialect.InList("id", "unitIds")})
              AND id IN (SELECT r.unit_id FROM returns r WHERE r.period = @period AND {database.Dialect.InList("r.state", "reported")})
            """,
            new
            {
                active = nameof(UnitStatus.Active),
                possiblyInactive = nameof(UnitStatus.PossiblyInactive),
                all = unitIds is null,
                unitIds = unitIds ?? [],
                period,
                reported = MissedDeadlines.ReportedStates,
            },
            transaction);
}
