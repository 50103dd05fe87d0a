using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using Dapper;

namespace BatchEngine.Data.Status;

/// <summary>A province's compliance in a period: units expected, reported on time, late, missing, flagged.</summary>
public sealed class ProvinceCompliance
{
    public required JalaliPeriod Period { get; init; }
    public required string Province { get; init; }
    public int Expected { get; init; }
    public int OnTime { get; init; }
    public int Late { get; init; }
    public int Flagged { get; init; }

    /// <summary>Not reported, and their deadline in force (an extension, the province's) is still ahead: not missing yet.</summary>
    public int NotYetDue { get; init; }

    public int Missing => Expected - OnTime - Late - NotYetDue;
}

/// <summary>Which units a compliance figure counts.</summary>
public enum ComplianceList
{
    OnTime,
    Late,
    Missing,
    NotYetDue,
    Flagged,
    PossiblyInactive,
}

/// <summary>How a compliance list is ordered.</summary>
public enum ComplianceSort
{
    Licence,
    Name,
    /// <summary>Longest since its last reported period first (never reported first of all).</summary>
    LastReported,
    Reminders,
}

/// <summary>A liaison of a unit, as the follow-up of missing units shows them.</summary>
public sealed record UnitContact(long UnitId, string Name, string? Mobile, string? Email);

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

    /// <summary>The unit's deadline in force for the period (its extension, its province's, or the period's).</summary>
    public DateTime LateFrom { get; init => field = value.AsUtc(); }

    /// <summary>The latest period the unit reported, if any.</summary>
    public JalaliPeriod? LastReported { get; init; }

    public int RemindersSent { get; init; }
    public DateTime? LastReminderAt { get; init => field = value?.AsUtc(); }
    public IReadOnlyList<UnitContact> Contacts { get; set; } = [];
}

/// <summary>Compliance per province and period, and the units behind each figure; the expected units are those of <see cref="ExpectedUnits"/>.</summary>
public sealed class Compliance(Database database)
{
    /// <summary>
    /// Every province's figures for each of <paramref name="periods"/>, in one grouped query. The flags are one
    /// uncorrelated set (a hashed lookup whatever the estimates): joined, a province's single period once became a merge
    /// join comparing every unit with every flag of the period (5.7 s at national scale on PostgreSQL).
    /// </summary>
    public async Task<IReadOnlyList<ProvinceCompliance>> ByProvinceAsync(IReadOnlyList<JalaliPeriod> periods, string? province, DateTime now) =>
        (await database.WholeTablesAsync((connection, transaction) => connection.QueryAsync<ProvinceCompliance>(
            $"""
            SELECT p.code AS Period, u.province_code AS Province, COUNT(*) AS Expected,
                   SUM(CASE WHEN {Reported} AND r.late = FALSE THEN 1 ELSE 0 END) AS OnTime,
                   SUM(CASE WHEN {Reported} AND r.late = TRUE THEN 1 ELSE 0 END) AS Late,
                   SUM(CASE WHEN (u.id, p.code) IN (SELECT f.unit_id, f.period FROM missed_deadline_flags f WHERE {database.Dialect.InList("f.period", "periods")})
                            THEN 1 ELSE 0 END) AS Flagged,
                   SUM(CASE WHEN NOT ({Reported}) AND {DeadlineExtensions.EffectiveLateFrom("u.id", "p")} > @now THEN 1 ELSE 0 END) AS NotYetDue
            FROM periods p
            JOIN units u ON {ExpectedUnits.Condition}
            LEFT JOIN returns r ON r.unit_id = u.id AND r.period = p.code AND {database.Dialect.InList("r.period", "periods")}
            WHERE {database.Dialect.InList("p.code", "periods")} AND (@province IS NULL OR u.province_code = @province)
            GROUP BY p.code, u.province_code
            ORDER BY p.code, u.province_code
            """,
            new { periods = PeriodColumn.Texts(periods), province, now = now.AsUtc(), reported = MissedDeadlines.ReportedStates },
            transaction))).AsList();

