using BatchEngine.Data.Calendar;
using Dapper;

namespace BatchEngine.Data.Statistics;

/// <summary>A published snapshot of a period's table: its number within the period, when and by whom.</summary>
public sealed record Publication
{
    public long Id { get; init; }
    public JalaliPeriod Period { get; init; }
    public int Number { get; init; }
    public DateTime PublishedAt { get; init; }
    public string PublishedBy { get; init; } = "";
    public bool Provisional { get; init; }
}

/// <summary>One cell of a published table, as stored (province empty for the country).</summary>
public sealed class PublishedValue
{
    public string Product { get; init; } = "";
    public string Province { get; init; } = "";
    public decimal MonthValue { get; init; }
    public decimal MonthImputed { get; init; }
    public decimal MonthProvisional { get; init; }
    public decimal YtdValue { get; init; }
    public decimal YtdImputed { get; init; }
    public decimal YtdProvisional { get; init; }
    public decimal? MonthYearEarlier { get; init; }
    public decimal? YtdYearEarlier { get; init; }
    public int Reporting { get; init; }
    public int Expected { get; init; }
    public double? CapacityUse { get; init; }
}

/// <summary>The published snapshots of the monthly table: numbered per period without gaps, written once, never changed.</summary>
public sealed class Publications(Database database)
{
    private const string Columns = "id, period, number, published_at AS PublishedAt, published_by AS PublishedBy, provisional";

    private static readonly BulkColumn[] ValueColumns =
    [
        new("publication_id", "bigint"), new("product", "text"), new("province", "text"), new("month_value", "numeric"),
        new("month_imputed", "numeric"), new("month_provisional", "numeric"), new("ytd_value", "numeric"), new("ytd_imputed", "numeric"),
        new("ytd_provisional", "numeric"), new("month_year_earlier", "numeric"), new("ytd_year_earlier", "numeric"), new("reporting", "integer"),
        new("expected", "integer"), new("capacity_use", "double precision"),
    ];

    /// <summary>
    /// Freezes the values as the period's next publication, in one transaction that holds the period's row: two
    /// publishers at once get consecutive numbers, and a failure leaves no number used.
    /// </summary>
    public async Task<Publication> PublishAsync(JalaliPeriod period, string publishedBy, bool provisional, IReadOnlyList<PublishedValue> values, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync($"SELECT code FROM periods WHERE code = @period {database.Dialect.ForUpdate}", new { period }, transaction);
        var number = await connection.ExecuteScalarAsync<int>(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM statistics_publications WHERE period = @period", new { period }, transaction);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO statistics_publications (period, number, published_at, published_by, provisional)
            VALUES (@period, @number, @now, @publishedBy, @provisional) RETURNING id
            """,
            new { period, number, now = now.AsUtc(), publishedBy, provisional }, transaction);
        await database.Dialect.BulkInsertAsync(connection, transaction, "statistics_values", ValueColumns, values.Select(v => new object?[]
        {
            id, v.Product, v.Province, v.MonthValue, v.MonthImputed, v.MonthProvisional, v.YtdValue, v.YtdImputed, v.YtdProvisional,
            v.MonthYearEarlier, v.YtdYearEarlier, v.Reporting, v.Expected, v.CapacityUse,
        }));
        await transaction.CommitAsync();
        return new Publication { Id = id, Period = period, Number = number, PublishedAt = now.AsUtc(), PublishedBy = publishedBy, Provisional = provisional };
    }

    public async Task<Publication?> FindAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Publication>($"SELECT {Columns} FROM statistics_publications WHERE id = @id", new { id });
    }

    /// <summary>The period's publications, first to last.</summary>
    public async Task<IReadOnlyList<Publication>> OfPeriodAsync(JalaliPeriod period)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Publication>(
            $"SELECT {Columns} FROM statistics_publications WHERE period = @period ORDER BY number", new { period })).AsList();
    }

    public async Task<IReadOnlyList<PublishedValue>> ValuesAsync(long publicationId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<PublishedValue>(
            """
            SELECT product, province, month_value AS MonthValue, month_imputed AS MonthImputed, month_provisional AS MonthProvisional,
                   ytd_value AS YtdValue, ytd_imputed AS YtdImputed, ytd_provisional AS YtdProvisional, month_year_earlier AS MonthYearEarlier,
                   ytd_year_earlier AS YtdYearEarlier, reporting, expected, capacity_use AS CapacityUse
            FROM statistics_values WHERE publication_id = @publicationId ORDER BY product, province
            """,
            new { publicationId })).AsList();
    }
}
