using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Returns;

namespace BatchEngine.Jobs.Import;

/// <summary>An upload's import and its outcome; <see cref="Summary"/> is null when the file was refused or imported before.</summary>
public sealed record UploadResult(Upload Upload, ImportSummary? Summary, bool AlreadyImported);

/// <summary>
/// An upload from start to end: registered once per file content (SHA-256), run, resumed after a crash, finished with
/// its summary and error report on the upload row. The command line and the background job both go through here.
/// </summary>
public sealed class UploadImport(Database database, ImportOptions options, string uploadsDirectory, TimeProvider time)
{
    private readonly Uploads _uploads = new(database);

    /// <summary>What an upload that failed for a reason of the engine's own says (the reason is in the engine's log).</summary>
    public const string FailedMessage =
        "The import stopped on an error of the engine (written to its log). Whole returns already applied stay; the rest were not touched, and running the upload again resumes it.";

    public const string FailedPersian =
        "ورود فایل بر اثر خطایی در سامانه متوقف شد (خطا ثبت شد). اظهارنامه‌هایی که کامل وارد شده‌اند می‌مانند و بقیه دست نخورده است؛ اجرای دوبارهٔ بارگذاری آن را از همان‌جا ادامه می‌دهد.";

    public string ReportPath(long uploadId) =>
        Path.Combine(uploadsDirectory, $"upload-{uploadId.ToString(CultureInfo.InvariantCulture)}-errors.csv");

    /// <summary>
    /// Checks the file and records it as an upload of <paramref name="province"/>; when the same bytes were imported
    /// already, returns that upload with <c>Created = false</c>. Throws <see cref="ImportRefusedException"/> for a file
    /// that cannot be read at all.
    /// </summary>
    public async Task<(Upload Upload, bool Created)> RegisterAsync(string path, string fileName, string province, bool dryRun, string uploadedBy,
        CancellationToken cancellationToken = default)
    {
        var file = await CsvFile.ScanAsync(path, options.MaxFileBytes, cancellationToken);
        return await _uploads.RegisterAsync(province, fileName, Path.GetFullPath(path), file.Sha256, dryRun, uploadedBy, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Registers and runs a file in this process (the command line); a file imported before is reported, not run.</summary>
    public async Task<UploadResult> ImportAsync(string path, string province, bool dryRun, string uploadedBy, CancellationToken cancellationToken = default)
    {
        var (upload, created) = await RegisterAsync(path, Path.GetFileName(path), province, dryRun, uploadedBy, cancellationToken);
        return !created && upload.State == UploadState.Completed
            ? new UploadResult(upload, null, AlreadyImported: true)
            : await RunAsync(upload.Id, cancellationToken);
    }

    /// <summary>
    /// Runs (or resumes) an upload. Safe to call again at any time: a finished upload is returned as it is, and the
    /// returns an interrupted run applied are not applied twice.
    /// </summary>
    public async Task<UploadResult> RunAsync(long uploadId, CancellationToken cancellationToken = default)
    {
        var upload = await _uploads.GetAsync(uploadId) ?? throw new InvalidOperationException($"There is no upload {uploadId}.");
        if (upload.State is UploadState.Completed or UploadState.Refused)
        {
            return new UploadResult(upload, null, AlreadyImported: false);
        }

        await _uploads.StartAsync(uploadId);
        var actor = Actor.ProvincialOffice(upload.UploadedBy, upload.ProvinceCode);
        ImportSummary summary;
        try
        {
            var file = await CsvFile.ScanAsync(upload.StoredPath, options.MaxFileBytes, cancellationToken);
            if (file.Sha256 != upload.Sha256)
            {
                throw ImportRefusals.ChangedAfterUpload(upload.StoredPath);
            }

            summary = await new ReturnsImport(database, options, time)
                .RunAsync(file, upload.ProvinceCode, upload.DryRun ? null : uploadId, upload.DryRun, ReportPath(uploadId), actor, cancellationToken);
        }
        catch (ImportRefusedException e)
        {
            await _uploads.FinishAsync(uploadId, new UploadOutcome(UploadState.Refused, 0, 0, 0, e.Message, null, e.Persian), time.GetUtcNow().UtcDateTime);
            return new UploadResult((await _uploads.GetAsync(uploadId))!, null, AlreadyImported: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception goes to the log with the rethrow; the office reads what it means for its upload.
            await _uploads.FinishAsync(uploadId, new UploadOutcome(UploadState.Failed, upload.RowsRead, 0, 0, FailedMessage, null, FailedPersian), time.GetUtcNow().UtcDateTime);
            throw;
        }

        await _uploads.FinishAsync(uploadId,
            new UploadOutcome(UploadState.Completed, summary.RowsRead, summary.ReturnsRejected, summary.RowsInError, null,
                summary.Errors > 0 ? ReportPath(uploadId) : null),
            time.GetUtcNow().UtcDateTime);
        return new UploadResult((await _uploads.GetAsync(uploadId))!, summary, AlreadyImported: false);
    }
}
