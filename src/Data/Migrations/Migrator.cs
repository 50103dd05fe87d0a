using System.Globalization;
using System.Reflection;
using Dapper;

namespace BatchEngine.Data.Migrations;

/// <summary>
/// Applies the numbered scripts embedded beside this class, in order, each once. Safe when several
/// processes start together: the whole run holds the store's migration lock.
/// </summary>
public sealed class Migrator(Database database)
{
    /// <summary>Quartz's job store tables, from the schema script Quartz itself ships for each store.</summary>
    private const string QuartzSchema = "0003_quartz_job_store";

    public static IReadOnlyList<(int Version, string Name)> Scripts { get; } = typeof(Migrator).Assembly
        .GetManifestResourceNames()
        .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
        .Select(n => n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..])
        .Append(QuartzSchema)
        .Select(n => (Version: int.Parse(n[..4], CultureInfo.InvariantCulture), Name: n))
        .OrderBy(s => s.Version)
        .ToList();

    /// <summary>Returns the names of the scripts applied by this call (empty when the schema was current).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await database.Dialect.PrepareDatabaseAsync(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.Dialect.LockForMigrationAsync(connection, transaction);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();

        var done = new List<string>();
        foreach (var (version, name) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            IReadOnlyList<string> statements = name == QuartzSchema ? database.Dialect.QuartzSchemaStatements()
                : ForThisStore(name) ? [database.Dialect.ExpandDdl(ReadScript(name))]
                : [];
            foreach (var statement in statements)
            {
                await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken, commandTimeout: 600));
            }

            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
                transaction);
            done.Add(name);
        }

        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
    }

    /// <summary>
    /// A script named <c>NNNN_name.STORE.sql</c> (<c>.postgres.sql</c>) is for that store only; on the other it is
    /// recorded as applied with nothing to do, so that both keep one numbering.
    /// </summary>
    private bool ForThisStore(string name) => name.Split('.') is not [_, var store, "sql"] || store == database.Dialect.Name;

    private static string ReadScript(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Migrations." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
