using System.Globalization;
using BatchEngine.Data.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Bench;

/// <summary>
/// The stores a national-scale benchmark runs on, one after the other: a SQLite file in its folder, or a database of
/// its own on one PostgreSQL server with fsync on and default settings otherwise (what the ministry's server does with
/// a commit), started at the first need and stopped at the end with the folder.
/// </summary>
public sealed class BenchStores(string prefix) : IAsyncDisposable
{
    private PostgresServer? _postgres;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>A fresh, empty database of <paramref name="store"/> (sqlite or postgres), as a <c>--db</c> setting.</summary>
    public async Task<string> CreateAsync(string store, string sqliteFile)
    {
        if (store != "postgres")
        {
            return Path.Combine(Directory, sqliteFile);
        }

        _postgres ??= await PostgresServer.StartAsync(durable: true);
        return await _postgres.CreateEmptyDatabaseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An instant as the product's <c>--now</c> and <c>Engine:ClockStartsAt</c> read it.</summary>
    public static string InstantText(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
