using System.Data.Common;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Status;
using Dapper;

namespace BatchEngine.Data.Returns;

/// <summary>Saves figures and moves returns through the review, one transaction per action.</summary>
public sealed class ReturnStore(Database database)
{
    private const string ReturnColumns =
        "id, unit_id AS UnitId, period, state, version, employees, submitted_at AS SubmittedAt, late, updated_at AS UpdatedAt";

    public async Task<Return?> GetAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return await GetAsync(connection, null, id);
    }

    public async Task<Return?> FindAsync(long unitId, JalaliPeriod period)
    {
        await using var connection = await database.OpenAsync();
        return await FindAsync(connection, null, unitId, period);
    }

    public async Task<IReadOnlyList<ReturnLine>> LinesAsync(long returnId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ReturnLine>(
            """
            SELECT product_code AS ProductCode, production, sales, export_qty AS ExportQty, export_value_usd AS ExportValueUsd
            FROM return_lines WHERE return_id = @returnId ORDER BY product_code
            """,
            new { returnId })).AsList();
    }

    /// <summary>The history of every return of a unit, in one read, by return.</summary>
    public async Task<ILookup<long, ReturnHistoryEntry>> HistoryOfUnitAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ReturnHistoryEntry>(
            $"""
            SELECT {HistoryColumns} FROM return_history
            WHERE return_id IN (SELECT id FROM returns WHERE unit_id = @unitId) ORDER BY id
            """,
            new { unitId })).ToLookup(h => h.ReturnId);
    }

    private const string HistoryColumns = "id, return_id AS ReturnId, at, actor, actor_role AS ActorRole, from_state AS FromState, to_state AS ToState, reason, version";

    public async Task<IReadOnlyList<ReturnHistoryEntry>> HistoryAsync(long returnId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ReturnHistoryEntry>(
            $"SELECT {HistoryColumns} FROM return_history WHERE return_id = @returnId ORDER BY id",
            new { returnId })).AsList();
    }

    /// <summary>
    /// Saves a unit's figures for a period (creating the return as a draft when there is none) and, when
    /// <paramref name="submit"/> is set, submits it. <paramref name="expectedVersion"/> is the version the
    /// actor saw, or null for "whatever is current" (an upload).
    /// </summary>
    public async Task<Return> SaveAsync(long unitId, JalaliPeriod period, ReturnFigures figures, Actor actor, bool submit,
        int? expectedVersion, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var saved = await SaveAsync(connection, transaction, unitId, period, figures, actor, submit, expectedVersion, now.AsUtc());
        await transaction.CommitAsync();
        return saved;
    }

    internal async Task<Return> SaveAsync(DbConnection connection, DbTransaction transaction, long unitId, JalaliPeriod period,
        ReturnFigures figures, Actor actor, bool submit, int? expectedVersion, DateTime now)
    {
        var unit = await RegisterStore.FindUnitAsync(connection, transaction, unitId)
            ?? throw Refusals.UnknownUnit(unitId);
        ReturnWorkflow.CheckScope(actor, unit.Id, unit.ProvinceCode);
        _ = await PeriodStore.FindAsync(connection, transaction, period)
            ?? throw Refusals.PeriodNotOpen(period);
        if (unit.Status == UnitStatus.Closed && !await ExpectedUnits.ClosedUnitOwesAsync(connection, transaction, unit.Id, period))
        {
            throw Refusals.NotOwed(unit.LicenceNo, period);
        }
        await CheckFiguresAsync(connection, transaction, unit, figures);

        var current = await FindAsync(connection, transaction, unitId, period);
        if (current is null)
        {
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO returns (unit_id, period, state, version, employees, submitted_at, late, updated_at)
                VALUES (@unitId, @period, @state, 0, NULL, NULL, FALSE, @now)
                RETURNING id
                """,
                new { unitId, period, state = nameof(ReturnState.Draft), now }, transaction);
            await AppendHistoryAsync(connection, transaction, id, now, actor, null, ReturnState.Draft, null, 0);
            current = (await GetAsync(connection, transaction, id))!;
        }
        else if (expectedVersion is not null && expectedVersion != current.Version)
        {
            throw new ChangedMeanwhileException(current.Id);
        }

        if (!ReturnWorkflow.FiguresMayChange(current.State))
        {
            throw Refusals.FiguresLocked(current.State);
        }

        if (!submit && !ReturnWorkflow.DraftMayBeSaved(current.State))
        {
            throw Refusals.NoLongerDraft(current.State);
        }

        var to = submit ? ReturnState.Submitted : current.State;
        if (submit)
        {
            ReturnWorkflow.Check(current.State, to, actor.Role, null);
        }

        var firstSubmission = submit && current.SubmittedAt is null;
        var lateFrom = await connection.ExecuteScalarAsync<DateTime>(
            $"SELECT {DeadlineExtensions.EffectiveLateFrom("@unitId", "p")} FROM periods p WHERE p.code = @period",
            new { unitId, period }, transaction);
        await UpdateAsync(connection, transaction, current, to, now, """
            employees = @employees,
            submitted_at = CASE WHEN @firstSubmission THEN @now ELSE submitted_at END,
            late = CASE WHEN @firstSubmission THEN @late ELSE late END
            """,
            new { employees = figures.Employees, firstSubmission, late = firstSubmission && now >= lateFrom.AsUtc() });

        await connection.ExecuteAsync("DELETE FROM return_lines WHERE return_id = @id", new { id = current.Id }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO return_lines (return_id, product_code, production, sales, export_qty, export_value_usd)
            VALUES (@returnId, @ProductCode, @Production, @Sales, @ExportQty, @ExportValueUsd)
            """,
            figures.Lines.Select(l => new { returnId = current.Id, l.ProductCode, l.Production, l.Sales, l.ExportQty, l.ExportValueUsd }),
            transaction);
        await FigureVersions.RecordAsync(database, connection, transaction, [current.Id], actor, FigureVersions.Form, now);

        if (submit)
        {
            await AppendHistoryAsync(connection, transaction, current.Id, now, actor, current.State, to, null, current.Version + 1);
            await UnitActivity.ReactivateReportedAsync(database, connection, transaction, period, [unitId]);
        }

        return (await GetAsync(connection, transaction, current.Id))!;
    }

    /// <summary>
    /// An expert's action on returns ("the months concerned"), all or none, each refused unless still at the version the
    /// expert saw.
    /// </summary>
    public async Task<IReadOnlyList<Return>> TransitionManyAsync(IReadOnlyList<(long ReturnId, int ExpectedVersion)> targets,
        ReturnState to, Actor actor, string? reason, DateTime now)
    {
        now = now.AsUtc();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var moved = new List<Return>();
        foreach (var (returnId, expectedVersion) in targets)
        {
            var current = await GetAsync(connection, transaction, returnId)
                ?? throw Refusals.UnknownReturn(returnId);
            var unit = (await RegisterStore.FindUnitAsync(connection, transaction, current.UnitId))!;
            ReturnWorkflow.CheckScope(actor, unit.Id, unit.ProvinceCode);
            if (current.Version != expectedVersion)
            {
                throw new ChangedMeanwhileException(returnId);
            }

            if (to == ReturnState.Submitted)
            {
                throw Refusals.SubmitWithFigures();
            }

            ReturnWorkflow.Check(current.State, to, actor.Role, reason);
            await UpdateAsync(connection, transaction, current, to, now, null, null);
            await AppendHistoryAsync(connection, transaction, returnId, now, actor, current.State, to, reason?.Trim(), current.Version + 1);
            moved.Add((await GetAsync(connection, transaction, returnId))!);
        }

        await transaction.CommitAsync();
        return moved;
    }

    /// <summary>Moves the return one version on, but only from the version read: a concurrent change makes it fail.</summary>
    private static async Task UpdateAsync(DbConnection connection, DbTransaction transaction, Return current, ReturnState to,
        DateTime now, string? extraAssignments, object? extraParameters)
    {
        var parameters = new DynamicParameters(extraParameters);
        parameters.AddDynamicParams(new { id = current.Id, version = current.Version, to = to.ToString(), now });
        var updated = await connection.ExecuteAsync(
            $"""
            UPDATE returns SET state = @to, version = version + 1, updated_at = @now{(extraAssignments is null ? "" : ", " + extraAssignments)}
            WHERE id = @id AND version = @version
            """,
            parameters, transaction);
        if (updated != 1)
        {
            throw new ChangedMeanwhileException(current.Id);
        }
    }

    private static Task AppendHistoryAsync(DbConnection connection, DbTransaction transaction, long returnId, DateTime at, Actor actor,
        ReturnState? from, ReturnState to, string? reason, int version) =>
        connection.ExecuteAsync(
            """
            INSERT INTO return_history (return_id, at, actor, actor_role, from_state, to_state, reason, version)
            VALUES (@returnId, @at, @actor, @role, @from, @to, @reason, @version)
            """,
            new { returnId, at, actor = actor.Name, role = actor.Role.ToString(), from = from?.ToString(), to = to.ToString(), reason, version },
            transaction);

    private static async Task CheckFiguresAsync(DbConnection connection, DbTransaction transaction, Unit unit, ReturnFigures figures)
    {
        var registered = (await connection.QueryAsync<string>(
            "SELECT product_code FROM unit_products WHERE unit_id = @id", new { id = unit.Id }, transaction)).ToHashSet();
        var seen = new HashSet<string>();
        foreach (var line in figures.Lines)
        {
            if (!registered.Contains(line.ProductCode))
            {
                throw Refusals.UnregisteredProduct(line.ProductCode, unit.LicenceNo);
            }

            if (!seen.Add(line.ProductCode))
            {
                throw Refusals.ProductTwice(line.ProductCode);
            }

            if (line.Production < 0 || line.Sales < 0 || line.ExportQty < 0 || line.ExportValueUsd < 0)
            {
                throw Refusals.NegativeFigures(line.ProductCode);
            }
        }

        if (figures.Employees < 0)
        {
            throw Refusals.NegativeEmployees();
        }
    }

    private static Task<Return?> GetAsync(DbConnection connection, DbTransaction? transaction, long id) =>
        connection.QuerySingleOrDefaultAsync<Return>($"SELECT {ReturnColumns} FROM returns WHERE id = @id", new { id }, transaction);

    private static Task<Return?> FindAsync(DbConnection connection, DbTransaction? transaction, long unitId, JalaliPeriod period) =>
        connection.QuerySingleOrDefaultAsync<Return>(
            $"SELECT {ReturnColumns} FROM returns WHERE unit_id = @unitId AND period = @period", new { unitId, period }, transaction);
}
