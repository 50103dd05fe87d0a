using System.Data.Common;
using BatchEngine.Data.Calendar;
using Dapper;

namespace BatchEngine.Data.Periods;

public sealed class PeriodStore(Database database)
{
    private const string Columns = "code, opens_at AS OpensAt, late_from AS LateFrom, opened_at AS OpenedAt";

    /// <summary>Opens the period once; returns false when it was already open (a second firing changes nothing).</summary>
    public async Task<bool> OpenAsync(JalaliPeriod code, DateTime opensAt, DateTime lateFrom, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO periods (code, opens_at, late_from, opened_at) VALUES (@code, @opensAt, @lateFrom, @now)
            ON CONFLICT (code) DO NOTHING
            """,
            new { code, opensAt = opensAt.AsUtc(), lateFrom = lateFrom.AsUtc(), now = now.AsUtc() });
        return inserted == 1;
    }

    public async Task<OpenPeriod?> FindAsync(JalaliPeriod code)
    {
        await using var connection = await database.OpenAsync();
        return await FindAsync(connection, null, code);
    }

    internal static Task<OpenPeriod?> FindAsync(DbConnection connection, DbTransaction? transaction, JalaliPeriod code) =>
        connection.QuerySingleOrDefaultAsync<OpenPeriod>($"SELECT {Columns} FROM periods WHERE code = @code", new { code }, transaction);

    /// <summary>The newest period that has opened, if any.</summary>
    public async Task<OpenPeriod?> LatestAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<OpenPeriod>($"SELECT {Columns} FROM periods ORDER BY code DESC LIMIT 1");
    }

    public async Task<IReadOnlyList<OpenPeriod>> AllAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<OpenPeriod>($"SELECT {Columns} FROM periods ORDER BY code")).AsList();
    }

    /// <summary>
    /// The first period the engine collected: the oldest it opened before its deadline (a database that went live after
    /// a period's deadline opens that period too, but never reminded anyone of it). Null while there is none.
    /// </summary>
    public async Task<JalaliPeriod?> FirstCollectedAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<JalaliPeriod?>("SELECT MIN(code) FROM periods WHERE opened_at < late_from");
    }

    /// <summary>
    /// Gives the period the deadline the calendar now derives (<paramref name="lateFrom"/>, its first late instant) for the
    /// whole country, or for one <paramref name="province"/> whose closures move it, in one transaction with the record
    /// of the change; only when neither the deadline in force nor the new one has passed at <paramref name="now"/>.
    /// Otherwise the deadline stays and the refusal is recorded, once. Returns what happened, or null when nothing was new.
    /// </summary>
    public async Task<DeadlineChange?> RederiveDeadlineAsync(JalaliPeriod code, string? province, DateTime lateFrom, string reason, DateTime now)
    {
        lateFrom = lateFrom.AsUtc();
        now = now.AsUtc();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await FindAsync(connection, transaction, code) is not { } period)
        {
            return null;
        }

        var own = province is null ? null : await connection.ExecuteScalarAsync<DateTime?>(
            "SELECT late_from FROM province_deadlines WHERE period = @code AND province_code = @province", new { code, province }, transaction);
        var before = own?.AsUtc() ?? period.LateFrom;
        if (before == lateFrom)
        {
            return null;
        }

        var applied = before > now && lateFrom > now;
        if (applied && province is null)
        {
            await connection.ExecuteAsync("UPDATE periods SET late_from = @lateFrom WHERE code = @code", new { code, lateFrom }, transaction);
        }
        else if (applied)
        {
            // A province's row says only how it differs from the country.
            await connection.ExecuteAsync("DELETE FROM province_deadlines WHERE period = @code AND province_code = @province", new { code, province }, transaction);
            if (lateFrom != period.LateFrom)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO province_deadlines (period, province_code, late_from) VALUES (@code, @province, @lateFrom)",
                    new { code, province, lateFrom }, transaction);
            }
        }

        var recorded = await connection.ExecuteAsync(
            """
            INSERT INTO period_deadline_changes (period, province_code, at, late_from_before, late_from_after, applied, reason)
            VALUES (@code, @province, @now, @before, @lateFrom, @applied, @reason)
            ON CONFLICT (period, province_code, late_from_before, late_from_after) DO NOTHING
            """,
            new { code, province = province ?? "", now, before, lateFrom, applied, reason }, transaction);
        await transaction.CommitAsync();
        return applied || recorded == 1 ? new DeadlineChange(code, province, before, lateFrom, applied) : null;
    }
}

/// <summary>A period's deadline as the calendar re-derived it: moved, or refused because a deadline had passed.</summary>
public sealed record DeadlineChange(JalaliPeriod Period, string? Province, DateTime Before, DateTime After, bool Applied);
