using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Register;

/// <summary>Reads and writes the register: provinces, products, units, their products and liaisons.</summary>
public sealed class RegisterStore(Database database)
{
    public async Task UpsertProvincesAsync(IEnumerable<Province> provinces)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO provinces (code, name) VALUES (@Code, @Name) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            provinces);
    }

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
