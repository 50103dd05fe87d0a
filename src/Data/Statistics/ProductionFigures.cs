using System.Globalization;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Status;
using Dapper;

namespace BatchEngine.Data.Statistics;

/// <summary>A product the register says a unit makes, with its licensed annual capacity when the register has it.</summary>
public sealed class UnitProduct
{
    /// <summary>The columns of <c>unit_products</c> as this class reads them.</summary>
    public const string Columns = "unit_id AS UnitId, product_code AS ProductCode, annual_capacity AS AnnualCapacity";

    public long UnitId { get; init; }
    public string ProductCode { get; init; } = "";
    public decimal? AnnualCapacity { get; init; }
}

/// <summary>
/// A return of a period (any state) and one of its lines of the products asked about; no product when it has none of
/// them. The period is a month number (<see cref="ProductionFigures.MonthNumber"/>): a million rows need no strings.
/// </summary>
public readonly record struct ReturnFigure(long UnitId, int Month, ReturnState State, string? ProductCode, decimal Production);

/// <summary>
/// What the monthly statistics are made from, read in a few whole-table statements: the units and their products, every
/// return of a span of periods with its lines of the selected products, and who was not expected when.
/// </summary>
public sealed class ProductionFigures(Database database)
{
    /// <summary>The periods collected between the two (both included), oldest first.</summary>
    public async Task<IReadOnlyList<JalaliPeriod>> PeriodsAsync(JalaliPeriod from, JalaliPeriod to)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<JalaliPeriod>(
            "SELECT code FROM periods WHERE code >= @from AND code <= @to ORDER BY code", new { from, to })).AsList();
    }

    /// <summary>Every unit's province.</summary>
    public async Task<IReadOnlyList<(long UnitId, string Province)>> UnitsAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(long, string)>("SELECT id, province_code FROM units ORDER BY id")).AsList();
    }

    public async Task<IReadOnlyList<UnitProduct>> UnitProductsAsync(IReadOnlyCollection<string> codes)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<UnitProduct>(
            $"SELECT {UnitProduct.Columns} FROM unit_products WHERE {database.Dialect.InList("product_code", "codes")}",
            new { codes = codes.ToArray() })).AsList();
    }

    /// <summary>A period as one number, year × 12 + month, as <see cref="MonthSql"/> computes it in the database (a store test holds the two together).</summary>
    public static int MonthNumber(JalaliPeriod period) => period.Year * 12 + period.Month;

    private const string MonthSql = "(CAST(substr(r.period, 1, 4) AS INTEGER) * 12 + CAST(substr(r.period, 6, 2) AS INTEGER))";

    /// <summary>
    /// Hands <paramref name="each"/> every return of the periods between the two, with each of its lines of
    /// <paramref name="codes"/>. The codes are picked here rather than in the join (a list of codes in the join makes
    /// SQLite probe each code of each return), and the state comes as its number.
    /// </summary>
    public async Task ReturnsAsync(JalaliPeriod from, JalaliPeriod to, IReadOnlySet<string> codes, Action<ReturnFigure> each, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = (int)database.CommandTimeout.TotalSeconds;
        var states = string.Join(' ', Enum.GetValues<ReturnState>().Select(s => $"WHEN '{s}' THEN {(int)s}"));
        command.CommandText = $"""
            SELECT r.unit_id, {MonthSql}, CASE r.state {states} END, l.product_code, l.production
            FROM returns r LEFT JOIN return_lines l ON l.return_id = r.id
            WHERE r.period >= @from AND r.period <= @to
            """;
        AddParameter(command, "from", from.ToString());
        AddParameter(command, "to", to.ToString());
        var picked = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // SQLite's reads are synchronous underneath: awaiting each of a million rows only adds a task per row.
        while (database.IsPostgres ? await reader.ReadAsync(cancellationToken) : reader.Read())
        {
            string? product = null;
            if (!reader.IsDBNull(3))
            {
                var code = reader.GetString(3);
                product = codes.Contains(code) ? picked.TryAdd(code, code) ? code : picked[code] : null;
            }

            each(new ReturnFigure(reader.GetInt64(0), reader.GetInt32(1), (ReturnState)reader.GetInt32(2), product, product is null ? 0m : reader.GetDecimal(4)));
        }
    }

    /// <summary>
    /// The units a period between the two did not expect a return from (<see cref="ExpectedUnits.Condition"/>, the rule's
    /// one home). Only units created after the first period opened or ever closed can be among them, which keeps the
    /// national read small.
    /// </summary>
    public async Task<IReadOnlyList<(long UnitId, JalaliPeriod Period)>> NotExpectedAsync(JalaliPeriod from, JalaliPeriod to)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(long, JalaliPeriod)>(
            $"""
            SELECT u.id, p.code FROM units u CROSS JOIN periods p
            WHERE p.code >= @from AND p.code <= @to
              AND (u.created_at > (SELECT MIN(f.opens_at) FROM periods f WHERE f.code >= @from AND f.code <= @to)
                   OR EXISTS (SELECT 1 FROM unit_closures c WHERE c.unit_id = u.id))
              AND NOT ({ExpectedUnits.Condition})
            """,
            new { from, to })).AsList();
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
