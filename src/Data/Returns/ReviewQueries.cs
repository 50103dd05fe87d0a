using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using Dapper;

namespace BatchEngine.Data.Returns;

/// <summary>A return as a list shows it: the return, its unit and where the unit belongs.</summary>
public sealed class ReturnRow
{
    public long Id { get; init; }
    public required JalaliPeriod Period { get; init; }
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
    public required JalaliPeriod Period { get; init; }
    public DateTime LateFrom { get; init => field = value.AsUtc(); }
    public long? ReturnId { get; init; }
    public ReturnState? State { get; init; }
    public bool? Late { get; init; }
}

/// <summary>One product's production in one period, for comparisons and charts.</summary>
public class ProductionPoint
{
    public required JalaliPeriod Period { get; init; }
    public required string ProductCode { get; init; }
    public decimal Production { get; init; }
}

/// <summary>A production point of a given unit, when several units' are read at once.</summary>
public sealed class UnitProduction : ProductionPoint
{
    public long UnitId { get; init; }
}

/// <summary>
/// What a queue shows; every filter is optional. <see cref="Province"/> is the viewer's scope, not a choice.
/// <see cref="Page"/> counts from 1; a page past the last shows the last. <see cref="Outlier"/> keeps the returns
/// the outlier rule flags (either way, or up or down only).
/// </summary>
public sealed record QueueFilter(IReadOnlyList<ReturnState> States, string? Province, JalaliPeriod? Period, string? LicenceNo, string? Isic, bool? Late,
    int Page = 1, int PageSize = ListPage.DefaultSize, OutlierDirection? Outlier = null);

/// <summary>Which outliers a queue keeps: the strongest finding of a return, up or down.</summary>
public enum OutlierDirection
{
    Any,
    Up,
    Down,
}

/// <summary>
/// The reads of the review: queues, a unit's periods and returns, and the figures of earlier months.
/// <paramref name="outliers"/> are the thresholds the queue's outlier column and filter use.
/// </summary>
public sealed class ReviewQueries(Database database, OutlierOptions? outliers = null)
{
    // A queue judges its returns a chunk at a time: each chunk is one read of lines and one of the units' year before.
    private const int OutlierChunk = 500;

    private const string RowColumns = """
        r.id, r.period, r.state, r.version, r.late, r.submitted_at AS SubmittedAt, r.updated_at AS UpdatedAt, u.id AS UnitId,
        u.licence_no AS LicenceNo, u.name AS UnitName, u.isic, u.province_code AS ProvinceCode
        """;

    /// <summary>
    /// A page of a queue, longest waiting first (the time since the return last moved), with the total. With an outlier
    /// filter, the returns of the queue not yet judged are judged first (<see cref="MarkAsync"/>).
    /// </summary>
    public async Task<ListPage<ReturnRow>> QueueAsync(QueueFilter filter)
    {
        await MarkQueueAsync(filter);
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<ReturnRow>(connection, RowColumns, QueueFromWhere(filter), QueueOrder, QueueParameters(filter), filter.Page, filter.PageSize,
            countFromWhere: $"FROM returns r WHERE {QueueWhere(filter)}");
    }

