using System.Data.Common;
using BatchEngine.Data;
using BatchEngine.Data.Register;
using Dapper;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// Puts units and liaisons straight into the register, for the tests and the benchmark (which links this file): the
/// product itself loads the register through its import (<see cref="RegisterWriter"/>) and the provinces come with the
/// migrations.
/// </summary>
public sealed class RegisterSeed(Database database)
{
    public async Task<long> AddUnitAsync(Unit unit, IEnumerable<string> productCodes)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO units (licence_no, name, province_code, isic, status, created_at)
            VALUES (@LicenceNo, @Name, @ProvinceCode, @Isic, @Status, @CreatedAt)
            RETURNING id
            """,
            new { unit.LicenceNo, unit.Name, unit.ProvinceCode, unit.Isic, Status = unit.Status.ToString(), unit.CreatedAt },
            transaction);
        await connection.ExecuteAsync(
            "INSERT INTO unit_products (unit_id, product_code) VALUES (@id, @code)",
            productCodes.Select(code => new { id, code }),
            transaction);
        await RecordClosedAsync(connection, transaction);
        await transaction.CommitAsync();
        return id;
    }

    /// <summary>Adds many units with their products in one transaction at bulk speed: a province's first register load.</summary>
    public async Task AddUnitsAsync(IReadOnlyList<(Unit Unit, IReadOnlyList<string> Products)> units)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await database.Dialect.BulkInsertAsync(connection, transaction, "units",
            [
                new("licence_no", "text"), new("name", "text"), new("province_code", "text"), new("isic", "text"), new("status", "text"),
                new("created_at", "timestamp with time zone"),
            ],
            units.Select(u => new object?[] { u.Unit.LicenceNo, u.Unit.Name, u.Unit.ProvinceCode, u.Unit.Isic, u.Unit.Status.ToString(), u.Unit.CreatedAt }));
        var ids = (await connection.QueryAsync<(long Id, string LicenceNo)>("SELECT id, licence_no FROM units", transaction: transaction))
            .ToDictionary(u => u.LicenceNo, u => u.Id);
        await database.Dialect.BulkInsertAsync(connection, transaction, "unit_products", [new("unit_id", "bigint"), new("product_code", "text")],
            units.SelectMany(u => u.Products.Select(p => new object?[] { ids[u.Unit.LicenceNo], p })));
        await RecordClosedAsync(connection, transaction);
        await transaction.CommitAsync();
    }

    /// <summary>A unit added as closed has been closed since it entered the register.</summary>
    private static Task RecordClosedAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync(
            """
            INSERT INTO unit_closures (unit_id, closed_at)
            SELECT u.id, u.created_at FROM units u WHERE u.status = @closed AND NOT EXISTS (SELECT 1 FROM unit_closures c WHERE c.unit_id = u.id)
            """,
            new { closed = nameof(UnitStatus.Closed) }, transaction);

    public async Task<long> AddLiaisonAsync(Liaison liaison)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO liaisons (unit_id, name, email, mobile) VALUES (@UnitId, @Name, @Email, @Mobile) RETURNING id",
            liaison);
    }
}
