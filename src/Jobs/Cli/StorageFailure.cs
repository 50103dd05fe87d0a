using Microsoft.Data.Sqlite;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// A disk that is full or read-only is the operator's to fix: one sentence and exit code 4, never a stack trace.
/// SQLite commits or rolls back whole, so what was written stays consistent and a rerun carries on.
/// </summary>
internal static class StorageFailure
{
    // errno values, which .NET gives as the HResult of an IOException on Linux.
    private const int NoSpace = 28, ReadOnlyFileSystem = 30;

    public static string? Explain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var reason = e switch
            {
                SqliteException { SqliteErrorCode: 13 } => "the disk holding the database is full",
                SqliteException { SqliteErrorCode: 8 } => "the database or its folder is read-only",
                // In WAL mode SQLite must create its -wal and -shm files beside the database: a read-only folder refuses the open itself.
                SqliteException { SqliteErrorCode: 14 } => "the database or its folder cannot be opened for writing (read-only, or no permission)",
                IOException { HResult: NoSpace } => "the disk holding the data folder is full",
                IOException { HResult: ReadOnlyFileSystem } or UnauthorizedAccessException => "the data folder is read-only",
                _ => null,
            };
            if (reason is not null)
            {
                return $"Stopped: {reason} ({e.Message.Split('\n')[0].Trim()}). Free some space or make it writable and run the command again; what was done so far is kept.";
            }
        }

        return null;
    }
}