    /// <summary>Every return of a queue's filter, all pages (an action on "all matching"), as it stands now.</summary>
    public async Task<IReadOnlyList<(long Id, int Version)>> QueueTargetsAsync(QueueFilter filter)
    {
        await MarkQueueAsync(filter);
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(long, int)>($"SELECT r.id, r.version {QueueFromWhere(filter)} ORDER BY {QueueOrder}", QueueParameters(filter))).AsList();
    }

    /// <summary>
    /// The finding that stands out most in each of the returns, where it passes the threshold (a return with none is
    /// absent): what it was held against, which way and by how much (the reference figure itself is on the return's
    /// page). The returns are judged first if they have not been.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, OutlierFinding>> OutliersAsync(IReadOnlyList<ReturnRow> rows)
    {
        await MarkAsync(rows);
        await using var connection = await database.OpenAsync();
        var marks = await connection.QueryAsync<(long ReturnId, double? Change, string? Against, double? OverCapacity)>(
            $"""
            SELECT o.return_id, o.change, o.against, o.over_capacity FROM outlier_marks o JOIN returns r ON r.id = o.return_id AND r.version = o.version
            WHERE {database.Dialect.InList("o.return_id", "ids")} AND o.average_of = @averageOf AND {Beyond(OutlierDirection.Any)}
            """,
            new { ids = rows.Select(r => r.Id).ToArray(), averageOf = Options.AverageOfMonths, maxChange = (double)Options.MaxChange, capacityMargin = (double)Options.CapacityMargin });
        return marks.ToDictionary(m => m.ReturnId, m => new[]
            {
                m.Change is { } change && Math.Abs(change) > (double)Options.MaxChange ? new OutlierFinding(Enum.Parse<OutlierReference>(m.Against!), 0m, Change(change)) : null,
                m.OverCapacity is { } over && over > (double)Options.CapacityMargin ? new OutlierFinding(OutlierReference.Capacity, 0m, Math.Round((decimal)over, 4)) : null,
            }.OfType<OutlierFinding>().MaxBy(f => Math.Abs(f.Change))!);
    }

    private OutlierOptions Options => outliers ?? new OutlierOptions();

    /// <summary>SQL: the mark <c>o</c> of a return passes the threshold the given way.</summary>
    private static string Beyond(OutlierDirection direction) => direction switch
    {
        OutlierDirection.Up => "(o.change > @maxChange OR o.over_capacity > @capacityMargin)",
        OutlierDirection.Down => "o.change < -@maxChange",
        _ => "(o.change > @maxChange OR o.change < -@maxChange OR o.over_capacity > @capacityMargin)",
    };

    /// <summary>A stored change as the rule said it (<see cref="decimal.MaxValue"/>, from nothing, comes back as a double).</summary>
    private static decimal Change(double change) => change >= (double)decimal.MaxValue ? decimal.MaxValue : (decimal)change;

    /// <summary>Judges the returns of a queue's filter that have not been judged at their version.</summary>
    private async Task MarkQueueAsync(QueueFilter filter)
    {
        if (filter.Outlier is null)
        {
            return;
        }

        List<ReturnRow> unjudged;
        await using (var connection = await database.OpenAsync())
        {
            unjudged = (await connection.QueryAsync<ReturnRow>(
                $"""
                SELECT {RowColumns} FROM returns r JOIN units u ON u.id = r.unit_id
                WHERE {QueueWhere(filter with { Outlier = null })}
                  AND NOT EXISTS (SELECT 1 FROM outlier_marks o WHERE o.return_id = r.id AND o.version = r.version AND o.average_of = @averageOf)
                """,
                QueueParameters(filter))).AsList();
        }

        await MarkAsync(unjudged);
    }

    /// <summary>
    /// Judges each return not yet judged at its version: every product against the unit's reported months of the year
    /// before, by <see cref="OutlierRule"/>, keeping the strongest change whatever the threshold (the threshold is
    /// applied when reading, so a new one needs no new judgement). A return corrected since is judged again.
    /// </summary>
    private async Task MarkAsync(IReadOnlyList<ReturnRow> rows)
    {
        var options = new OutlierOptions { MaxChange = 0, AverageOfMonths = Options.AverageOfMonths };
        await using var connection = await database.OpenAsync();
        var judged = (await connection.QueryAsync<long>(
            $"""
            SELECT o.return_id FROM outlier_marks o JOIN returns r ON r.id = o.return_id AND r.version = o.version
            WHERE {database.Dialect.InList("o.return_id", "ids")} AND o.average_of = @averageOf
            """,
            new { ids = rows.Select(r => r.Id).ToArray(), averageOf = options.AverageOfMonths })).ToHashSet();
        // By period, so that a chunk's year of history is a year, not the queue's whole span.
        foreach (var chunk in rows.Where(r => !judged.Contains(r.Id)).OrderBy(r => r.Period).Chunk(OutlierChunk))
        {
            var lines = await connection.QueryAsync<(long ReturnId, string ProductCode, decimal Production)>(
                $"SELECT return_id, product_code, production FROM return_lines WHERE {database.Dialect.InList("return_id", "ids")}",
                new { ids = chunk.Select(r => r.Id).ToArray() });
            var history = (await connection.QueryAsync<UnitProduction>(
                $"""
                SELECT r.unit_id AS UnitId, r.period, l.product_code AS ProductCode, l.production
                FROM returns r JOIN return_lines l ON l.return_id = r.id
                WHERE {database.Dialect.InList("r.unit_id", "units")} AND r.state <> @draft AND r.period >= @from AND r.period < @to
                """,
                new
                {
                    units = chunk.Select(r => r.UnitId).Distinct().ToArray(), draft = nameof(ReturnState.Draft),
                    from = OutlierRule.YearBefore(chunk.Min(r => r.Period)), to = chunk.Max(r => r.Period),
                })).ToLookup(p => (p.UnitId, p.ProductCode));
            var capacities = await Register.Capacities.OfUnitsAsync(connection, database.Dialect, chunk.Select(r => r.UnitId).Distinct().ToArray());
            var byId = chunk.ToDictionary(r => r.Id);
            var overCapacity = lines.GroupBy(l => byId[l.ReturnId]).ToDictionary(g => g.Key.Id, g => g
                .Select(line => OutlierRule.OverCapacity(line.Production, capacities.TryGetValue((g.Key.UnitId, line.ProductCode), out var c) ? c : null)).Max());
            var strongest = lines.GroupBy(l => byId[l.ReturnId]).ToDictionary(g => g.Key.Id, g => g
                .Select(line => OutlierRule.Against(g.Key.Period, line.Production, history[(g.Key.UnitId, line.ProductCode)], options).Strongest)
                .OfType<OutlierFinding>().MaxBy(f => Math.Abs(f.Change)));
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(
                """
                INSERT INTO outlier_marks (return_id, version, average_of, change, against, over_capacity)
                VALUES (@id, @version, @averageOf, @change, @against, @overCapacity)
                ON CONFLICT (return_id, version, average_of) DO NOTHING
                """,
                chunk.Select(r => new
                {
                    id = r.Id, version = r.Version, averageOf = options.AverageOfMonths,
                    change = strongest.GetValueOrDefault(r.Id) is { } f ? (double?)(double)f.Change : null,
                    against = strongest.GetValueOrDefault(r.Id)?.Against.ToString(),
                    overCapacity = overCapacity.GetValueOrDefault(r.Id) is { } over ? (double?)(double)over : null,
                }),
                transaction);
            await transaction.CommitAsync();
        }
    }

    private const string QueueOrder = "r.updated_at, r.id";

    /// <summary>The current state of each of the given returns.</summary>
    public async Task<IReadOnlyList<ReturnState>> StatesAsync(IReadOnlyCollection<long> ids)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>($"SELECT DISTINCT state FROM returns WHERE {database.Dialect.InList("id", "ids")}", new { ids = ids.ToArray() }))
            .Select(Enum.Parse<ReturnState>).ToList();
    }

    private string QueueFromWhere(QueueFilter filter) => $"FROM returns r JOIN units u ON u.id = r.unit_id WHERE {QueueWhere(filter)}";

    /// <summary>
    /// Which returns a queue holds, with only the filters given (a catch-all <c>@x IS NULL OR …</c> keeps SQLite off an
    /// index). One state is compared by equality so that the queue's index gives its order (a page of the ministry's
    /// registered returns reads 100 rows, not 800,000); unit filters are a set from units, so the count needs no join.
    /// </summary>
    private string QueueWhere(QueueFilter filter)
    {
        var where = new List<string> { filter.States.Count == 1 ? "r.state = @state" : database.Dialect.InList("r.state", "states") };
        if (filter.Period is not null)
        {
            where.Add("r.period = @period");
        }

        if (filter.Late is not null)
        {
            where.Add("r.late = @late");
        }

        if (filter.Outlier is { } direction)
        {
            where.Add($"EXISTS (SELECT 1 FROM outlier_marks o WHERE o.return_id = r.id AND o.version = r.version AND o.average_of = @averageOf AND {Beyond(direction)})");
        }

        var unit = new[] { (filter.Province, "f.province_code = @province"), (filter.LicenceNo, "f.licence_no = @licence"), (filter.Isic, "f.isic = @isic") }
            .Where(c => c.Item1 is not null).Select(c => c.Item2).ToList();
        if (unit.Count > 0)
        {
            where.Add($"r.unit_id IN (SELECT f.id FROM units f WHERE {string.Join(" AND ", unit)})");
        }

        return string.Join(" AND ", where);
    }

    private object QueueParameters(QueueFilter filter) => new
    {
        states = filter.States.Select(s => s.ToString()).ToArray(), state = filter.States[0].ToString(), province = filter.Province, period = filter.Period,
        licence = filter.LicenceNo, isic = filter.Isic, late = filter.Late, averageOf = Options.AverageOfMonths, maxChange = (double)Options.MaxChange,
        capacityMargin = (double)Options.CapacityMargin,
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
    public async Task<IReadOnlyList<(JalaliPeriod Period, DateTime FlaggedAt)>> FlagsAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(JalaliPeriod, DateTime)>(
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
    public required JalaliPeriod Period { get; init; }
    public required string Stage { get; init; }
    public Notifications.Channel Channel { get; init; }
    public Notifications.DeliveryStatus Status { get; init; }
    public string? Recipients { get; init; }
    public DateTime? SentAt { get; init => field = value?.AsUtc(); }
    public string? LastError { get; init; }
}
