using Dapper;
using BatchEngine.Data.Returns;

namespace BatchEngine.Data.Periods;

/// <summary>A day one province's offices are closed.</summary>
public sealed class ProvinceClosure
{
    public required string ProvinceCode { get; init; }

    /// <summary>The Jalali day, YYYY-MM-DD.</summary>
    public required string Day { get; init; }

    public required string Reason { get; init; }
    public required string AddedBy { get; init; }
    public DateTime AddedAt { get; init => field = value.AsUtc(); }
}

/// <summary>
/// Closures of one province's offices (its governor's decision), recorded by that province's expert or the ministry;
/// the engine's next step moves that province's deadlines still ahead that fall on one (see DueWork).
/// </summary>
public sealed class ProvinceClosures(Database database)
{
    /// <summary>Records the closure; false when the day was already recorded for the province (nothing changes).</summary>
    public async Task<bool> AddAsync(string province, string day, string reason, Actor actor, DateTime now)
    {
        if (!(actor.Role == ActorRole.MinistryExpert || (actor.Role == ActorRole.ProvincialExpert && actor.ProvinceCode == province)))
        {
            throw Refusals.NotTheirClosures(actor, province);
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw Refusals.ClosureNeedsReason();
        }

        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync(
            """
            INSERT INTO province_closures (province_code, day, reason, added_by, added_at) VALUES (@province, @day, @reason, @by, @now)
            ON CONFLICT (province_code, day) DO NOTHING
            """,
            new { province, day, reason = reason.Trim(), by = actor.Name, now = now.AsUtc() }) == 1;
    }

    /// <summary>Every recorded closure, by province then day.</summary>
    public async Task<IReadOnlyList<ProvinceClosure>> AllAsync(string? province = null)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ProvinceClosure>(
            """
            SELECT province_code AS ProvinceCode, day, reason, added_by AS AddedBy, added_at AS AddedAt FROM province_closures
            WHERE @province IS NULL OR province_code = @province ORDER BY province_code, day
            """,
            new { province })).AsList();
    }
}
