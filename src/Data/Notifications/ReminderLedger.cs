using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Status;
using Dapper;

namespace BatchEngine.Data.Notifications;

/// <summary>A claimed reminder with what its message needs.</summary>
public sealed class ClaimedReminder
{
    public long Id { get; init; }
    public long UnitId { get; init; }
    public required string LicenceNo { get; init; }
    public required string UnitName { get; init; }
    public required JalaliPeriod Period { get; init; }
    public required string Stage { get; init; }
    public Channel Channel { get; init; }
    public int Attempts { get; init; }

    /// <summary>The unit's deadline in force (an extension, else the period's): the first late instant.</summary>
    public DateTime LateFrom { get; init => field = value.AsUtc(); }
}

/// <summary>One ledger count for <c>status</c> and the dashboard: stage, channel, status.</summary>
public sealed record LedgerCount(JalaliPeriod Period, string Stage, Channel Channel, DeliveryStatus Status, int Count);

/// <summary>
/// Which units a reminder stage or an overdue notice goes to, written once per (unit, period, stage, channel) by
/// set-based inserts that a unique key makes idempotent.
/// </summary>
public sealed class ReminderLedger(Database database)
{
    public const string OverdueStage = "overdue";

    /// <summary>
    /// Adds a row per channel for every expected unit that has not reported and whose deadline (its own
    /// extension included) has not passed. Returns the rows added (0 when the stage was already written).
    /// </summary>
    public Task<int> CreateStageAsync(JalaliPeriod period, string stage, DateTime emailNotBefore, DateTime smsNotBefore, DateTime now) =>
        CreateAsync(period, stage, emailNotBefore, smsNotBefore, now, BeforeDeadline);

    /// <summary>The stage of the reminders an expert sends by hand on a Tehran day: one per unit, channel and day.</summary>
    public static string ManualStage(string tehranDay) => ManualPrefix + tehranDay;

    public const string ManualPrefix = "manual-";

    /// <summary>
    /// A reminder now, asked by an expert for some units of a period (those of <paramref name="province"/> when given):
    /// written to the ledger like any stage, so it is sent once and recorded; a unit already reminded by hand that
    /// day, or that has reported, gets nothing. Returns the rows added.
    /// </summary>
    public Task<int> CreateManualAsync(JalaliPeriod period, string tehranDay, IReadOnlyCollection<long> unitIds, string? province, DateTime emailNotBefore,
        DateTime smsNotBefore, DateTime now) =>
        unitIds.Count == 0
            ? Task.FromResult(0)
            : CreateAsync(period, ManualStage(tehranDay), emailNotBefore, smsNotBefore, now,
                $"{database.Dialect.InList("u.id", "unitIds")} AND (@province IS NULL OR u.province_code = @province)",
                extra: new { unitIds = unitIds.ToArray(), province });

    /// <summary>
    /// Stages that are due together with a later one (the engine was down, or starts for the first time): recorded as
    /// skipped, and their rows still pending too, so that a liaison never gets two reminders for one period in one go.
    /// Returns the rows recorded or changed.
    /// </summary>
    public async Task<int> SupersedeAsync(JalaliPeriod period, IReadOnlyList<string> stages, string by, DateTime now)
    {
        var why = $"superseded by {by}";
        var count = 0;
        foreach (var stage in stages)
        {
            count += await CreateAsync(period, stage, now, now, now, BeforeDeadline, DeliveryStatus.Skipped, why);
        }

        return count + await SkipPendingAsync(period, stages, why);
    }

    /// <summary>Once the deadline has passed, a reminder of it still waiting (SMS quiet hours, a retry) would be wrong: skipped.</summary>
    public Task<int> SkipPendingAfterDeadlineAsync(JalaliPeriod period, IReadOnlyList<string> stages) =>
        SkipPendingAsync(period, stages, "the deadline passed before it was sent");

