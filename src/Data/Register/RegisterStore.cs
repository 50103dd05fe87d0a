using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Register;

/// <summary>Reads and writes the register: provinces, products, units, their products and liaisons.</summary>
public sealed class RegisterStore(Database database)
{
    public async Task UpsertProductsAsync(IEnumerable<Product> products)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO products (code, name, unit_of_measure, isic) VALUES (@Code, @Name, @UnitOfMeasure, @Isic)
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit_of_measure = excluded.unit_of_measure, isic = excluded.isic
            """,
            products);
    }

    public async Task<IReadOnlyList<Province>> ProvincesAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Province>("SELECT code, name FROM provinces ORDER BY code")).AsList();
    }

    public async Task<Province?> FindProvinceAsync(string code)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Province>("SELECT code, name FROM provinces WHERE code = @code", new { code });
    }

    public async Task<IReadOnlyList<Product>> ProductsAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Product>(
            "SELECT code, name, unit_of_measure AS UnitOfMeasure, isic FROM products ORDER BY code")).AsList();
    }

    public async Task<Unit?> FindUnitAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return await FindUnitAsync(connection, null, id);
    }

    internal static Task<Unit?> FindUnitAsync(DbConnection connection, DbTransaction? transaction, long id) =>
        connection.QuerySingleOrDefaultAsync<Unit>(
            """
            SELECT id, licence_no AS LicenceNo, name, province_code AS ProvinceCode, isic, status, created_at AS CreatedAt
            FROM units WHERE id = @id
            """,
            new { id }, transaction);

    public async Task<Unit?> FindUnitByLicenceAsync(string licenceNo)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Unit>(
            """
            SELECT id, licence_no AS LicenceNo, name, province_code AS ProvinceCode, isic, status, created_at AS CreatedAt
            FROM units WHERE licence_no = @licenceNo
            """,
            new { licenceNo });
    }

    public async Task<IReadOnlyList<Product>> UnitProductsAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Product>(
            """
            SELECT p.code, p.name, p.unit_of_measure AS UnitOfMeasure, p.isic
            FROM unit_products up JOIN products p ON p.code = up.product_code
            WHERE up.unit_id = @unitId ORDER BY p.code
            """,
            new { unitId })).AsList();
    }

    public async Task<IReadOnlyList<Liaison>> LiaisonsAsync(long unitId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Liaison>(
            "SELECT id, unit_id AS UnitId, name, email, mobile, national_id AS NationalId, active_to AS ActiveTo FROM liaisons WHERE unit_id = @unitId ORDER BY id",
            new { unitId })).AsList();
    }

    /// <summary>Units matching every given criterion (name by part), in a province or all: one page of them, with their total.</summary>
    public async Task<ListPage<Unit>> SearchUnitsAsync(string? province, string? licence, string? name, string? isic, UnitStatus? status,
        int page = 1, int pageSize = ListPage.DefaultSize)
    {
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<Unit>(connection,
            "id, licence_no AS LicenceNo, name, province_code AS ProvinceCode, isic, status, created_at AS CreatedAt",
            """
            FROM units
            WHERE (@province IS NULL OR province_code = @province) AND (@licence IS NULL OR licence_no = @licence)
              AND (@name IS NULL OR name LIKE @name) AND (@isic IS NULL OR isic = @isic) AND (@status IS NULL OR status = @status)
            """,
            "licence_no",
            new { province, licence, name = name is null ? null : "%" + name + "%", isic, status = status?.ToString() },
            page, pageSize);
    }

    /// <summary>Every unit's licence number, province and status, for checking a file's rows.</summary>
    public async Task<IReadOnlyList<(string LicenceNo, string ProvinceCode, UnitStatus Status)>> UnitScopesAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(string, string, string)>("SELECT licence_no, province_code, status FROM units"))
            .Select(u => (u.Item1, u.Item2, Enum.Parse<UnitStatus>(u.Item3))).ToList();
    }

    public async Task<int> CountUnitsAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM units");
    }
}
