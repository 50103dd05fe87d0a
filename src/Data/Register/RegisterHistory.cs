using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Register;

/// <summary>One change to the register: what, who, when, why.</summary>
public sealed class RegisterChange
{
    public long Id { get; init; }
    public required string Entity { get; init; }
    public required string EntityKey { get; init; }
    public DateTime At { get; init => field = value.AsUtc(); }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public string? Details { get; init; }
    public string? Reason { get; init; }
}

/// <summary>The append-only record of register changes.</summary>
public sealed class RegisterHistory(Database database)
{
    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, string entity, string key, string actor, string action,
        string? details, string? reason, DateTime now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO register_history (entity, entity_key, at, actor, action, details, reason)
            VALUES (@entity, @key, @now, @actor, @action, @details, @reason)
            """,
            new { entity, key, now = now.AsUtc(), actor, action, details, reason }, transaction);

    public async Task<IReadOnlyList<RegisterChange>> OfAsync(string entity, string key)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<RegisterChange>(
            """
            SELECT id, entity, entity_key AS EntityKey, at, actor, action, details, reason
            FROM register_history WHERE entity = @entity AND entity_key = @key ORDER BY id
            """,
            new { entity, key })).AsList();
    }
}
