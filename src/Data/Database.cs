using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchEngine.Data;

/// <summary>Which store the product runs on, and how to open a connection to it.</summary>
public sealed class Database
{
    /// <summary>How long one statement may run unless the setting says otherwise: a whole national step is well under it.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromMinutes(5);

    static Database() => SqlMapper.AddTypeHandler(new PeriodColumn());

    private Database(SqlDialect dialect, string connectionString, string description, TimeSpan commandTimeout)
    {
        Dialect = dialect;
        ConnectionString = connectionString;
        Description = description;
        CommandTimeout = commandTimeout;
    }

    /// <summary>How long one statement may run before it is cancelled and reported as a timeout.</summary>
    public TimeSpan CommandTimeout { get; }

    public SqlDialect Dialect { get; }
    public string ConnectionString { get; }

    /// <summary>Where the data lives, for messages; never contains a password.</summary>
    public string Description { get; }

    public bool IsPostgres => Dialect is PostgresDialect;

    /// <summary>
    /// A setting of <c>Host=…</c> (any key=value string naming a host) is PostgreSQL; anything else is a SQLite file path.
    /// </summary>
    public static Database FromSetting(string setting, TimeSpan? commandTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        var timeout = commandTimeout ?? DefaultCommandTimeout;
        var seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        if (setting.Contains("Host=", StringComparison.OrdinalIgnoreCase) || setting.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            // The server cancels a statement at the timeout and says so (query_canceled); the client waits a little
            // longer, for a server that cannot even answer. JIT is off: the engine's statements are short, and a plan
            // priced up (a nested loop ruled out, see WholeTablesAsync) would spend more time compiling than running
            // (0.6 s against 0.05 s for a period's flags).
            var builder = PostgresSetting(setting);
            builder.CommandTimeout = seconds + 30;
            builder.Options = $"{builder.Options} -c statement_timeout={seconds * 1000} -c jit=off".Trim();
            return new Database(new PostgresDialect(), builder.ConnectionString, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}", timeout);
        }

        var path = Path.GetFullPath(setting);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout: writers queue, they do not fail.
            DefaultTimeout = seconds,
        };
        return new Database(new SqliteDialect(), sqlite.ConnectionString, $"SQLite {path}", timeout);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own, planned for a statement over whole tables (every unit
    /// of the country for a period): the newest period's rows are never in the statistics at national scale, and an
    /// estimate of one row must not become a loop over every unit.
    /// </summary>
    public async Task<T> WholeTablesAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Dialect.PlanForWholeTablesAsync(connection, transaction);
        var result = await work(connection, transaction);
        await transaction.CommitAsync();
        return result;
    }

    /// <summary>Refreshes the planner's statistics of tables a step has just filled or changed in bulk.</summary>
    public async Task AnalyzeAsync(params string[] tables)
    {
        await using var connection = await OpenAsync();
        await Dialect.AnalyzeAsync(connection, tables);
    }

    private static NpgsqlConnectionStringBuilder PostgresSetting(string setting)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(setting);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new DatabaseSettingException(
                $"the PostgreSQL connection string is not valid: {e.Message.Split('\n')[0].Trim()} (it takes Host, Port, Username, Password and Database, e.g. Host=db;Port=5432;Username=batchengine;Password=…;Database=batchengine)",
                e);
        }
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

/// <summary>
/// A database setting that names no usable database (a misspelt key, a port that is not a number). To an operator it is
/// a database that cannot be used, reported as one sentence like an unreachable one.
/// </summary>
public sealed class DatabaseSettingException(string message, Exception inner) : DbException(message, inner);