    /// <summary>
    /// A page of the units behind one figure of one period (all provinces, or one), with the total: found by licence
    /// number or name, ordered as asked, each with its deadline in force, its last reported period, the reminders sent
    /// to it for the period and its current liaisons — what following up a missing unit needs.
    /// </summary>
    public async Task<ListPage<ComplianceUnit>> UnitsAsync(JalaliPeriod period, string? province, ComplianceList list, DateTime now,
        string? search = null, ComplianceSort sort = ComplianceSort.Licence, int page = 1, int pageSize = ListPage.DefaultSize)
    {
        var lateFrom = DeadlineExtensions.EffectiveLateFrom("u.id", "p");
        var condition = list switch
        {
            ComplianceList.OnTime => $"{Reported} AND r.late = FALSE",
            ComplianceList.Late => $"{Reported} AND r.late = TRUE",
            ComplianceList.Missing => $"NOT ({Reported}) AND {lateFrom} <= @now",
            ComplianceList.NotYetDue => $"NOT ({Reported}) AND {lateFrom} > @now",
            ComplianceList.Flagged => "u.id IN (SELECT f.unit_id FROM missed_deadline_flags f WHERE f.period = @period)",
            _ => "u.status = @possiblyInactive",
        };
        var lastReported = $"(SELECT MAX(lr.period) FROM returns lr WHERE lr.unit_id = u.id AND {database.Dialect.InList("lr.state", "reported")})";
        var reminders = "(SELECT COUNT(*) FROM reminders m WHERE m.unit_id = u.id AND m.period = p.code AND m.status = 'Sent')";
        // By the selected columns' names: each subquery is computed once per row, for the list and its order alike.
        var orderBy = sort switch
        {
            ComplianceSort.Name => "u.name, u.id",
            ComplianceSort.LastReported => "LastReported NULLS FIRST, u.id",
            ComplianceSort.Reminders => "RemindersSent DESC, u.id",
            _ => "u.province_code, u.licence_no, u.id",
        };
        var text = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        var units = await database.WholeTablesAsync((connection, transaction) => ListPage.QueryAsync<ComplianceUnit>(connection,
            $"""
            u.id AS UnitId, u.licence_no AS LicenceNo, u.name, u.province_code AS ProvinceCode, u.isic, u.status,
            r.state, r.submitted_at AS SubmittedAt, {lateFrom} AS LateFrom, {lastReported} AS LastReported,
            {reminders} AS RemindersSent,
            (SELECT MAX(m.sent_at) FROM reminders m WHERE m.unit_id = u.id AND m.period = p.code AND m.status = 'Sent') AS LastReminderAt
            """,
            $"""
            FROM periods p
            JOIN units u ON {ExpectedUnits.Condition}
            LEFT JOIN returns r ON r.unit_id = u.id AND r.period = p.code AND r.period = @period
            WHERE p.code = @period AND (@province IS NULL OR u.province_code = @province) AND {condition}
              AND (@text IS NULL OR u.licence_no LIKE @prefix OR u.name LIKE @contains)
            """,
            orderBy,
            new
            {
                period, province, now = now.AsUtc(), reported = MissedDeadlines.ReportedStates,
                possiblyInactive = nameof(UnitStatus.PossiblyInactive), text, prefix = text + "%", contains = "%" + text + "%",
            },
            page, pageSize, transaction));
        var contacts = (await ContactsAsync(units.Rows.Select(u => u.UnitId).ToArray())).ToLookup(c => c.UnitId);
        foreach (var unit in units.Rows)
        {
            unit.Contacts = contacts[unit.UnitId].ToList();
        }

        return units;
    }

    /// <summary>The current liaisons of the given units.</summary>
    private async Task<IReadOnlyList<UnitContact>> ContactsAsync(long[] unitIds)
    {
        if (unitIds.Length == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<UnitContact>(
            $"SELECT unit_id AS UnitId, name, mobile, email FROM liaisons WHERE active_to IS NULL AND {database.Dialect.InList("unit_id", "unitIds")} ORDER BY unit_id, id",
            new { unitIds })).AsList();
    }

    // A return past a draft counts as reported (MissedDeadlines.ReportedStates); a missing return counts as not.
    private string Reported => $"r.id IS NOT NULL AND {database.Dialect.InList("r.state", "reported")}";
}
