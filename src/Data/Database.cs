using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchEngine.Data;

/// <summary>Which store the product runs on, and how to open a connection to it.</summary>
public sealed class Database
{
    private Database(SqlDialect dialect, string connectionString, string description)
    {
        Dialect = dialect;
        ConnectionString = connectionString;
        Description = description;
    }

    public SqlDialect Dialect { get; }
    public string ConnectionString { get; }

    /// <summary>Where the data lives, for messages; never contains a password.</summary>
    public string Description { get; }

    public bool IsPostgres => Dialect is PostgresDialect;

    /// <summary>
    /// A setting of <c>Host=…</c> (any key=value string naming a host) is PostgreSQL; anything else is a SQLite file path.
    /// </summary>
    public static Database FromSetting(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        if (setting.Contains("Host=", StringComparison.OrdinalIgnoreCase) || setting.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new NpgsqlConnectionStringBuilder(setting);
            return new Database(new PostgresDialect(), builder.ConnectionString, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
        }

        var path = Path.GetFullPath(setting);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout: writers queue, they do not fail.
            DefaultTimeout = 60,
        };
        return new Database(new SqliteDialect(), sqlite.ConnectionString, $"SQLite {path}");
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Dialect.CreateConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await Dialect.PrepareConnectionAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
