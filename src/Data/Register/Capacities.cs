using System.Data.Common;
using BatchEngine.Data.Statistics;
using Dapper;

namespace BatchEngine.Data.Register;

/// <summary>The licensed annual capacities the register holds for units' products.</summary>
public static class Capacities
{
    public static async Task<IReadOnlyDictionary<(long UnitId, string ProductCode), decimal>> OfUnitsAsync(DbConnection connection, SqlDialect dialect,
        IReadOnlyCollection<long> units) =>
        (await connection.QueryAsync<UnitProduct>(
            $"""
            SELECT {UnitProduct.Columns} FROM unit_products
            WHERE {dialect.InList("unit_id", "units")} AND annual_capacity IS NOT NULL
            """,
            new { units = units.ToArray() }))
        .ToDictionary(c => (c.UnitId, c.ProductCode), c => c.AnnualCapacity!.Value);

    public static async Task<IReadOnlyDictionary<(long UnitId, string ProductCode), decimal>> OfUnitsAsync(Database database, IReadOnlyCollection<long> units)
    {
        await using var connection = await database.OpenAsync();
        return await OfUnitsAsync(connection, database.Dialect, units);
    }
}
