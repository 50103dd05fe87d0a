using BatchEngine.Data.Calendar;
using Dapper;

namespace BatchEngine.Data.Imports;

public sealed class UnitRow
{
    public long Id { get; init; }
    public required string LicenceNo { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Status { get; init; }
}

public sealed class UnitProductRow
{
    public long UnitId { get; init; }
    public required string ProductCode { get; init; }
}

public sealed class PeriodRow
{
    public required JalaliPeriod Code { get; init; }
    public DateTime LateFrom { get; init => field = value.AsUtc(); }
}

public sealed class ExtensionRow
{
    public long UnitId { get; init; }
    public required JalaliPeriod Period { get; init; }
    public DateTime LateFrom { get; init => field = value.AsUtc(); }
}

/// <summary>A return as the import found it: what decides whether its figures may change and how it moves.</summary>
public sealed class ExistingReturn
{
    public long Id { get; init; }
    public long UnitId { get; init; }
    public Returns.ReturnState State { get; init; }
    public int Version { get; init; }
    public DateTime? SubmittedAt { get; init => field = value?.AsUtc(); }
}

/// <summary>
/// The reference data of an import, each read in one query per file (or per period met), never row by row.
/// </summary>
public sealed class ImportQueries(Database database)
{
    /// <summary>Every unit of every province: a row naming another province's unit gets a precise error.</summary>
    public Task<IReadOnlyList<UnitRow>> UnitsAsync() =>
        ListAsync<UnitRow>("SELECT id, licence_no AS LicenceNo, province_code AS ProvinceCode, status FROM units", null);

    public Task<IReadOnlyList<UnitProductRow>> UnitProductsAsync(string province) =>
        ListAsync<UnitProductRow>(
            """
            SELECT up.unit_id AS UnitId, up.product_code AS ProductCode
            FROM unit_products up JOIN units u ON u.id = up.unit_id WHERE u.province_code = @province
            """,
            new { province });

    /// <summary>The open periods with the deadline in force for the province's units (its own where closures moved it).</summary>
    public Task<IReadOnlyList<PeriodRow>> OpenPeriodsAsync(string province) =>
        ListAsync<PeriodRow>(
            """
            SELECT p.code, COALESCE(d.late_from, p.late_from) AS LateFrom
            FROM periods p LEFT JOIN province_deadlines d ON d.period = p.code AND d.province_code = @province
            """,
            new { province });

    /// <summary>The province's extensions, oldest first: the last one of a unit and period is in force.</summary>
    public Task<IReadOnlyList<ExtensionRow>> ExtensionsAsync(string province) =>
        ListAsync<ExtensionRow>(
            """
            SELECT e.unit_id AS UnitId, e.period, e.late_from AS LateFrom
            FROM deadline_extensions e JOIN units u ON u.id = e.unit_id WHERE u.province_code = @province ORDER BY e.id
            """,
            new { province });

    public Task<IReadOnlyList<ExistingReturn>> ReturnsAsync(string province, JalaliPeriod period) =>
        ListAsync<ExistingReturn>(
            """
            SELECT r.id, r.unit_id AS UnitId, r.state, r.version, r.submitted_at AS SubmittedAt
            FROM returns r JOIN units u ON u.id = r.unit_id WHERE u.province_code = @province AND r.period = @period
            """,
            new { province, period });

    /// <summary>The returns an earlier run of this upload already applied (it was stopped before finishing).</summary>
    public async Task<IReadOnlyList<(long UnitId, JalaliPeriod Period)>> AppliedAsync(long uploadId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(long, JalaliPeriod)>(
            "SELECT unit_id, period FROM upload_returns WHERE upload_id = @uploadId", new { uploadId })).AsList();
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, object? parameters)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }
}
