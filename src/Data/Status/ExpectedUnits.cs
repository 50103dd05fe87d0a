using System.Data.Common;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using Dapper;

namespace BatchEngine.Data.Status;

/// <summary>
/// Which units a period expects a return from: in the register before the period opened, and not closed when it
/// opened (a unit closed during a period still owes that period). One SQL condition over <c>units u</c> and
/// <c>periods p</c>, for flags, reminders and every count — and for whether a closed unit may still file a period.
/// </summary>
public static class ExpectedUnits
{
    /// <summary>The unit was not closed at the moment the period opened.</summary>
    public const string OpenWhenPeriodOpened = """
        NOT EXISTS (
            SELECT 1 FROM unit_closures c WHERE c.unit_id = u.id AND c.closed_at <= p.opens_at AND (c.reopened_at IS NULL OR c.reopened_at > p.opens_at))
        """;

    public const string Condition = "u.created_at <= p.opens_at AND " + OpenWhenPeriodOpened;

    /// <summary>The periods each closed unit of the province still owes (it closed after they opened): what an upload may file for them.</summary>
    public static async Task<IReadOnlyList<(long UnitId, JalaliPeriod Period)>> OwedByClosedUnitsAsync(Database database, string province)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(long, JalaliPeriod)>(
            $"SELECT u.id, p.code FROM units u CROSS JOIN periods p WHERE u.province_code = @province AND u.status = @closed AND {OpenWhenPeriodOpened}",
            new { province, closed = nameof(UnitStatus.Closed) })).AsList();
    }

    /// <summary>Whether a closed unit still owes the period (the form's check, the same rule as <see cref="OwedByClosedUnitsAsync"/>).</summary>
    public static async Task<bool> ClosedUnitOwesAsync(DbConnection connection, DbTransaction transaction, long unitId, JalaliPeriod period) =>
        await connection.ExecuteScalarAsync<int>(
            $"SELECT COUNT(*) FROM units u CROSS JOIN periods p WHERE u.id = @unitId AND p.code = @period AND {OpenWhenPeriodOpened}",
            new { unitId, period }, transaction) > 0;
}
