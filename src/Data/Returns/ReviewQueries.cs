using Dapper;
using BatchEngine.Data.Periods;

namespace BatchEngine.Data.Returns;

/// <summary>A return as a list shows it: the return, its unit and where the unit belongs.</summary>
public sealed class ReturnRow
{
    public long Id { get; init; }
    public required string Period { get; init; }
    public ReturnState State { get; init; }
    public int Version { get; init; }
    public bool Late { get; init; }
    public DateTime? SubmittedAt { get; init => field = value?.AsUtc(); }
    public DateTime UpdatedAt { get; init => field = value.AsUtc(); }
    public long UnitId { get; init; }
    public required string LicenceNo { get; init; }
    public required string UnitName { get; init; }
    public required string Isic { get; init; }
    public required string ProvinceCode { get; init; }
}

/// <summary>A period as a unit's liaison sees it: the deadline in force for the unit and the unit's return, if any.</summary>
public sealed class UnitPeriod
{
    public required string Period { get; init; }
    public DateTime LateFrom { get; init => field = value.AsUtc(); }
    public long? ReturnId { get; init; }
    public ReturnState? State { get; init; }
    public bool? Late { get; init; }
}

/// <summary>One product's production in one period, for comparisons and charts.</summary>
public sealed class ProductionPoint
{
    public required string Period { get; init; }
    public required string ProductCode { get; init; }
    public decimal Production { get; init; }
}

/// <summary>
/// What a queue shows; every filter is optional. <see cref="Province"/> is the viewer's scope, not a choice.
/// <see cref="Page"/> counts from 1; a page past the last shows the last.
/// </summary>
public sealed record QueueFilter(IReadOnlyList<ReturnState> States, string? Province, string? Period, string? LicenceNo, string? Isic, bool? Late,
    int Page = 1, int PageSize = ListPage.DefaultSize);

/// <summary>The reads of the review: queues, a unit's periods and returns, and the figures of earlier months.</summary>
public sealed class ReviewQueries(Database database)
{
    private const string RowColumns = """
        r.id, r.period, r.state, r.version, r.late, r.submitted_at AS SubmittedAt, r.updated_at AS UpdatedAt, u.id AS UnitId,
        u.licence_no AS LicenceNo, u.name AS UnitName, u.isic, u.province_code AS ProvinceCode
        """;

    /// <summary>A page of a queue, longest waiting first (the time since the return last moved), with the total.</summary>
    public async Task<ListPage<ReturnRow>> QueueAsync(QueueFilter filter)
    {
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<ReturnRow>(connection, RowColumns, QueueFromWhere, "r.updated_at, r.id", QueueParameters(filter), filter.Page, filter.PageSize);
    }

    /// <summary>Every return of a queue's filter, all pages (an action on "all matching"), as it stands now.</summary>
    public async Task<IReadOnlyList<(long Id, int Version)>> QueueTargetsAsync(QueueFilter filter)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(long, int)>($"SELECT r.id, r.version {QueueFromWhere} ORDER BY r.updated_at, r.id", QueueParameters(filter))).AsList();
    }

    /// <summary>The current state of each of the given returns.</summary>
    public async Task<IReadOnlyList<ReturnState>> StatesAsync(IReadOnlyCollection<long> ids)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>($"SELECT DISTINCT state FROM returns WHERE {database.Dialect.InList("id", "ids")}", new { ids = ids.ToArray() }))
            .Select(Enum.Parse<ReturnState>).ToList();
    }

    private string QueueFromWhere => $"""
        FROM returns r JOIN units u ON u.id = r.unit_id
        WHERE {database.Dialect.InList("r.state", "states")}
          AND (@province IS NULL OR u.province_code = @province)
          AND (@period IS NULL OR r.period = @period)
          AND (@licence IS NULL OR u.licence_no = @licence)
          AND (@isic IS NULL OR u.isic = @isic)
          AND (@late IS NULL OR r.late = @late)
        """;

    private static object QueueParameters(QueueFilter filter) => new
    {
        states = filter.States.Select(s => s.ToString()).ToArray(), province = filter.Province, period = filter.Period,
        licence = filter.LicenceNo, isic = filter.Isic, late = filter.Late,
    };

    public async Task<ReturnRow?> RowAsync(long returnId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<ReturnRow>(
            $"SELECT {RowColumns} FROM returns r JOIN units u ON u.id = r.unit_id WHERE r.id = @returnId", new { returnId });
    }

    /// <summary>A unit's returns, newest period first.</summary>
    public async Task<IReadOnlyList<ReturnRow>> UnitReturnsAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ReturnRow>(
            $"SELECT {RowColumns} FROM returns r JOIN units u ON u.id = r.unit_id WHERE u.id = @unitId ORDER BY r.period DESC",
            new { unitId })).AsList();
    }

    /// <summary>Every open period with the unit's deadline in force and its return, newest first.</summary>
    public async Task<IReadOnlyList<UnitPeriod>> UnitPeriodsAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<UnitPeriod>(
            $"""
            SELECT p.code AS Period, {DeadlineExtensions.EffectiveLateFrom("@unitId", "p")} AS LateFrom, r.id AS ReturnId, r.state, r.late
            FROM periods p LEFT JOIN returns r ON r.period = p.code AND r.unit_id = @unitId
            ORDER BY p.code DESC
            """,
            new { unitId })).AsList();
    }

    /// <summary>The unit's production per product in the periods it reported (its figures past a draft), oldest first.</summary>
    public async Task<IReadOnlyList<ProductionPoint>> ProductionAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ProductionPoint>(
            """
            SELECT r.period, l.product_code AS ProductCode, l.production
            FROM returns r JOIN return_lines l ON l.return_id = r.id
            WHERE r.unit_id = @unitId AND r.state <> @draft
            ORDER BY r.period, l.product_code
            """,
            new { unitId, draft = nameof(ReturnState.Draft) })).AsList();
    }

    /// <summary>The periods in which the unit was flagged for a missed deadline, newest first.</summary>
    public async Task<IReadOnlyList<(string Period, DateTime FlaggedAt)>> FlagsAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(string, DateTime)>(
            "SELECT period, flagged_at FROM missed_deadline_flags WHERE unit_id = @unitId ORDER BY period DESC", new { unitId })).AsList();
    }

    /// <summary>The reminders and notices of the unit, newest first.</summary>
    public async Task<IReadOnlyList<UnitReminder>> RemindersAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<UnitReminder>(
            """
            SELECT period, stage, channel, status, recipients, sent_at AS SentAt, last_error AS LastError
            FROM reminders WHERE unit_id = @unitId ORDER BY period DESC, stage DESC, channel
            """,
            new { unitId })).AsList();
    }
}

/// <summary>A reminder of a unit as its page lists it.</summary>
public sealed class UnitReminder
{
    public required string Period { get; init; }
    public required string Stage { get; init; }
    public Notifications.Channel Channel { get; init; }
    public Notifications.DeliveryStatus Status { get; init; }
    public string? Recipients { get; init; }
    public DateTime? SentAt { get; init => field = value?.AsUtc(); }
    public string? LastError { get; init; }
}
