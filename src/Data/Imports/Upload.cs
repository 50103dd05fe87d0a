namespace BatchEngine.Data.Imports;

public enum UploadState
{
    Queued,
    Running,
    Completed,
    Refused,
    Failed,
}

/// <summary>A returns file a provincial office uploaded, with where its import stands.</summary>
public sealed class Upload
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public required string FileName { get; init; }
    public required string StoredPath { get; init; }
    public required string Sha256 { get; init; }
    public bool DryRun { get; init; }
    public required string UploadedBy { get; init; }
    public UploadState State { get; init; }
    public DateTime CreatedAt { get; init => field = value.AsUtc(); }
    public DateTime? FinishedAt { get; init => field = value?.AsUtc(); }
    public int RowsRead { get; init; }
    public int ReturnsApplied { get; init; }
    public int ReturnsRejected { get; init; }
    public int RowsInError { get; init; }
    public string? Message { get; init; }

    /// <summary>The same as <see cref="Message"/>, in Persian, for the office's pages.</summary>
    public string? PersianMessage { get; init; }
    public string? ErrorReport { get; init; }
}

/// <summary>How a finished import went, as stored on its upload.</summary>
public sealed record UploadOutcome(UploadState State, int RowsRead, int ReturnsRejected, int RowsInError, string? Message, string? ErrorReport,
    string? PersianMessage = null);
