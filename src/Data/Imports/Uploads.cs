using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Imports;

/// <summary>The uploads table: one row per file, its progress while it runs and its summary after.</summary>
public sealed class Uploads(Database database)
{
    private const string Columns = """
        id, province_code AS ProvinceCode, file_name AS FileName, stored_path AS StoredPath, sha256, dry_run AS DryRun,
        uploaded_by AS UploadedBy, state, created_at AS CreatedAt, finished_at AS FinishedAt, rows_read AS RowsRead,
        (SELECT COUNT(*) FROM upload_returns ur WHERE ur.upload_id = uploads.id) AS ReturnsApplied, returns_rejected AS ReturnsRejected, rows_in_error AS RowsInError, message,
        message_persian AS PersianMessage, error_report AS ErrorReport
        """;

    /// <summary>
    /// Records a new upload, unless the province already imported (or is importing) the same bytes: then returns that
    /// upload and <c>Created = false</c>. A check-only run is always new. The earlier upload is looked for first, so
    /// that a repeated file takes no upload number (an insert that meets the unique key would use one up on PostgreSQL).
    /// </summary>
    public async Task<(Upload Upload, bool Created)> RegisterAsync(string province, string fileName, string storedPath, string sha256,
        bool dryRun, string uploadedBy, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        if (!dryRun && await EarlierAsync(connection, province, sha256) is { } earlier)
        {
            return (earlier, false);
        }

        var id = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO uploads (province_code, file_name, stored_path, sha256, dry_run, uploaded_by, state, created_at)
            VALUES (@province, @fileName, @storedPath, @sha256, @dryRun, @uploadedBy, @queued, @now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            new { province, fileName, storedPath, sha256, dryRun, uploadedBy, queued = nameof(UploadState.Queued), now = now.AsUtc() });
        return id is null
            ? ((await EarlierAsync(connection, province, sha256))!, false)
            : ((await GetAsync(id.Value))!, true);
    }

    private static Task<Upload?> EarlierAsync(DbConnection connection, string province, string sha256) =>
        connection.QuerySingleOrDefaultAsync<Upload>(
            $"SELECT {Columns} FROM uploads WHERE province_code = @province AND sha256 = @sha256 AND dry_run = FALSE AND state <> @refused",
            new { province, sha256, refused = nameof(UploadState.Refused) });

    public async Task<Upload?> GetAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Upload>($"SELECT {Columns} FROM uploads WHERE id = @id", new { id });
    }

    /// <summary>A page of the uploads, of one province or of all, newest first, with the total.</summary>
    public async Task<ListPage<Upload>> PageAsync(string? province, int page, int pageSize = ListPage.DefaultSize)
    {
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<Upload>(connection, Columns, "FROM uploads WHERE @province IS NULL OR province_code = @province", "id DESC",
            new { province }, page, pageSize);
    }

    public async Task StartAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE uploads SET state = @running, message = NULL WHERE id = @id",
            new { id, running = nameof(UploadState.Running) });
    }

    /// <summary>Rows read so far, written while the file is read so that the dashboard can show progress.</summary>
    public async Task ProgressAsync(long id, int rowsRead)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE uploads SET rows_read = @rowsRead WHERE id = @id", new { id, rowsRead });
    }

    public async Task FinishAsync(long id, UploadOutcome outcome, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            UPDATE uploads SET state = @state, rows_read = @RowsRead, returns_rejected = @ReturnsRejected, rows_in_error = @RowsInError,
                message = @Message, message_persian = @PersianMessage, error_report = @ErrorReport, finished_at = @now
            WHERE id = @id
            """,
            new { id, state = outcome.State.ToString(), outcome.RowsRead, outcome.ReturnsRejected, outcome.RowsInError, outcome.Message, outcome.PersianMessage, outcome.ErrorReport, now = now.AsUtc() });
    }
}
