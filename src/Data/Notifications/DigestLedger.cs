using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Status;
using Dapper;

namespace BatchEngine.Data.Notifications;

/// <summary>A claimed digest: one expert, the day, and the period whose non-reporting units it lists.</summary>
public sealed class ClaimedDigest
{
    public long Id { get; init; }
    public long UserId { get; init; }
    public required string ExpertName { get; init; }
    public string? Email { get; init; }
    public required string ProvinceCode { get; init; }
    public required string ProvinceName { get; init; }
    public required string Day { get; init; }
    public required JalaliPeriod Period { get; init; }
    public int Attempts { get; init; }
}

/// <summary>A unit that missed the deadline and has still not reported, as a digest lists it.</summary>
public sealed record NonReportingUnit(string LicenceNo, string Name);

/// <summary>A return waiting on the province's review, and since when.</summary>
public sealed record AwaitingReview(JalaliPeriod Period, DateTime ArrivedAt);

/// <summary>The daily digest to each provincial expert: one row per (expert, day), only while their province has units to chase.</summary>
public sealed class DigestLedger(Database database)
{
    /// <summary>SQL: unit <c>u</c> was flagged for <c>@period</c> and has still not reported.</summary>
    private string StillMissing => $"""
        u.id IN (SELECT f.unit_id FROM missed_deadline_flags f WHERE f.period = @period)
        AND u.id NOT IN {ReportedUnits.Of(database.Dialect)}
        """;

    public Task<int> CreateAsync(JalaliPeriod period, string day, DateTime notBefore, DateTime now) =>
        database.WholeTablesAsync((connection, transaction) => connection.ExecuteAsync(
            $"""
            INSERT INTO digests (user_id, day, period, status, attempts, not_before, created_at)
            SELECT us.id, @day, @period, 'Pending', 0, @notBefore, @now FROM users us
            WHERE us.role = @role AND us.email IS NOT NULL
              AND EXISTS (SELECT 1 FROM units u WHERE u.province_code = us.province_code AND {StillMissing})
            ON CONFLICT (user_id, day) DO NOTHING
            """,
            new { period, day, notBefore = notBefore.AsUtc(), now = now.AsUtc(), role = nameof(Role.ProvincialExpert), reported = MissedDeadlines.ReportedStates },
            transaction));

    public async Task<IReadOnlyList<ClaimedDigest>> ClaimedAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ClaimedDigest>(
            """
            SELECT d.id, d.user_id AS UserId, us.display_name AS ExpertName, us.email, us.province_code AS ProvinceCode,
                   pr.name AS ProvinceName, d.day, d.period, d.attempts
            FROM digests d JOIN users us ON us.id = d.user_id JOIN provinces pr ON pr.code = us.province_code
            WHERE d.claim_token = @token ORDER BY d.id
            """,
            new { token })).AsList();
    }

    /// <summary>The province's units flagged for the period that have still not reported, as of now.</summary>
    public async Task<IReadOnlyList<NonReportingUnit>> NonReportingAsync(string province, JalaliPeriod period) =>
        (await database.WholeTablesAsync((connection, transaction) => connection.QueryAsync<(string LicenceNo, string Name)>(
            $"SELECT u.licence_no, u.name FROM units u WHERE u.province_code = @province AND {StillMissing} ORDER BY u.licence_no",
            new { province, period, reported = MissedDeadlines.ReportedStates },
            transaction)))
        .Select(x => new NonReportingUnit(x.LicenceNo, x.Name)).ToList();

    /// <summary>The province's returns waiting on its expert's review (its queue), with when each arrived.</summary>
    public async Task<IReadOnlyList<AwaitingReview>> AwaitingReviewAsync(string province)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(JalaliPeriod Period, DateTime UpdatedAt)>(
            $"""
            SELECT r.period, r.updated_at FROM returns r JOIN units u ON u.id = r.unit_id
            WHERE u.province_code = @province AND {database.Dialect.InList("r.state", "states")}
            """,
            new { province, states = ReturnWorkflow.AwaitingReviewBy(ActorRole.ProvincialExpert).Select(s => s.ToString()).ToArray() }))
            .Select(r => new AwaitingReview(r.Period, r.UpdatedAt.AsUtc())).ToList();
    }
}
