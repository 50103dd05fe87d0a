using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Periods;

public sealed class PeriodStore(Database database)
{
    private const string Columns = "code, opens_at AS OpensAt, late_from AS LateFrom, opened_at AS OpenedAt";

    /// <summary>Opens the period once; returns false when it was already open (a second firing changes nothing).</summary>
    public async Task<bool> OpenAsync(string code, DateTime opensAt, DateTime lateFrom, DateTime now)
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

    public async Task<OpenPeriod?> FindAsync(string code)
    {
        await using var connection = await database.OpenAsync();
        return await FindAsync(connection, null, code);
    }

    internal static Task<OpenPeriod?> FindAsync(DbConnection connection, DbTransaction? transaction, string code) =>
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
    public async Task<string?> FirstCollectedAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT MIN(code) FROM periods WHERE opened_at < late_from");
    }

    /// <summary>
    /// Gives the period the deadline the calendar now derives (<paramref name="lateFrom"/>, its first late instant), in
    /// one transaction with the record of the change; only when neither the stored deadline nor the new one has
    /// passed at <paramref name="now"/>. Otherwise the deadline stays and the refusal is recorded, once. Returns what
    /// happened, or null when there was nothing new to do.
    /// </summary>
    public async Task<DeadlineChange?> RederiveDeadlineAsync(string code, DateTime lateFrom, string reason, DateTime now)
    {
        lateFrom = lateFrom.AsUtc();
        now = now.AsUtc();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var stored = await FindAsync(connection, transaction, code);
        if (stored is null || stored.LateFrom == lateFrom)
        {
            return null;
        }

        var applied = stored.LateFrom > now && lateFrom > now
            && await connection.ExecuteAsync(
                "UPDATE periods SET late_from = @lateFrom WHERE code = @code AND late_from = @before",
                new { code, lateFrom, before = stored.LateFrom }, transaction) == 1;
        var recorded = await connection.ExecuteAsync(
            """
            INSERT INTO period_deadline_changes (period, at, late_from_before, late_from_after, applied, reason)
            VALUES (@code, @now, @before, @lateFrom, @applied, @reason)
            ON CONFLICT (period, late_from_before, late_from_after) DO NOTHING
            """,
            new { code, now, before = stored.LateFrom, lateFrom, applied, reason }, transaction);
        await transaction.CommitAsync();
        return applied || recorded == 1 ? new DeadlineChange(code, stored.LateFrom, lateFrom, applied) : null;
    }
}

/// <summary>A period's deadline as the calendar re-derived it: moved, or refused because a deadline had passed.</summary>
public sealed record DeadlineChange(string Period, DateTime Before, DateTime After, bool Applied);