    private async Task<int> SkipPendingAsync(JalaliPeriod period, IReadOnlyList<string> stages, string why)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync(
            $"UPDATE reminders SET status = 'Skipped', last_error = @why WHERE period = @period AND status = 'Pending' AND {database.Dialect.InList("stage", "stages")}",
            new { period, stages, why });
    }

    private string BeforeDeadline => $"{DeadlineExtensions.EffectiveLateFrom("u.id", "p")} > @now";

    /// <summary>One overdue notice to every unit flagged for the period that has still not reported.</summary>
    public Task<int> CreateOverdueAsync(JalaliPeriod period, DateTime emailNotBefore, DateTime smsNotBefore, DateTime now) =>
        CreateAsync(period, OverdueStage, emailNotBefore, smsNotBefore, now,
            "u.id IN (SELECT f.unit_id FROM missed_deadline_flags f WHERE f.period = @period)");

    private async Task<int> CreateAsync(JalaliPeriod period, string stage, DateTime emailNotBefore, DateTime smsNotBefore, DateTime now, string condition,
        DeliveryStatus status = DeliveryStatus.Pending, string? note = null, object? extra = null)
    {
        // Both channels in one transaction: a stage is written whole or not at all.
        var added = await database.WholeTablesAsync(async (connection, transaction) =>
        {
            var rows = 0;
            foreach (var (channel, contact, notBefore) in new[] { (Channel.Email, "email", emailNotBefore), (Channel.Sms, "mobile", smsNotBefore) })
            {
                rows += await connection.ExecuteAsync(
                    $"""
                    INSERT INTO reminders (unit_id, period, stage, channel, status, attempts, not_before, created_at, last_error)
                    SELECT u.id, p.code, @stage, @channel, @status, 0, @notBefore, @now, @note
                    FROM units u JOIN periods p ON p.code = @period
                    WHERE {ExpectedUnits.Condition}
                      AND {condition}
                      AND u.id NOT IN {ReportedUnits.Of(database.Dialect)}
                      AND u.id IN (SELECT l.unit_id FROM liaisons l WHERE l.{contact} IS NOT NULL AND l.active_to IS NULL)
                    ON CONFLICT (unit_id, period, stage, channel) DO NOTHING
                    """,
                    Parameters(extra, new
                    {
                        stage,
                        channel = channel.ToString(),
                        notBefore = notBefore.AsUtc(),
                        now = now.AsUtc(),
                        period,
                        status = status.ToString(),
                        note,
                        reported = MissedDeadlines.ReportedStates,
                    }),
                    transaction);
            }

            return rows;
        });
        if (added > 0)
        {
            await database.AnalyzeAsync("reminders");
        }

        return added;
    }

    private static DynamicParameters Parameters(object? extra, object common)
    {
        var parameters = new DynamicParameters(common);
        if (extra is not null)
        {
            parameters.AddDynamicParams(extra);
        }

        return parameters;
    }

    /// <summary>
    /// Within a claim, the rows of units that reported after the row was written: they need no message any more
    /// and are marked skipped. Returns how many.
    /// </summary>
    public async Task<int> SkipReportedAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync(
            $"""
            UPDATE reminders SET status = 'Skipped', last_error = 'the unit reported before the message was sent'
            WHERE claim_token = @token AND status = 'Sending'
              AND EXISTS (SELECT 1 FROM returns r WHERE r.unit_id = reminders.unit_id AND r.period = reminders.period
                          AND {database.Dialect.InList("r.state", "reported")})
            """,
            new { token, reported = MissedDeadlines.ReportedStates });
    }

    public async Task<IReadOnlyList<ClaimedReminder>> ClaimedAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ClaimedReminder>(
            $"""
            SELECT r.id, r.unit_id AS UnitId, u.licence_no AS LicenceNo, u.name AS UnitName, r.period, r.stage, r.channel,
                   r.attempts, {DeadlineExtensions.EffectiveLateFrom("r.unit_id", "p")} AS LateFrom
            FROM reminders r JOIN units u ON u.id = r.unit_id JOIN periods p ON p.code = r.period
            WHERE r.claim_token = @token AND r.status = 'Sending' ORDER BY r.id
            """,
            new { token })).AsList();
    }

    /// <summary>The liaisons current now of the units in the claim: reminders go to whoever is liaison at sending time.</summary>
    public async Task<ILookup<long, Liaison>> LiaisonsAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        var liaisons = await connection.QueryAsync<Liaison>(
            """
            SELECT l.id, l.unit_id AS UnitId, l.name, l.email, l.mobile FROM liaisons l
            WHERE l.unit_id IN (SELECT unit_id FROM reminders WHERE claim_token = @token) AND l.active_to IS NULL ORDER BY l.id
            """,
            new { token });
        return liaisons.ToLookup(l => l.UnitId);
    }

    public async Task<IReadOnlyList<LedgerCount>> CountsAsync(JalaliPeriod period, string? province)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(string Stage, string Channel, string Status, int Count)>(
            """
            SELECT r.stage, r.channel, r.status, COUNT(*) FROM reminders r JOIN units u ON u.id = r.unit_id
            WHERE r.period = @period AND (@province IS NULL OR u.province_code = @province)
            GROUP BY r.stage, r.channel, r.status ORDER BY r.stage, r.channel, r.status
            """,
            new { period, province }))
            .Select(x => new LedgerCount(period, x.Stage, Enum.Parse<Channel>(x.Channel), Enum.Parse<DeliveryStatus>(x.Status), x.Count))
            .ToList();
    }
}
