using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace BatchEngine.Data.Register;

public sealed record ProductRecord(string Code, string Name, string UnitOfMeasure, string Isic);

/// <param name="Capacities">The licensed annual capacity of those of its products the file gives one for.</param>
public sealed record UnitRecord(string LicenceNo, string Name, string Province, string Isic, IReadOnlyList<string> Products,
    IReadOnlyDictionary<string, decimal>? Capacities = null)
{
    /// <summary>The products as the file writes them (with =capacity where known), in order: what a change compares.</summary>
    public string ProductsText => UnitProductText.Of(Products.Select(p => (p, Capacities?.GetValueOrDefault(p) is > 0 and var c ? c : (decimal?)null)));
}

/// <summary>A unit's products as one text, <c>code</c> or <c>code=capacity</c>, in code order.</summary>
public static class UnitProductText
{
    public static string Of(IEnumerable<(string Code, decimal? Capacity)> products) => string.Join(' ', products
        .OrderBy(p => p.Code, StringComparer.Ordinal)
        .Select(p => p.Capacity is { } c ? $"{p.Code}={c.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}" : p.Code));
}

public sealed record LiaisonRecord(string LicenceNo, string Name, string? Mobile, string? Email, string? NationalId);

public sealed record UserRecord(string UserName, string DisplayName, Role Role, string? Province, string? LicenceNo, string? Email, string? Mobile, string? NationalId);

/// <summary>What a register load changed; <see cref="Passwords"/> are new users' first passwords (shown once).</summary>
public sealed record RegisterOutcome(int Created, int Updated, int Unchanged, int Ended, IReadOnlyList<(string User, string Password)> Passwords);

/// <summary>
/// Upserts register rows by their identifier (product code, licence number, a liaison's mobile or e-mail within the
/// unit, user name) in one transaction per file: the same file twice changes nothing; each change is recorded with
/// who and when. Nothing is deleted: a liaison no longer named has left (kept, not reminded).
/// </summary>
public sealed class RegisterWriter(Database database)
{
    public Task<RegisterOutcome> ProductsAsync(IReadOnlyList<ProductRecord> rows, string actor, DateTime now) => InTransactionAsync(async (c, t) =>
    {
        var existing = (await c.QueryAsync<Product>("SELECT code, name, unit_of_measure AS UnitOfMeasure, isic FROM products", transaction: t))
            .ToDictionary(p => p.Code);
        var (created, updated) = (0, 0);
        foreach (var row in rows)
        {
            var old = existing.GetValueOrDefault(row.Code);
            var changes = old is null ? null : Changes(("name", old.Name, row.Name), ("unit_of_measure", old.UnitOfMeasure, row.UnitOfMeasure), ("isic", old.Isic, row.Isic));
            if (old is not null && changes is null)
            {
                continue;
            }

            await c.ExecuteAsync(
                """
                INSERT INTO products (code, name, unit_of_measure, isic) VALUES (@Code, @Name, @UnitOfMeasure, @Isic)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit_of_measure = excluded.unit_of_measure, isic = excluded.isic
                """,
                row, t);
            await RegisterHistory.AppendAsync(c, t, "Product", row.Code, actor, old is null ? "Created" : "Updated", changes, null, now);
            _ = old is null ? created++ : updated++;
        }

        return new RegisterOutcome(created, updated, rows.Count - created - updated, 0, []);
    });

