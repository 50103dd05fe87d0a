using System.Globalization;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using Dapper;

namespace BatchEngine.Data.Imports;

/// <summary>One product's figures of an imported return.</summary>
public readonly record struct ImportLine(string ProductCode, decimal Production, decimal? Sales, decimal? ExportQty, decimal? ExportValueUsd);

/// <summary>A validated return of a file, ready to go in: the unit, the period, the return found at validation, the figures.</summary>
public sealed record ImportedReturn(long UnitId, JalaliPeriod Period, ExistingReturn? Existing, int? Employees, bool LateIfFirst,
    IReadOnlyList<ImportLine> Lines, int FirstLine);

/// <summary>Applies validated returns of an upload, many per transaction, each whole or not at all.</summary>
public sealed class ReturnImportWriter(Database database)
{
    private static readonly BulkColumn[] LineColumns =
    [
        new("return_id", "bigint"), new("product_code", "text"), new("production", "numeric"),
        new("sales", "numeric"), new("export_qty", "numeric"), new("export_value_usd", "numeric"),
    ];

    private static readonly BulkColumn[] StageColumns =
    [
        new("unit_id", "bigint"), new("period", "text"), new("employees", "integer"), new("late", "boolean"), new("fresh", "boolean"),
    ];

    private static readonly BulkColumn[] HistoryColumns =
    [
        new("return_id", "bigint"), new("at", "timestamp with time zone"), new("actor", "text"), new("actor_role", "text"),
        new("from_state", "text"), new("to_state", "text"), new("reason", "text"), new("version", "integer"),
    ];

    /// <summary>
    /// Applies <paramref name="returns"/> in one transaction: the upload claims each return first (a return this upload
    /// already applied, by an earlier run or a concurrent one, is passed over), then the figures, the state
    /// <c>Submitted</c> and the history entry go in together. Returns the ones changed by someone else since they were
    /// validated; those are left untouched and unclaimed.
    /// </summary>
    public async Task<IReadOnlyList<ImportedReturn>> ApplyAsync(long uploadId, Actor actor, IReadOnlyList<ImportedReturn> returns, DateTime now,
        CancellationToken cancellationToken = default)
    {
        now = now.AsUtc();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The chunk goes to a staging table at bulk speed, and from there into the tables with set-based statements.
        await connection.ExecuteAsync(database.Dialect.ExpandDdl(
            "CREATE TEMP TABLE IF NOT EXISTS import_stage (unit_id BIGINT NOT NULL, period TEXT NOT NULL, employees INTEGER NULL, late {bool} NOT NULL, fresh {bool} NOT NULL)"),
            transaction: transaction);
        await connection.ExecuteAsync("DELETE FROM import_stage", transaction: transaction);
        await database.Dialect.BulkInsertAsync(connection, transaction, "import_stage", StageColumns,
            returns.Select(r => new object?[] { r.UnitId, r.Period.ToString(), r.Employees, r.LateIfFirst, r.Existing is null }), cancellationToken);

        // SQLite needs the WHERE before ON CONFLICT to parse an upsert from a SELECT.
        var claimed = (await connection.QueryAsync<(long, JalaliPeriod)>(
                """
                INSERT INTO upload_returns (upload_id, unit_id, period) SELECT @uploadId, unit_id, period FROM import_stage WHERE TRUE
                ON CONFLICT DO NOTHING RETURNING unit_id, period
                """,
                new { uploadId }, transaction))
            .ToHashSet();
        var mine = returns.Where(r => claimed.Contains((r.UnitId, r.Period))).ToList();
        foreach (var r in returns.Where(r => !claimed.Contains((r.UnitId, r.Period))))
        {
            await connection.ExecuteAsync("DELETE FROM import_stage WHERE unit_id = @UnitId AND period = @Period", new { r.UnitId, r.Period }, transaction);
        }

        var conflicts = new List<ImportedReturn>();
        var applied = new List<(ImportedReturn Return, long Id, ReturnState? From, int Version)>();
        var created = (await connection.QueryAsync<(long Id, long UnitId, JalaliPeriod Period)>(
                """
                INSERT INTO returns (unit_id, period, state, version, employees, submitted_at, late, updated_at)
                SELECT unit_id, period, @submitted, 1, employees, @now, late, @now FROM import_stage WHERE fresh = TRUE
                ON CONFLICT (unit_id, period) DO NOTHING RETURNING id, unit_id, period
                """,
                new { submitted = nameof(ReturnState.Submitted), now }, transaction))
            .ToDictionary(c => (c.UnitId, c.Period), c => c.Id);
        foreach (var r in mine.Where(r => r.Existing is null))
        {
            if (created.TryGetValue((r.UnitId, r.Period), out var id))
            {
                applied.Add((r, id, null, 1));
            }
            else
            {
                conflicts.Add(r);
            }
        }

        foreach (var r in mine.Where(r => r.Existing is not null))
        {
            var existing = r.Existing!;
            var updated = await connection.ExecuteAsync(
                $"""
                UPDATE returns SET state = @submitted, version = version + 1, employees = @employees, updated_at = @now,
                    late = CASE WHEN submitted_at IS NULL THEN @late ELSE late END,
                    submitted_at = COALESCE(submitted_at, @now)
                WHERE id = @id AND version = @version AND {database.Dialect.InList("state", "open")}
                """,
                new
                {
                    submitted = nameof(ReturnState.Submitted), employees = r.Employees, now, late = r.LateIfFirst, id = existing.Id,
                    version = existing.Version, open = OpenStates,
                },
                transaction);
            if (updated == 1)
            {
                applied.Add((r, existing.Id, existing.State, existing.Version + 1));
            }
            else
            {
                conflicts.Add(r);
            }
        }

        foreach (var r in conflicts)
        {
            await connection.ExecuteAsync("DELETE FROM upload_returns WHERE upload_id = @uploadId AND unit_id = @UnitId AND period = @Period",
                new { uploadId, r.UnitId, r.Period }, transaction);
        }

        var replaced = applied.Where(a => a.From is not null).Select(a => a.Id).ToArray();
        if (replaced.Length > 0)
        {
            await connection.ExecuteAsync($"DELETE FROM return_lines WHERE {database.Dialect.InList("return_id", "replaced")}", new { replaced }, transaction);
        }

        await database.Dialect.BulkInsertAsync(connection, transaction, "return_lines", LineColumns,
            applied.SelectMany(a => a.Return.Lines.Select(l => new object?[] { a.Id, l.ProductCode, l.Production, l.Sales, l.ExportQty, l.ExportValueUsd })),
            cancellationToken);
        var reason = $"upload {uploadId.ToString(CultureInfo.InvariantCulture)}";
        await FigureVersions.RecordAsync(database, connection, transaction, applied.Select(a => a.Id).ToList(), actor, reason, now);
        await database.Dialect.BulkInsertAsync(connection, transaction, "return_history", HistoryColumns,
            applied.Select(a => new object?[] { a.Id, now, actor.Name, actor.Role.ToString(), a.From?.ToString(), nameof(ReturnState.Submitted), reason, a.Version }),
            cancellationToken);
        foreach (var period in applied.GroupBy(a => a.Return.Period))
        {
            await UnitActivity.ReactivateReportedAsync(database, connection, transaction, period.Key, period.Select(a => a.Return.UnitId).ToArray());
        }

        await transaction.CommitAsync(cancellationToken);
        return conflicts;
    }

    private static readonly string[] OpenStates = Enum.GetValues<ReturnState>().Where(ReturnWorkflow.FiguresMayChange).Select(s => s.ToString()).ToArray();
}
