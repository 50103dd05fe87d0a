using Dapper;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Register;

namespace BatchEngine.Data.Status;

/// <summary>A province's compliance in a period: units expected, reported on time, late, missing, flagged.</summary>
public sealed class ProvinceCompliance
{
    public required string Period { get; init; }
    public required string Province { get; init; }
    public int Expected { get; init; }
    public int OnTime { get; init; }
    public int Late { get; init; }
    public int Flagged { get; init; }
    public int Missing => Expected - OnTime - Late;
}

/// <summary>Which units a compliance figure counts.</summary>
public enum ComplianceList
{
    OnTime,
    Late,
    Missing,
    Flagged,
    PossiblyInactive,
}

/// <summary>A unit in a compliance list, with its return for the period if it has one.</summary>
public sealed class ComplianceUnit
{
    public long UnitId { get; init; }
    public required string LicenceNo { get; init; }
    public required string Name { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Isic { get; init; }
    public UnitStatus Status { get; init; }
    public string? State { get; init; }
    public DateTime? SubmittedAt { get; init => field = value?.AsUtc(); }
}

/// <summary>Compliance per province and period, and the units behind each figure; the expected units are those of <see cref="ExpectedUnits"/>.</summary>
public sealed class Compliance(Database database)
{
    /// <summary>Every province's figures for each of <paramref name="periods"/>, in one grouped query.</summary>
    public async Task<IReadOnlyList<ProvinceCompliance>> ByProvinceAsync(IReadOnlyList<string> periods, string? province) =>
        (await database.WholeTablesAsync((connection, transaction) => connection.QueryAsync<ProvinceCompliance>(
            $"""
            SELECT p.code AS Period, u.province_code AS Province, COUNT(*) AS Expected,
                   SUM(CASE WHEN {Reported} AND r.late = FALSE THEN 1 ELSE 0 END) AS OnTime,
                   SUM(CASE WHEN {Reported} AND r.late = TRUE THEN 1 ELSE 0 END) AS Late,
                   SUM(CASE WHEN f.unit_id IS NOT NULL THEN 1 ELSE 0 END) AS Flagged
            FROM periods p
            JOIN units u ON {ExpectedUnits.Condition}
            LEFT JOIN returns r ON r.unit_id = u.id AND r.period = p.code
            LEFT JOIN missed_deadline_flags f ON f.unit_id = u.id AND f.period = p.code
            WHERE {database.Dialect.InList("p.code", "periods")} AND (@province IS NULL OR u.province_code = @province)
            GROUP BY p.code, u.province_code
            ORDER BY p.code, u.province_code
            """,
            new { periods = periods.ToArray(), province, closed = ExpectedUnits.Closed, reported = MissedDeadlines.ReportedStates },
            transaction))).AsList();

    /// <summary>The units behind one figure of one period (all provinces, or one).</summary>
    public async Task<IReadOnlyList<ComplianceUnit>> UnitsAsync(string period, string? province, ComplianceList list)
    {
        var condition = list switch
        {
            ComplianceList.OnTime => $"{Reported} AND r.late = FALSE",
            ComplianceList.Late => $"{Reported} AND r.late = TRUE",
            ComplianceList.Missing => $"NOT ({Reported})",
            ComplianceList.Flagged => "u.id IN (SELECT f.unit_id FROM missed_deadline_flags f WHERE f.period = @period)",
            _ => "u.status = @possiblyInactive",
        };
        return (await database.WholeTablesAsync((connection, transaction) => connection.QueryAsync<ComplianceUnit>(
            $"""
            SELECT u.id AS UnitId, u.licence_no AS LicenceNo, u.name, u.province_code AS ProvinceCode, u.isic, u.status,
                   r.state, r.submitted_at AS SubmittedAt
            FROM periods p
            JOIN units u ON {ExpectedUnits.Condition}
            LEFT JOIN returns r ON r.unit_id = u.id AND r.period = p.code
            WHERE p.code = @period AND (@province IS NULL OR u.province_code = @province) AND {condition}
            ORDER BY u.province_code, u.licence_no
            """,
            new
            {
                period, province, closed = ExpectedUnits.Closed, reported = MissedDeadlines.ReportedStates,
                possiblyInactive = nameof(UnitStatus.PossiblyInactive),
            },
            transaction))).AsList();
    }

    // A return past a draft counts as reported (MissedDeadlines.ReportedStates); a missing return counts as not.
    private string Reported => $"r.id IS NOT NULL AND {database.Dialect.InList("r.state", "reported")}";
}
