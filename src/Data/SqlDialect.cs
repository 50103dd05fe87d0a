using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchEngine.Data;

/// <summary>A column of a bulk insert: its name and its PostgreSQL type (SQLite needs none).</summary>
public sealed record BulkColumn(string Name, string PostgresType);

/// <summary>
/// The few real differences between SQLite and PostgreSQL. Every query text is shared; only what
/// cannot be written once (column types, bulk copy, the migration lock, error codes) lives here.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    public virtual Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Settings that belong to the database file rather than to a connection, applied before migrating.</summary>
    public virtual Task PrepareDatabaseAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Expands the type tokens of a migration script: {id}, {decimal}, {instant}, {bool}.</summary>
    public string ExpandDdl(string script) => script
        .Replace("{id}", IdColumn, StringComparison.Ordinal)
        .Replace("{decimal}", DecimalType, StringComparison.Ordinal)
        .Replace("{instant}", InstantType, StringComparison.Ordinal)
        .Replace("{bool}", BoolType, StringComparison.Ordinal);

    protected abstract string IdColumn { get; }
    protected abstract string DecimalType { get; }
    protected abstract string InstantType { get; }
    protected abstract string BoolType { get; }

    /// <summary>
    /// "expression is one of the list parameter": Dapper expands a list into (@p1, @p2…) for SQLite but sends
    /// PostgreSQL a native array, which needs ANY.
    /// </summary>
    public abstract string InList(string expression, string parameter);

    /// <summary>Lets concurrent claimers pass over each other's rows; SQLite has one writer at a time and needs none.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>Locks the rows a SELECT reads until the transaction ends (SQLite's single writer needs no row locks).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// The database's own clock at the moment a row is written, plus the seconds of <paramref name="secondsParameter"/>:
    /// leases shared by several processes need one clock that a waiting statement cannot leave behind.
    /// </summary>
    public abstract string ClockPlus(string secondsParameter);

    /// <summary>The database's clock now, in the same terms as <see cref="ClockPlus"/>.</summary>
    public abstract string Clock { get; }

    /// <summary>Whether several connections writing at once get more done than one (not on SQLite: one writer at a time).</summary>
    public abstract bool ConcurrentWriters { get; }

    /// <summary>The table prefix of Quartz's job store in the product's database.</summary>
    public const string QuartzTablePrefix = "QRTZ_";

    protected abstract string QuartzSchemaResource { get; }

    /// <summary>
    /// The statements of the schema script that Quartz ships for this store (idempotent, separated by
    /// <c>--;;</c> lines), with the product's table prefix.
    /// </summary>
    public IReadOnlyList<string> QuartzSchemaStatements()
    {
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(QuartzSchemaResource)
            ?? throw new InvalidOperationException($"The Quartz package has no schema script {QuartzSchemaResource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Replace("{0}", QuartzTablePrefix, StringComparison.Ordinal)
            .Replace("{1}", QuartzTablePrefix, StringComparison.Ordinal)
            .Split("\n--;;", StringSplitOptions.TrimEntries)
            .Where(s => s.Split('\n').Any(line => line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// Within a transaction, plans its statements as joins of whole sets (hash or merge joins), never a nested loop
    /// that trusts an estimate of one row. SQLite plans from its indexes without statistics and needs nothing.
    /// </summary>
    public virtual Task PlanForWholeTablesAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>Refreshes the statistics of <paramref name="tables"/>; SQLite keeps none (its planner reads the indexes).</summary>
    public virtual Task AnalyzeAsync(DbConnection connection, IReadOnlyList<string> tables) => Task.CompletedTask;

    /// <summary>Whether the failure is a statement that ran past the command timeout and was cancelled.</summary>
    public abstract bool IsTimeout(Exception exception);

    /// <summary>Serialises schema changes between processes that migrate the same database at once.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction);

    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>A failure that leaves nothing behind and may pass on a second try (PostgreSQL's deadlock victim, serialization failure).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>After rows were inserted with explicit ids, makes the next generated id follow the largest one.</summary>
    public abstract Task ResetIdentityAsync(DbConnection connection, DbTransaction transaction, string table);

    /// <summary>Inserts many rows at the store's full speed, inside the caller's transaction.</summary>
    public abstract Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default);
}

public sealed class SqliteDialect : SqlDialect
{
    public override string Name => "sqlite";
    protected override string QuartzSchemaResource => "Quartz.Impl.AdoJobStore.Schema.create_sqlite.sql";
    protected override string IdColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    // SQLite has no exact decimal: a NUMERIC column would round-trip through double. TEXT keeps every digit.
    protected override string DecimalType => "TEXT";
    protected override string InstantType => "TEXT";
    protected override string BoolType => "INTEGER";

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override string InList(string expression, string parameter) => $"{expression} IN @{parameter}";

    public override string SkipLocked => "";

    public override string ForUpdate => "";

    // The same text form Microsoft.Data.Sqlite writes for a DateTime, so instants compare as text.
    public override string Clock => "strftime('%Y-%m-%d %H:%M:%f', 'now')";

    public override string ClockPlus(string secondsParameter) => $"strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || @{secondsParameter} || ' seconds')";

    public override bool ConcurrentWriters => false;

    // WAL (set once, it stays with the file) lets the dashboard read while the engine writes; with WAL, NORMAL
    // syncs at checkpoints, so a killed process loses nothing and a commit costs no fsync.
    public override async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync("PRAGMA synchronous=NORMAL");

    // Outside any transaction (SQLite refuses to change the journal there); the file keeps the mode.
    public override Task PrepareDatabaseAsync(DbConnection connection) => connection.ExecuteAsync("PRAGMA journal_mode=WAL");

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the writer lock is already held.
    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;


    // AUTOINCREMENT already continues after the largest id inserted.
    public override Task ResetIdentityAsync(DbConnection connection, DbTransaction transaction, string table) => Task.CompletedTask;

    // A busy SQLite database waits until DefaultTimeout and then reports itself busy (5) or locked (6).
    public override bool IsTimeout(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    // A busy SQLite database waits (DefaultTimeout) rather than failing; nothing else is worth a retry.
    public override bool IsTransient(Exception exception) => false;

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19 } sqlite && sqlite.SqliteExtendedErrorCode is 2067 or 1555;

    public override async Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null))).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

public sealed class PostgresDialect : SqlDialect
{
    public override string Name => "postgres";
    protected override string QuartzSchemaResource => "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";
    protected override string IdColumn => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    protected override string DecimalType => "NUMERIC(20,4)";
    protected override string InstantType => "TIMESTAMPTZ";
    protected override string BoolType => "BOOLEAN";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string InList(string expression, string parameter) => $"{expression} = ANY(@{parameter})";

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string ForUpdate => " FOR UPDATE";

    // clock_timestamp(), not now(): now() is when the transaction began, before any wait on a lock.
    public override string Clock => "clock_timestamp()";

    public override string ClockPlus(string secondsParameter) => $"clock_timestamp() + @{secondsParameter} * INTERVAL '1 second'";

    public override bool ConcurrentWriters => true;

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727001)", transaction: transaction);

    public override Task PlanForWholeTablesAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync("SET LOCAL enable_nestloop = off", transaction: transaction);

    public override Task AnalyzeAsync(DbConnection connection, IReadOnlyList<string> tables) =>
        connection.ExecuteAsync($"ANALYZE {string.Join(", ", tables)}");

    // The server's statement_timeout (Database sets it) comes back as query_canceled.
    public override bool IsTimeout(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };

    public override Task ResetIdentityAsync(DbConnection connection, DbTransaction transaction, string table) =>
        connection.ExecuteAsync(
            $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))",
            transaction: transaction);

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    public override async Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var importer = await npgsql.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(row[i], columns[i].PostgresType, cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
