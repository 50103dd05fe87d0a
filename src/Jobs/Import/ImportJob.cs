using Hangfire;

namespace BatchEngine.Jobs.Import;

/// <summary>An upload imported in the background: what the dashboard's upload page enqueues.</summary>
public sealed class ImportJob(UploadImport import)
{
    // A retry resumes where the failed run stopped; the upload's own claims keep every return applied once.
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(long uploadId, CancellationToken cancellationToken) => import.RunAsync(uploadId, cancellationToken);
}