    public Task<RegisterOutcome> UnitsAsync(IReadOnlyList<UnitRecord> rows, string actor, DateTime now) => InTransactionAsync(async (c, t) =>
    {
        var existing = (await c.QueryAsync<Unit>("SELECT id, licence_no AS LicenceNo, name, province_code AS ProvinceCode, isic, status, created_at AS CreatedAt FROM units", transaction: t))
            .ToDictionary(u => u.LicenceNo);
        var products = (await c.QueryAsync<Statistics.UnitProduct>(
                $"SELECT {Statistics.UnitProduct.Columns} FROM unit_products", transaction: t))
            .ToLookup(p => p.UnitId);
        var (created, updated) = (0, 0);
        foreach (var row in rows)
        {
            if (!existing.TryGetValue(row.LicenceNo, out var old))
            {
                var id = await c.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO units (licence_no, name, province_code, isic, status, created_at)
                    VALUES (@LicenceNo, @Name, @Province, @Isic, @active, @now) RETURNING id
                    """,
                    new { row.LicenceNo, row.Name, row.Province, row.Isic, active = nameof(UnitStatus.Active), now = now.AsUtc() }, t);
                await SetProductsAsync(c, t, id, [], row);
                await RegisterHistory.AppendAsync(c, t, "Unit", row.LicenceNo, actor, "Created", $"products: {row.ProductsText}", null, now);
                created++;
                continue;
            }

            var had = products[old.Id].Select(p => p.ProductCode).ToList();
            var changes = Changes(("name", old.Name, row.Name), ("province", old.ProvinceCode, row.Province), ("isic", old.Isic, row.Isic),
                ("products", UnitProductText.Of(products[old.Id].Select(p => (p.ProductCode, p.AnnualCapacity))), row.ProductsText));
            if (changes is null)
            {
                continue;
            }

            await c.ExecuteAsync("UPDATE units SET name = @Name, province_code = @Province, isic = @Isic WHERE id = @id", new { row.Name, row.Province, row.Isic, id = old.Id }, t);
            await SetProductsAsync(c, t, old.Id, had, row);
            await RegisterHistory.AppendAsync(c, t, "Unit", row.LicenceNo, actor, "Updated", changes, null, now);
            updated++;
        }

        return new RegisterOutcome(created, updated, rows.Count - created - updated, 0, []);
    });

    /// <summary>The file names each unit's current liaisons: new ones are added, changed ones updated, the others have left.</summary>
    public Task<RegisterOutcome> LiaisonsAsync(IReadOnlyList<LiaisonRecord> rows, string actor, DateTime now) => InTransactionAsync(async (c, t) =>
    {
        var units = (await c.QueryAsync<(long Id, string LicenceNo)>("SELECT id, licence_no FROM units", transaction: t)).ToDictionary(u => u.LicenceNo, u => u.Id);
        var current = (await c.QueryAsync<Liaison>(
                "SELECT id, unit_id AS UnitId, name, email, mobile, national_id AS NationalId FROM liaisons WHERE active_to IS NULL", transaction: t))
            .ToLookup(l => l.UnitId);
        var (created, updated, ended) = (0, 0, 0);
        foreach (var unit in rows.GroupBy(r => r.LicenceNo))
        {
            var unitId = units[unit.Key];
            var kept = new HashSet<long>();
            foreach (var row in unit)
            {
                var old = current[unitId].FirstOrDefault(l => (row.Mobile is not null && l.Mobile == row.Mobile) || (row.Email is not null && l.Email == row.Email));
                if (old is null)
                {
                    await c.ExecuteAsync("INSERT INTO liaisons (unit_id, name, email, mobile, national_id) VALUES (@unitId, @Name, @Email, @Mobile, @NationalId)",
                        new { unitId, row.Name, row.Email, row.Mobile, row.NationalId }, t);
                    await RegisterHistory.AppendAsync(c, t, "Liaison", unit.Key, actor, "Joined", $"{row.Name} {row.Mobile} {row.Email}".Trim(), null, now);
                    created++;
                    continue;
                }

                kept.Add(old.Id);
                var changes = Changes(("name", old.Name, row.Name), ("mobile", old.Mobile, row.Mobile), ("email", old.Email, row.Email), ("national_id", old.NationalId, row.NationalId));
                if (changes is not null)
                {
                    await c.ExecuteAsync("UPDATE liaisons SET name = @Name, email = @Email, mobile = @Mobile, national_id = @NationalId WHERE id = @id",
                        new { row.Name, row.Email, row.Mobile, row.NationalId, id = old.Id }, t);
                    await RegisterHistory.AppendAsync(c, t, "Liaison", unit.Key, actor, "Updated", changes, null, now);
                    updated++;
                }
            }

            foreach (var gone in current[unitId].Where(l => !kept.Contains(l.Id)))
            {
                await c.ExecuteAsync("UPDATE liaisons SET active_to = @now WHERE id = @id", new { id = gone.Id, now = now.AsUtc() }, t);
                await RegisterHistory.AppendAsync(c, t, "Liaison", unit.Key, actor, "Left", $"{gone.Name} {gone.Mobile} {gone.Email}".Trim(), null, now);
                ended++;
            }
        }

        return new RegisterOutcome(created, updated, rows.Count - created - updated, ended, []);
    });

    /// <summary>New users get a random first password that must be changed at the first sign-in; no user is ever deleted.</summary>
    public Task<RegisterOutcome> UsersAsync(IReadOnlyList<UserRecord> rows, string actor, DateTime now) => InTransactionAsync(async (c, t) =>
    {
        var units = (await c.QueryAsync<(long Id, string LicenceNo)>("SELECT id, licence_no FROM units", transaction: t)).ToDictionary(u => u.LicenceNo, u => u.Id);
        var existing = (await c.QueryAsync<User>(
                "SELECT id, user_name AS UserName, display_name AS DisplayName, role, province_code AS ProvinceCode, unit_id AS UnitId, email, mobile FROM users",
                transaction: t))
            .ToDictionary(u => u.UserName);
        var passwords = new List<(string, string)>();
        var (created, updated) = (0, 0);
        foreach (var row in rows)
        {
            long? unitId = row.LicenceNo is null ? null : units[row.LicenceNo];
            var values = new
            {
                row.UserName, row.DisplayName, role = row.Role.ToString(), province = row.Province, unitId, row.Email, row.Mobile, row.NationalId,
            };
            if (!existing.TryGetValue(row.UserName, out var old))
            {
                var password = FirstPassword();
                await c.ExecuteAsync(
                    """
                    INSERT INTO users (user_name, display_name, role, province_code, unit_id, password_hash, email, mobile, national_id, must_change_password)
                    VALUES (@UserName, @DisplayName, @role, @province, @unitId, @hash, @Email, @Mobile, @NationalId, TRUE)
                    """,
                    new { values.UserName, values.DisplayName, values.role, values.province, unitId, values.Email, values.Mobile, values.NationalId, hash = UserAccounts.HashPassword(password) },
                    t);
                await RegisterHistory.AppendAsync(c, t, "User", row.UserName, actor, "Created", $"{row.Role} {row.Province}{row.LicenceNo}".Trim(), null, now);
                passwords.Add((row.UserName, password));
                created++;
                continue;
            }

            var changes = Changes(("display_name", old.DisplayName, row.DisplayName), ("role", old.Role.ToString(), row.Role.ToString()),
                ("province", old.ProvinceCode, row.Province), ("unit", old.UnitId?.ToString(System.Globalization.CultureInfo.InvariantCulture), unitId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("email", old.Email, row.Email), ("mobile", old.Mobile, row.Mobile));
            if (changes is null)
            {
                continue;
            }

            await c.ExecuteAsync(
                """
                UPDATE users SET display_name = @DisplayName, role = @role, province_code = @province, unit_id = @unitId, email = @Email,
                    mobile = @Mobile, national_id = @NationalId, security_stamp = @stamp
                WHERE user_name = @UserName
                """,
                new { values.DisplayName, values.role, values.province, values.unitId, values.Email, values.Mobile, values.NationalId, values.UserName, stamp = UserAccounts.NewStamp() },
                t);
            await RegisterHistory.AppendAsync(c, t, "User", row.UserName, actor, "Updated", changes, null, now);
            updated++;
        }

        return new RegisterOutcome(created, updated, rows.Count - created - updated, 0, passwords);
    });

    /// <summary>A first password people can type: 12 characters without look-alikes.</summary>
    public static string FirstPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKMNPQRTUVWXY23456789";
        return string.Create(12, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    /// <summary>Makes the unit's products and their capacities the row's (a product given without one has none).</summary>
    private static async Task SetProductsAsync(DbConnection c, DbTransaction t, long unitId, IReadOnlyCollection<string> had, UnitRecord row)
    {
        await c.ExecuteAsync("DELETE FROM unit_products WHERE unit_id = @unitId AND product_code = @code",
            had.Except(row.Products).Select(code => new { unitId, code }), t);
        await c.ExecuteAsync("INSERT INTO unit_products (unit_id, product_code) VALUES (@unitId, @code)",
            row.Products.Except(had).Select(code => new { unitId, code }), t);
        await c.ExecuteAsync("UPDATE unit_products SET annual_capacity = @capacity WHERE unit_id = @unitId AND product_code = @code",
            row.Products.Select(code => new { unitId, code, capacity = row.Capacities?.GetValueOrDefault(code) is > 0 and var capacity ? capacity : (decimal?)null }), t);
    }

    /// <summary>"field: old → new" for each field that differs, or null when none does.</summary>
    private static string? Changes(params (string Field, string? Old, string? New)[] fields)
    {
        var changed = fields.Where(f => f.Old != f.New).Select(f => $"{f.Field}: {f.Old ?? "—"} → {f.New ?? "—"}").ToList();
        return changed.Count == 0 ? null : string.Join("; ", changed);
    }

    private async Task<RegisterOutcome> InTransactionAsync(Func<DbConnection, DbTransaction, Task<RegisterOutcome>> work)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var outcome = await work(connection, transaction);
        await transaction.CommitAsync();
        return outcome;
    }
}
