using Dapper;

namespace BatchEngine.Data.Engine;

/// <summary>
/// The hand-off of a Quartz firing to Hangfire, idempotent on (trigger, scheduled instant): a trigger that fires
/// twice, as a Quartz cluster may after a crash, finds its row and enqueues nothing new.
/// </summary>
public sealed class Handoffs(Database database)
{
    /// <summary>True for the first claim of this firing, false for every repeat (which is counted, for the admin to see).</summary>
    public async Task<bool> TryClaimAsync(string triggerKey, DateTime scheduledAt, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            """
            INSERT INTO handoffs (trigger_key, scheduled_at, handed_at, repeats) VALUES (@triggerKey, @scheduledAt, @now, 0)
            ON CONFLICT (trigger_key, scheduled_at) DO UPDATE SET repeats = handoffs.repeats + 1
            RETURNING repeats
            """,
            new { triggerKey, scheduledAt = scheduledAt.AsUtc(), now = now.AsUtc() }) == 0;
    }

    public async Task<IReadOnlySet<string>> HandedOffKeysAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT trigger_key FROM handoffs")).ToHashSet();
    }
}
