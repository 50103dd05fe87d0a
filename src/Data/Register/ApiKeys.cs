using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace BatchEngine.Data.Register;

/// <summary>A partner system's key, as kept: never the key itself, only its first characters and its hash.</summary>
public sealed record ApiKey
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Prefix { get; init; } = "";
    public string Scope { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
    public int Calls { get; init; }

    /// <summary>The SHA-256 of the key, read only to check one (empty in lists).</summary>
    public string KeyHash { get; init; } = "";
    public DateTime? LastCallAt { get; init; }
}

/// <summary>What a key presented to the API turned out to be.</summary>
public enum KeyCheck
{
    Missing,
    Unknown,
    Revoked,
    WrongScope,
    Valid,
}

/// <summary>
/// The keys of partner systems: created by an admin (the key is shown once), revoked, checked on every call. A key is
/// 32 random bytes; being that long, a plain SHA-256 of it is as safe to keep as a slow password hash and quick to check.
/// </summary>
public sealed class ApiKeys(Database database)
{
    /// <summary>The one scope there is: a unit's reporting status.</summary>
    public const string ReportingStatus = "reporting-status";

    private const string Columns = """
        k.id, k.name, k.prefix, k.scope, k.created_at AS CreatedAt, k.created_by AS CreatedBy, k.revoked_at AS RevokedAt, k.revoked_by AS RevokedBy,
        (SELECT COUNT(*) FROM api_key_calls c WHERE c.key_id = k.id) AS Calls, (SELECT MAX(c.at) FROM api_key_calls c WHERE c.key_id = k.id) AS LastCallAt
        """;

    /// <summary>Creates a key; returns it (to show once) with its record. A name already used is refused.</summary>
    public async Task<(string Key, ApiKey Record)> CreateAsync(string name, string scope, string createdBy, DateTime now)
    {
        var key = "bek_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var connection = await database.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO api_keys (name, prefix, key_hash, scope, created_at, created_by)
            VALUES (@name, @prefix, @hash, @scope, @now, @createdBy) RETURNING id
            """,
            new { name, prefix = Prefix(key), hash = Hash(key), scope, now = now.AsUtc(), createdBy });
        return (key, (await FindAsync(id))!);
    }

    public async Task<ApiKey?> FindAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ApiKey>($"SELECT {Columns} FROM api_keys k WHERE k.id = @id", new { id });
    }

    /// <summary>Every key, newest first, with how often and when it was last used.</summary>
    public async Task<ListPage<ApiKey>> PageAsync(int page, int pageSize = ListPage.DefaultSize)
    {
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<ApiKey>(connection, Columns, "FROM api_keys k", "k.id DESC", new { }, page, pageSize);
    }

    /// <summary>Revokes a key from now on; revoking it again changes nothing.</summary>
    public async Task<bool> RevokeAsync(long id, string revokedBy, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = @now, revoked_by = @revokedBy WHERE id = @id AND revoked_at IS NULL",
            new { id, revokedBy, now = now.AsUtc() }) == 1;
    }

    /// <summary>What the presented key is, for the scope asked; the key's record when it is known.</summary>
    public async Task<(KeyCheck Check, ApiKey? Key)> CheckAsync(string? presented, string scope)
    {
        if (string.IsNullOrWhiteSpace(presented) || presented.Length < 12)
        {
            return (string.IsNullOrWhiteSpace(presented) ? KeyCheck.Missing : KeyCheck.Unknown, null);
        }

        // One row by its prefix, without the counts of its calls: this runs on every call.
        await using var connection = await database.OpenAsync();
        var found = (await connection.QueryAsync<ApiKey>(
            """
            SELECT id, name, prefix, scope, created_at AS CreatedAt, created_by AS CreatedBy, revoked_at AS RevokedAt, revoked_by AS RevokedBy, key_hash AS KeyHash
            FROM api_keys WHERE prefix = @prefix
            """,
            new { prefix = Prefix(presented) })).AsList();
        if (found is not [var key] || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.KeyHash), Encoding.ASCII.GetBytes(Hash(presented))))
        {
            return (KeyCheck.Unknown, null);
        }

        return (key.RevokedAt is not null ? KeyCheck.Revoked : key.Scope != scope ? KeyCheck.WrongScope : KeyCheck.Valid, key);
    }

    /// <summary>Records a call, refused or not (no key when none was recognised).</summary>
    public async Task RecordCallAsync(long? keyId, string path, int status, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO api_key_calls (key_id, at, path, status) VALUES (@keyId, @now, @path, @status)",
            new { keyId, now = now.AsUtc(), path, status });
    }

    private static string Prefix(string key) => key[..12];

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
